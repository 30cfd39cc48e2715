import { spawnSync } from 'node:child_process';

/** An unprivileged account every Debian host has: someone else on the machine. */
export const NOBODY = 65534;

/** Switching to another user needs root (CI runs as root); elsewhere the tests that need it are skipped. */
export const canSwitchUser = process.getuid?.() === 0;

/**
 * Reads a file as another local user with a real reader (`cat` under setpriv, no supplementary
 * groups): resolves what that user would get, or the error the kernel gave them.
 */
export function readAsNobody(file: string): { ok: boolean; bytes: number; error: string } {
  const r = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'cat', file], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { ok: r.status === 0, bytes: r.stdout.length, error: r.stderr.toString().trim() };
}
