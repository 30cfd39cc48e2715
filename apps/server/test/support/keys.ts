import fs from 'node:fs';
import { runTessera } from '../../src/cli/tessera.js';
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

/** A tessera command as an operator runs it (its own connection to the database), output captured. */
export async function tessera(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) => ({ write: add });
  const code = await runTessera(args, { TESSERA_LOG_LEVEL: 'silent', ...env }, sink((s) => (stdout += s)), sink((s) => (stderr += s)));
  return { code, stdout, stderr };
}

/** PRAGMA data_version is polled at most every 100 ms: by then a commit of another connection shows. */
export const afterDataVersionPoll = () => new Promise((r) => setTimeout(r, 150));
