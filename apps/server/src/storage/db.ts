import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile, makePrivateFolder, tightenToPrivate } from './private-files.js';

export type Db = Database.Database;

export interface OpenOptions {
  /**
   * Only a database Tessera already made: for commands run by hand, where a mistyped TESSERA_DB
   * must neither create an empty instance nor touch some other file.
   */
  existing?: boolean;
  /** Told when a file's mode was tightened or could not be; stderr unless given. */
  onNotice?: (message: string) => void;
}

/** The files SQLite keeps beside the database; each holds pages of it. */
const companions = (file: string) => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];

/**
 * Opens the SQLite file with the pragmas Tessera relies on. A new database is created 0600 in a
 * folder created 0700; SQLite gives its -wal and -shm the main file's mode. An existing database
 * that other users can read is tightened (see private-files.ts).
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const notice = options.onNotice ?? ((m: string) => process.stderr.write(`${m}\n`));
  let db: Db;
  if (file === ':memory:') {
    db = new Database(file);
  } else if (options.existing) {
    db = openExisting(file);
    for (const f of companions(file)) tightenToPrivate(f, notice);
  } else {
    makePrivateFolder(path.dirname(file));
    // Before SQLite opens it: the -wal and -shm it creates copy this file's mode.
    if (!createPrivateFile(file)) for (const f of companions(file)) tightenToPrivate(f, notice);
    db = new Database(file);
  }
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Opens file only if it exists and holds Tessera's schema; reads, never writes, until it knows. */
function openExisting(file: string): Db {
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
    if (ours && db.prepare('SELECT 1 FROM schema_migrations WHERE version = 1').get()) return db;
  } catch {
    // SQLITE_NOTADB and the like: not ours either.
  }
  db.close();
  throw notTessera;
}
