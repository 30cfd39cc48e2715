import type { Db } from './db.js';

/** How often another process's commits are looked for (PRAGMA data_version costs as much as a read). */
const EXTERNAL_POLL_MS = 100;

/**
 * A number that moves whenever the database may have changed: at once for any row written
 * through this connection (SQLite's total_changes(), an in-memory counter that costs no lock),
 * and within EXTERNAL_POLL_MS for commits by another connection (PRAGMA data_version). Every
 * command Tessera runs writes through the app's one connection, so a cache checked against this
 * can never answer from before a command: a removed manager, a deactivated user or revoked tokens
 * hold from the very next request.
 */
export class DataVersion {
  readonly #changes;
  readonly #external;
  #lastChanges = -1;
  #lastExternal: unknown;
  #polledAt = 0;
  #version = 0;

  constructor(private readonly db: Db) {
    this.#changes = db.prepare('SELECT total_changes()').pluck();
    this.#external = db.prepare('PRAGMA data_version').pluck();
    this.#lastExternal = this.#external.get();
  }

  current(): number {
    const changes = this.#changes.get() as number;
    if (changes !== this.#lastChanges) {
      this.#lastChanges = changes;
      this.#version++;
    }
    const now = Date.now();
    if (now - this.#polledAt >= EXTERNAL_POLL_MS) {
      this.#polledAt = now;
      const external = this.#external.get();
      if (external !== this.#lastExternal) {
        this.#lastExternal = external;
        this.#version++;
      }
    }
    return this.#version;
  }

  /** True inside a transaction, whose reads may yet be rolled back: nothing read then is kept. */
  get inTransaction(): boolean {
    return this.db.inTransaction;
  }
}

const versions = new WeakMap<Db, DataVersion>();

/** The one DataVersion of a connection. */
export function dataVersionOf(db: Db): DataVersion {
  let v = versions.get(db);
  if (!v) {
    v = new DataVersion(db);
    versions.set(db, v);
  }
  return v;
}

/**
 * Rows read on every request (a client's credentials, a user's state, a caller's grants), kept
 * until the database may have changed, then all forgotten at once. Only found rows are kept, so
 * unknown keys cannot fill it; at most `max` entries, the least recently added going first.
 * Values are shared between requests and must not be changed by callers.
 */
export class VersionedCache<K, V> {
  readonly #entries = new Map<K, V>();
  #version = -1;

  constructor(
    private readonly version: DataVersion,
    private readonly max: number,
  ) {}

  get(key: K, load: (key: K) => V | undefined): V | undefined {
    const now = this.version.current();
    if (now !== this.#version) {
      this.#entries.clear();
      this.#version = now;
    }
    const hit = this.#entries.get(key);
    if (hit !== undefined) return hit;
    const loaded = load(key);
    if (loaded !== undefined && !this.version.inTransaction) {
      if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(key, loaded);
    }
    return loaded;
  }
}
