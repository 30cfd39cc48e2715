import Database from 'better-sqlite3';
import type { Db } from '../db.js';
import { isUniqueViolation, type ChangeVersion, type Params, type Sql, type Storage, type StorageFailure } from '../port.js';
import { StatementCache } from './statements.js';

/** How often another process's commits (the CLI, a second process on the file) are looked for. */
const EXTERNAL_POLL_MS = 100;

/**
 * The SQLite adapter: better-sqlite3 answers synchronously, so each call is one step on the event
 * loop and the await around it costs next to nothing.
 *
 * Two connections, because the port is async: while a command awaits inside its transaction,
 * other requests run. Commands and plain writes take turns on the writer connection (one open
 * transaction at a time); plain reads go to a second connection, which in WAL mode sees only
 * committed rows and never waits for the writer, so no request reads what a command may still
 * roll back.
 */
export class SqliteStorage implements Storage {
  readonly engine = 'sqlite' as const;
  readonly version: SqliteVersion;
  readonly #readerDb: Db;
  /** Plain reads: the reader connection. */
  readonly #read: Sql;
  /** A command's statements: the writer connection, inside its transaction. */
  readonly #tx: Sql;
  #turn: Promise<unknown> = Promise.resolve();
  #closed = false;
  onFailure: (failure: StorageFailure) => void = () => {};

  /** db: the writer connection, opened with openDatabase() and migrated. */
  constructor(readonly db: Db) {
    this.#readerDb = db.memory ? db : new Database(db.name, { readonly: true, fileMustExist: true });
    if (this.#readerDb !== db) this.#readerDb.pragma('busy_timeout = 5000');
    const report = (err: unknown) => {
      // Every error better-sqlite3 raises is the database's; a unique violation is the caller's answer.
      if (err instanceof Database.SqliteError && !isUniqueViolation(err)) this.onFailure('statement');
    };
    this.#read = onConnection(this.#readerDb, report);
    this.#tx = onConnection(db, report);
    this.version = new SqliteVersion(db, this.#readerDb);
  }

  one<T>(text: string, params: Params = []): Promise<T | undefined> {
    return this.#read.one<T>(text, params);
  }

  all<T>(text: string, params: Params = []): Promise<T[]> {
    return this.#read.all<T>(text, params);
  }

  run(text: string, params: Params = []): Promise<number> {
    return this.command((tx) => tx.run(text, params));
  }

  /** One IMMEDIATE transaction at a time on the writer; the next waits its turn, not the thread. */
  command<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const result = this.#turn.then(() => this.#transaction(fn));
    this.#turn = result.catch(() => undefined);
    return result;
  }

  async #transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const value = await fn(this.#tx);
      this.db.exec('COMMIT');
      return value;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    } finally {
      this.version.bump();
    }
  }

  async ping(): Promise<void> {
    await this.#read.one('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#turn;
    if (this.#readerDb !== this.db) this.#readerDb.close();
    this.db.close();
  }
}

/** The port's three calls on one connection, each SQL text compiled once; a failing statement is reported, then thrown. */
function onConnection(db: Db, report: (err: unknown) => void): Sql {
  const statements = new StatementCache(db);
  const failed = (err: unknown): never => {
    report(err);
    throw err;
  };
  return {
    engine: 'sqlite',
    one: async <T>(text: string, params: Params = []) => {
      try {
        return statements.get(text).get(...params) as T | undefined;
      } catch (err) {
        return failed(err);
      }
    },
    all: async <T>(text: string, params: Params = []) => {
      try {
        return statements.get(text).all(...params) as T[];
      } catch (err) {
        return failed(err);
      }
    },
    run: async (text: string, params: Params = []) => {
      try {
        return statements.get(text).run(...params).changes;
      } catch (err) {
        return failed(err);
      }
    },
  };
}

/**
 * Moves at once for every row written through this process's writer connection (SQLite's
 * total_changes(), an in-memory counter that costs no lock; commands also bump it on commit), and
 * within EXTERNAL_POLL_MS for commits by another process (PRAGMA data_version on the reader).
 */
export class SqliteVersion implements ChangeVersion {
  readonly #changes;
  readonly #external;
  #lastChanges = -1;
  #lastExternal: unknown;
  #polledAt = 0;
  #version = 0;

  constructor(writer: Db, reader: Db) {
    this.#changes = writer.prepare('SELECT total_changes()').pluck();
    this.#external = reader.prepare('PRAGMA data_version').pluck();
    this.#lastExternal = this.#external.get();
  }

  /** Told after each command through this process ends (a cluster worker tells the others). */
  onCommit: () => void = () => {};

  bump(): void {
    this.#version++;
    this.onCommit();
  }

  /** Another process said it committed: forget now rather than at the next poll. */
  heard(): void {
    this.#version++;
  }

  current(): number {
    try {
      const changes = this.#changes.get() as number;
      if (changes !== this.#lastChanges) {
        this.#lastChanges = changes;
        this.#version++;
      }
    } catch {
      this.#version++;
    }
    const now = Date.now();
    if (now - this.#polledAt >= EXTERNAL_POLL_MS) {
      this.#polledAt = now;
      try {
        const external = this.#external.get();
        if (external !== this.#lastExternal) {
          this.#lastExternal = external;
          this.#version++;
        }
      } catch {
        this.#version++; // a closed connection: trust nothing kept
      }
    }
    return this.#version;
  }
}
