import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from '../storage/db.js';
import { migrate } from '../storage/migrate.js';

/**
 * The database at TESSERA_DB, which must already be a Tessera database: a mistyped path must not
 * create an empty instance and report success on it, nor touch some other file. Brought up to date
 * (migrations) as the server does at start. (The same rule and messages as reset-password's.)
 */
export function openExistingDatabase(file: string): Db {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: check TESSERA_DB`);
  const notTessera = new Error(`${file} is not a Tessera database: check TESSERA_DB`);
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch {
    throw notTessera;
  }
  try {
    const ours = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!ours || !db.prepare('SELECT 1 FROM schema_migrations WHERE version = 1').get()) throw notTessera;
  } catch {
    db.close();
    throw notTessera;
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
