import pg from 'pg';
import type { Logger } from '../../logger.js';
import type { Params, Sql, Storage, StorageFailure } from '../port.js';
import { PgChangeFeed } from './change-feed.js';
import { isConnectionFailure, pgFailure, storageError } from './errors.js';
import { StatementCache } from './placeholders.js';
import { PgTransaction, queryConfig } from './transaction.js';
import { sqliteLikeTypes } from './types.js';

export interface PgStorageOptions {
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** Shown in pg_stat_activity; the change feed's connection adds ":changes". */
  applicationName?: string;
  /** Pooled connections (the change feed has one more of its own). */
  poolSize?: number;
  /** How long to wait for a connection, from the pool or from the server, before StorageUnavailable. */
  connectionTimeoutMs?: number;
  /** The server cancels a statement running longer (statement_timeout); the client gives up shortly after. */
  statementTimeoutMs?: number;
  /** How often the change feed reads change_version, in case a notification was lost. */
  pollMs?: number;
  /**
   * Statements run more than once become named prepared statements, parsed once per connection
   * (on by default: a primary-key read measured about 1.5x faster). Off for comparison.
   */
  namedStatements?: boolean;
}

/** What a transaction may take before the server ends it, holding locks the other nodes wait for. */
const IDLE_IN_TRANSACTION_MS = 60_000;
/** How long ping() waits for its answer, on top of waiting for a connection. */
const PING_TIMEOUT_MS = 1_000;

export type PgStorage = Storage & { readonly version: PgChangeFeed };

/**
 * The storage port on PostgreSQL: a pg.Pool for statements and commands, and a change feed
 * (change-feed.ts) for the version caches are checked against. Rows read as on SQLite (types.ts);
 * a database out of reach is StorageUnavailable (errors.ts), so the HTTP layer answers 503.
 */
export async function openPgStorage(url: string, options: PgStorageOptions = {}): Promise<PgStorage> {
  const applicationName = options.applicationName ?? 'tessera';
  const statementTimeoutMs = options.statementTimeoutMs ?? 5_000;
  const connection: pg.ClientConfig = {
    connectionString: url,
    types: sqliteLikeTypes(),
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2_000,
    statement_timeout: statementTimeoutMs,
    // A server that stopped answering (not one that refused) is noticed when the reply is late.
    query_timeout: statementTimeoutMs + 2_000,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    keepAlive: true,
  };
  const pool = new pg.Pool({ ...connection, application_name: applicationName, max: options.poolSize ?? 10 });
  // A pooled connection that fails while idle (the server restarted) is dropped by the pool and
  // reported here; without a listener the event would end the process.
  pool.on('error', (err) => options.logger?.warn({ err: err.message }, 'an idle database connection was lost'));
  // The pool listens only while a connection is idle. A socket that fails while one is checked
  // out also fails its pending statement, which is how the caller learns of it; this listener
  // keeps the same error event from ending the process.
  pool.on('connect', (client) => client.on('error', () => {}));

  const feed = new PgChangeFeed({
    client: { ...connection, application_name: `${applicationName}:changes`, query_timeout: 2_000 },
    logger: options.logger,
    pollMs: options.pollMs,
  });
  try {
    await feed.start();
  } catch (err) {
    await pool.end();
    throw storageError(err);
  }
  return new PgPoolStorage(pool, feed, new StatementCache({ maxNamed: options.namedStatements === false ? 0 : undefined }));
}

class PgPoolStorage implements PgStorage {
  readonly engine = 'pg' as const;
  onFailure: (failure: StorageFailure) => void = () => {};

  constructor(
    readonly pool: pg.Pool,
    readonly version: PgChangeFeed,
    readonly statements: StatementCache,
  ) {}

  async one<T>(text: string, params?: Params): Promise<T | undefined> {
    return (await this.#query<T>(queryConfig(this.statements, text, params))).rows[0];
  }

  async all<T>(text: string, params?: Params): Promise<T[]> {
    return (await this.#query<T>(queryConfig(this.statements, text, params))).rows;
  }

  async run(text: string, params?: Params): Promise<number> {
    return (await this.#query(queryConfig(this.statements, text, params))).rowCount ?? 0;
  }

  async command<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    try {
      return await PgTransaction.run(this.pool, this.statements, fn, (v) => this.version.committed(v));
    } catch (err) {
      this.#report(err);
      throw err;
    }
  }

  async ping(): Promise<void> {
    const ping: pg.QueryConfig & { query_timeout: number } = { text: 'SELECT 1', query_timeout: PING_TIMEOUT_MS };
    await this.#query(ping);
  }

  async close(): Promise<void> {
    await this.version.close();
    await this.pool.end();
  }

  /**
   * One statement on a pooled connection. pool.query would drop the connection after any failed
   * statement; here only a lost or timed-out connection is dropped, so a unique violation costs no
   * reconnect.
   */
  async #query<T>(config: pg.QueryConfig): Promise<pg.QueryResult<T & pg.QueryResultRow>> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      this.#report(err);
      throw storageError(err);
    }
    try {
      const result = await client.query<T & pg.QueryResultRow>(config);
      client.release();
      return result;
    } catch (err) {
      client.release(isConnectionFailure(err) ? (err as Error) : undefined);
      this.#report(err);
      throw storageError(err);
    }
  }

  #report(err: unknown): void {
    const failure = pgFailure(err);
    if (failure) this.onFailure(failure);
  }
}
