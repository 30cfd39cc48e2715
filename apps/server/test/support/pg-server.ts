import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase } from '../../../../scripts/throwaway-postgres.mjs';

export { dropDatabase } from '../../../../scripts/throwaway-postgres.mjs';

/** The PostgreSQL server npm test starts (or the one given); tests of the adapter skip without it. */
export const serverUrl = process.env.TESSERA_TEST_DATABASE_URL;

/** Runs fn on an administrator's connection to the server's default database. */
export async function onServer<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client(serverUrl);
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** A new, empty database of its own on the server: its name and URL (drop it with dropDatabase(url)). */
export async function freshDatabase(): Promise<{ name: string; url: string }> {
  const name = `t_${randomBytes(8).toString('hex')}`;
  return { name, url: await createDatabase(serverUrl!, name) };
}
