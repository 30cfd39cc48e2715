import fs from 'node:fs';
import { vi } from 'vitest';
import { tessera as run } from '../../src/cli/tessera.js';
import { MasterKey } from '../../src/security/envelope.js';

/** A fresh master key, as TESSERA_MASTER_KEY. */
export const masterKeyEnv = (): Record<string, string> => ({ TESSERA_MASTER_KEY: MasterKey.generate() });

/** Every byte a copy of the database would hold: the file and its WAL. */
export function databaseBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

/** Whether bytes hold the key in any form it is ever written in: raw, base64url or base64. */
export function holdsKey(bytes: Buffer, key: Buffer | string): boolean {
  const forms = typeof key === 'string' ? [key] : [key, key.toString('base64url'), key.toString('base64').replace(/=+$/, '')];
  return forms.some((f) => bytes.includes(f));
}

/**
 * A tessera command as an operator runs it, in this process: its own connection to the database,
 * what it writes to stdout and stderr captured, and its exit code.
 */
export async function tessera(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  try {
    const code = await run(args, { TESSERA_LOG_LEVEL: 'silent', ...env });
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** PRAGMA data_version is polled at most every 100 ms: by then a commit of another connection shows. */
export const afterDataVersionPoll = () => new Promise((r) => setTimeout(r, 150));
