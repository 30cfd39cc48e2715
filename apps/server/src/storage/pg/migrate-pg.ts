import pg from 'pg';
import { assertNotNewer, loadMigrations } from '../migrate.js';
import { isConnectionFailure, storageError } from './errors.js';

/** The advisory lock key every Tessera process migrating a PostgreSQL database takes (any constant would do). */
export const MIGRATION_LOCK = 0x7e55e4a_0001;

export interface MigratePgOptions {
  /** Stops short of a version: upgrade tests build a database as an older release left it. */
  before?: number;
  /** How long to wait for another process's migration to finish before giving up. */
  lockTimeoutMs?: number;
}

/**
 * Applies every PostgreSQL migration not yet recorded, each in its own transaction. Forward only.
 * One connection holds a session advisory lock throughout, and the recorded set is read under it, so
 * nodes starting together migrate once between them: the others wait, then find nothing to do
 * (Kysely's migrator). A database migrated by a newer Tessera is refused.
 */
export async function migratePg(target: pg.Pool | string, options: MigratePgOptions = {}): Promise<number[]> {
  const { before = Infinity, lockTimeoutMs = 60_000 } = options;
  const own =
    typeof target === 'string' ? new pg.Client({ connectionString: target, application_name: 'tessera:migrate', connectionTimeoutMillis: 5_000 }) : undefined;
  // A lost socket also fails the pending statement; the listener keeps its error event from ending the process.
  own?.on('error', () => {});
  let client: pg.ClientBase;
  let release: (err?: Error) => void;
  try {
    if (own) {
      await own.connect();
      [client, release] = [own, () => void own.end().catch(() => undefined)];
    } else {
      const pooled = await (target as pg.Pool).connect();
      [client, release] = [pooled, (err) => pooled.release(err)];
    }
  } catch (err) {
    await own?.end().catch(() => undefined);
    throw storageError(err);
  }

  let broken: Error | undefined;
  let locked = false;
  try {
    // A session lock, held past this transaction's end; lock_timeout bounds only the wait for it.
    try {
      await client.query(`BEGIN; SET LOCAL lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}; SELECT pg_advisory_lock(${MIGRATION_LOCK}); COMMIT`);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    locked = true;
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    assertNotNewer(applied);
    const ran: number[] = [];
    for (const m of loadMigrations('pg')) {
      if (applied.has(m.version) || m.version >= before) continue;
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (isConnectionFailure(err)) throw err;
        throw new Error(`migration ${m.file} failed: ${(err as Error).message}`, { cause: err });
      }
      ran.push(m.version);
    }
    return ran;
  } catch (err) {
    if (isConnectionFailure(err)) broken = err as Error;
    if ((err as { code?: unknown }).code === '55P03') {
      throw new Error('another Tessera process has been migrating this database for too long: try again once it is done', { cause: err });
    }
    throw storageError(err);
  } finally {
    if (locked && !broken) await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`).catch((err: Error) => (broken = err));
    release(broken);
  }
}
