import type Database from 'better-sqlite3';
import type { Db } from './db.js';

const INSTALLED = Symbol('tessera.statementCache');

/**
 * More distinct SQL texts than the server uses (about 80, searches building a few variants each);
 * a compiled statement holds a few KB of SQLite's memory, so the bound also bounds that.
 */
const DEFAULT_MAX = 200;

type Statement = Database.Statement<unknown[]>;
type Args = unknown[];

interface Modes {
  pluck: boolean;
  expand: boolean;
  raw: boolean;
  safeIntegers: boolean;
}

const DEFAULT_MODES: Modes = { pluck: false, expand: false, raw: false, safeIntegers: false };

/** One compiled statement and the modes it is set to right now. */
interface Compiled {
  stmt: Statement;
  modes: Modes;
}

/**
 * What db.prepare hands out: the caller's own view of a shared compiled statement. It keeps its
 * own modes (pluck, expand, raw, safeIntegers) and sets them on the compiled statement just
 * before each run, so callers that prepare the same text never see each other's modes, whether
 * they hold the statement for the life of the app or use it once. While the compiled statement
 * is busy (an open iterator), a run uses a fresh one.
 */
class SharedStatement {
  #modes: Modes = { ...DEFAULT_MODES };
  #own: Compiled | undefined;

  constructor(
    private readonly compiled: Compiled,
    private readonly compile: () => Statement,
  ) {}

  get source(): string {
    return this.compiled.stmt.source;
  }
  get reader(): boolean {
    return this.compiled.stmt.reader;
  }
  get readonly(): boolean {
    return this.compiled.stmt.readonly;
  }
  get busy(): boolean {
    return (this.#own ?? this.compiled).stmt.busy;
  }
  get database(): Db {
    return this.compiled.stmt.database;
  }

  // better-sqlite3 refuses these modes on statements that return no data; so do these.
  pluck(on = true): this {
    this.#readerOnly('pluck');
    this.#modes = { ...this.#modes, pluck: on, ...(on ? { expand: false, raw: false } : {}) };
    return this;
  }
  expand(on = true): this {
    this.#readerOnly('expand');
    this.#modes = { ...this.#modes, expand: on, ...(on ? { pluck: false, raw: false } : {}) };
    return this;
  }
  raw(on = true): this {
    this.#readerOnly('raw');
    this.#modes = { ...this.#modes, raw: on, ...(on ? { pluck: false, expand: false } : {}) };
    return this;
  }
  safeIntegers(on = true): this {
    this.#modes = { ...this.#modes, safeIntegers: on };
    return this;
  }
  /** Parameters bound for good belong to this caller alone: it gets a statement of its own. */
  bind(...args: Args): this {
    this.#own ??= { stmt: this.compile(), modes: { ...DEFAULT_MODES } };
    this.#own.stmt.bind(...args);
    return this;
  }
  columns(): ReturnType<Statement['columns']> {
    return this.compiled.stmt.columns();
  }

  get(...args: Args): unknown {
    return this.#ready().get(...args);
  }
  all(...args: Args): unknown[] {
    return this.#ready().all(...args);
  }
  run(...args: Args): ReturnType<Statement['run']> {
    return this.#ready().run(...args);
  }
  iterate(...args: Args): IterableIterator<unknown> {
    return this.#ready().iterate(...args);
  }

  #readerOnly(method: string): void {
    if (!this.compiled.stmt.reader) throw new TypeError(`The ${method}() method is only for statements that return data`);
  }

  #ready(): Statement {
    let c = this.#own ?? this.compiled;
    if (c.stmt.busy && !this.#own) c = { stmt: this.compile(), modes: { ...DEFAULT_MODES } };
    const want = this.#modes;
    const have = c.modes;
    if (want.pluck !== have.pluck || want.expand !== have.expand || want.raw !== have.raw) {
      // Turn the others off first: each of the three switches the other two off when set.
      c.stmt.pluck(false).expand(false).raw(false);
      if (want.pluck) c.stmt.pluck(true);
      if (want.expand) c.stmt.expand(true);
      if (want.raw) c.stmt.raw(true);
      c.modes = { ...c.modes, pluck: want.pluck, expand: want.expand, raw: want.raw };
    }
    if (want.safeIntegers !== have.safeIntegers) {
      c.stmt.safeIntegers(want.safeIntegers);
      c.modes = { ...c.modes, safeIntegers: want.safeIntegers };
    }
    return c.stmt;
  }
}

/**
 * Domain code prepares its SQL where it runs it (`db.prepare(sql).get(...)`), which reads well
 * but compiles the statement again on every call: about 5 µs, more than a primary-key read. This
 * makes `db.prepare` compile each distinct text once and hand out a SharedStatement over it, which
 * behaves as a freshly prepared statement would. The least recently used text goes once `max`
 * are kept (statements already handed out keep working).
 */
export function cacheStatements(db: Db, max = DEFAULT_MAX): void {
  const tagged = db as Db & { [INSTALLED]?: true };
  if (tagged[INSTALLED]) return;
  tagged[INSTALLED] = true;
  const original = db.prepare;
  const prepare = (sql: string) => original.call(db, sql) as Statement;
  const cache = new Map<string, Compiled>();
  db.prepare = ((sql: string) => {
    let compiled = cache.get(sql);
    if (compiled) {
      // Most recently used last, so the statements in use outlive a burst of one-off texts.
      cache.delete(sql);
    } else {
      compiled = { stmt: prepare(sql), modes: { ...DEFAULT_MODES } };
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, compiled);
    return new SharedStatement(compiled, () => prepare(sql)) as unknown as Statement;
  }) as Db['prepare'];
}
