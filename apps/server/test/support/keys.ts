import fs from 'node:fs';
import { vi } from 'vitest';
import { tessera as run } from '../../src/cli/tessera.js';
import { MasterKey } from '../../src/security/envelope.js';
import type { TestApp } from './test-app.js';

/** A fresh master key, as TESSERA_MASTER_KEY. */
export const masterKeyEnv = (): Record<string, string> => ({ TESSERA_MASTER_KEY: MasterKey.generate() });

/** Every byte a copy of the database would hold: the file and its WAL. */
export function databaseBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

/**
 * Every byte a copy of the app's database would hold. On SQLite: the file and its WAL, free pages
 * included. On PostgreSQL: every value of every row, which is what a backup (pg_dump) copies; dead
 * row versions and the write-ahead log stay in the server's own files until VACUUM and checkpoints
 * reclaim them (storage/scrub.ts).
 */
export async function copiedBytes(t: TestApp): Promise<Buffer> {
  if (t.storage.engine === 'sqlite') return databaseBytes(t.config.dbFile);
  const tables = await t.storage.all<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  const values: Buffer[] = [];
  for (const { name } of tables) {
    for (const row of await t.storage.all<object>(`SELECT * FROM "${name}"`)) {
      for (const v of Object.values(row)) values.push(Buffer.isBuffer(v) ? v : Buffer.from(String(v)), Buffer.from('\n'));
    }
  }
  return Buffer.concat(values);
}

/** The environment a tessera command needs to reach the app's database, on either engine. */
export const databaseEnv = (t: TestApp): Record<string, string> => ({
  TESSERA_DB: t.config.dbFile,
  ...(t.config.databaseUrl ? { TESSERA_DATABASE_URL: t.config.databaseUrl } : {}),
});

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

/**
 * PRAGMA data_version is polled at most every 100 ms: by then a commit of another connection shows.
 * On PostgreSQL the command's notification arrives sooner.
 */
export const afterDataVersionPoll = () => new Promise((r) => setTimeout(r, 150));
