import type { Storage } from './port.js';
import { SqliteStorage } from './sqlite/sqlite-storage.js';
import type { Db } from './db.js';

/**
 * Runs fn with SQLite's secure_delete on: the bytes of deleted or shrunk rows are overwritten with
 * zeros instead of lingering in free space, where a copy of the file (or a backup made with
 * SQLite's backup API, which copies pages as they are) would still carry them. Used only around
 * writes that remove key material, so everyday writes pay nothing for it.
 */
export function withSecureDelete<T>(db: Db, fn: () => T): T {
  const before = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    return fn();
  } finally {
    db.pragma(`secure_delete = ${before ? 'ON' : 'OFF'}`);
  }
}

/**
 * Folds the WAL into the database and truncates it, so earlier page images (holding removed key
 * material) do not stay in the -wal file. Never waits: if a reader holds an old snapshot, the
 * checkpoint does what it can and the WAL is reused by later writes.
 */
export function truncateWal(db: Db): void {
  if (db.memory) return;
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // Busy: the WAL is still folded in by the next automatic checkpoint.
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

/**
 * Runs a write that removes key material so it leaves no copy behind: on SQLite with
 * secure_delete on and the WAL truncated after; PostgreSQL's dead tuples are its VACUUM's to
 * reclaim, and its backups are the operator's pg_dump, which copies rows, not pages.
 */
export async function scrubbed<T>(storage: Storage, fn: () => Promise<T>): Promise<T> {
  if (!(storage instanceof SqliteStorage)) return fn();
  const db = storage.db;
  const before = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    return await fn();
  } finally {
    db.pragma(`secure_delete = ${before ? 'ON' : 'OFF'}`);
    truncateWal(db);
  }
}
