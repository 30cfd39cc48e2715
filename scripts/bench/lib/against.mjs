// --against REF: Tessera as it was at another commit, built in a git worktree in the run's temp folder, so a
// change is measured against its parent in the same run on the same machine (the only comparison that means
// anything on a noisy machine). Dependencies come from the local pnpm store; nothing is downloaded if the
// lockfile did not change.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './tessera.mjs';

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });

/** Checks REF out into tmp and builds its server; returns its root and short commit, and how to remove it. */
export function buildAgainst(ref, tmp) {
  const sha = execFileSync('git', ['rev-parse', '--short', `${ref}^{commit}`], { cwd: ROOT, encoding: 'utf8' }).trim();
  const root = path.join(tmp, `against-${sha}`);
  run('git', ['worktree', 'add', '--detach', root, sha], ROOT);
  const remove = () => {
    try {
      run('git', ['worktree', 'remove', '--force', root], ROOT);
    } catch {
      run('git', ['worktree', 'prune'], ROOT);
    }
  };
  try {
    run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], root);
    run('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@tessera/server...', '--output-logs=errors-only'], root);
  } catch (err) {
    remove();
    throw err;
  }
  return { root, sha, remove };
}
