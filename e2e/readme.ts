import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const README = path.resolve(import.meta.dirname, '../README.md');

/** The bash block that follows `<!-- guide:NAME -->` in the README, pointed at this test's server. */
export function readmeBlock(name: string, baseURL: string): string {
  const text = fs.readFileSync(README, 'utf8');
  const match = new RegExp(`<!-- guide:${name} -->\\s*\`\`\`bash\\n([\\s\\S]*?)\`\`\``).exec(text);
  if (!match) throw new Error(`README.md has no block marked guide:${name}`);
  return match[1]!.replaceAll('http://localhost:8080', baseURL);
}

/** Runs a README block with the real bash and curl (in `cwd`, where it writes files); resolves with what curl printed. */
export function runBlock(script: string, env: Record<string, string>, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-euo', 'pipefail', '-c', script], { env: { ...process.env, ...env }, cwd, timeout: 15_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}
