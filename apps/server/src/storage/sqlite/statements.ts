import type Database from 'better-sqlite3';
import type { Db } from '../db.js';

type Statement = Database.Statement<unknown[]>;

/**
 * More distinct SQL texts than the server uses (about 80, searches building a few variants each);
 * a compiled statement holds a few KB of SQLite's memory, so the bound also bounds that.
 */
const MAX = 200;

/**
 * Each distinct SQL text compiled once per connection (compiling costs about 5 µs, more than a
 * primary-key read); the least recently used text goes once MAX are kept.
 */
export class StatementCache {
  readonly #cache = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  get(text: string): Statement {
    let stmt = this.#cache.get(text);
    if (stmt) {
      this.#cache.delete(text);
    } else {
      stmt = this.db.prepare(text);
      if (this.#cache.size >= MAX) this.#cache.delete(this.#cache.keys().next().value!);
    }
    this.#cache.set(text, stmt);
    // An iterator still open on it (none today) would make it busy: a run then uses a fresh one.
    return stmt.busy ? this.db.prepare(text) : stmt;
  }
}
