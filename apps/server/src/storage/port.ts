/**
 * The storage port: the one way domain code reaches the database, whichever engine holds it.
 *
 * SQL is written once with `?` placeholders in the subset both engines share (plain SELECT, INSERT
 * ... ON CONFLICT, UPDATE, DELETE, RETURNING); where the dialects differ (user search, the decoy
 * read of client lookup) the caller branches on `engine`. Integers come back as numbers on both
 * engines, text as strings, blobs as Buffers.
 */
export type Engine = 'sqlite' | 'pg';

export type Params = readonly unknown[];

/** Runs statements: on the shared pool/reader, or inside one command's transaction. */
export interface Sql {
  readonly engine: Engine;
  /** The first row, or undefined. */
  one<T>(text: string, params?: Params): Promise<T | undefined>;
  all<T>(text: string, params?: Params): Promise<T[]>;
  /** Runs a write; resolves to the number of rows it changed. */
  run(text: string, params?: Params): Promise<number>;
}

/**
 * A number that moves whenever the database may have changed, so caches in front of it can forget:
 * at once for a command committed through this node, within the engine's propagation bound for
 * one committed elsewhere (another node, the CLI). While a node cannot tell (its change feed is
 * down), `current()` moves on every call, so nothing is answered from a cache.
 */
export interface ChangeVersion {
  current(): number;
}

export interface Storage extends Sql {
  /**
   * Runs fn in one transaction on one connection: its rows and its event commit together or not at
   * all, and the other nodes' caches are told once it has committed. On SQLite commands run one at
   * a time; on PostgreSQL they run side by side and constraints and row locks decide.
   */
  command<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  readonly version: ChangeVersion;
  /** Resolves when the database answers a trivial query; rejects (or times out) otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Told of every failure of the database itself (for the metrics); a unique violation is an answer, not a failure. */
  onFailure: (failure: StorageFailure) => void;
}

/** unavailable: the database could not be reached; statement: it refused or failed a statement. */
export type StorageFailure = 'unavailable' | 'statement';

/** A unique or primary-key constraint refused a write, on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** The database cannot be reached right now (PostgreSQL down, connection refused or lost). */
export class StorageUnavailable extends Error {
  override readonly name = 'StorageUnavailable';
  constructor(cause: unknown) {
    super('the database is unavailable', { cause });
  }
}
