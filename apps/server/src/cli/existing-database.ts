import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from '../storage/db.js';
import { migrate } from '../storage/migrate.js';
import { CliError, USAGE_ERROR } from './command.js';

/**
 * The database at TESSERA_DB, which must already be a Tessera database: a mistyped path must not
 * create an empty one and report success on it. Brought up to date (migrations) like the server
 * does at start.
 */
export function openExistingDatabase(file: string): Db {
  if (!fs.existsSync(file)) {
    throw new CliError(`no database at ${file}: set TESSERA_DB to the file the server uses (nothing was created)`, USAGE_ERROR);
  }
  let db: Db | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'orgs')").pluck().all();
    if (tables.length !== 2) throw new Error('not ours');
  } catch {
    db?.close();
    throw new CliError(`${file} is not a Tessera database: set TESSERA_DB to the file the server uses`, USAGE_ERROR);
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
}
