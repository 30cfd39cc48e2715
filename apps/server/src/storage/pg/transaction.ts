import type pg from 'pg';
import type { Params, Sql } from '../port.js';
import { CHANGES_CHANNEL } from './change-feed.js';
import { isConnectionFailure, isRetryableConflict, storageError } from './errors.js';
import type { StatementCache } from './placeholders.js';

/** Runs of a command that lost to a concurrent one (serialization failure, deadlock) before giving up. */
const MAX_ATTEMPTS = 5;

/**
 * The last statement of every command: move the shared counter and tell the other nodes, in the same
 * transaction, so they hear of it exactly when its rows are visible (NOTIFY is delivered on commit).
 * The counter's row lock makes its values commit in order.
 */
const BUMP = `WITH b AS (UPDATE change_version SET v = v + 1 WHERE id = 1 RETURNING v)
  SELECT v, pg_notify('${CHANGES_CHANNEL}', v::text) FROM b`;

/** A domain statement as pg runs it: numbered placeholders, and a name once it is hot. */
export function queryConfig(statements: StatementCache, sql: string, params: Params | undefined): pg.QueryConfig {
  const { text, name } = statements.get(sql);
  return { text, name, values: params as unknown[] | undefined };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A command's handle: every statement on the one connection that holds its transaction. */
export class PgTransaction implements Sql {
  readonly engine = 'pg' as const;
  /** The first statement that failed: once one has, PostgreSQL refuses the rest of the transaction. */
  firstError: unknown;
  #ended = false;

  private constructor(
    private readonly client: pg.PoolClient,
    private readonly statements: StatementCache,
  ) {}

  async one<T>(text: string, params?: Params): Promise<T | undefined> {
    return (await this.#query<T>(text, params)).rows[0];
  }

  async all<T>(text: string, params?: Params): Promise<T[]> {
    return (await this.#query<T>(text, params)).rows;
  }

  async run(text: string, params?: Params): Promise<number> {
    return (await this.#query(text, params)).rowCount ?? 0;
  }

  async #query<T>(text: string, params?: Params): Promise<pg.QueryResult<T & pg.QueryResultRow>> {
    // A statement issued after the command returned would run outside its transaction, or in another's.
    if (this.#ended) throw new Error('this transaction has ended: use its handle only inside its command');
    try {
      return await this.client.query<T & pg.QueryResultRow>(queryConfig(this.statements, text, params));
    } catch (err) {
      this.firstError ??= err;
      throw storageError(err);
    }
  }

  /**
   * Runs fn in one READ COMMITTED transaction on one pooled connection, bumps the change counter and
   * commits; rolls back and rethrows fn's error otherwise. A serialization failure or deadlock (40001,
   * 40P01) runs fn again from the start, a few times, after a random pause: fn must do nothing but
   * its statements until it returns. A unique violation is not retried: it is the caller's answer.
   */
  static async run<T>(pool: pg.Pool, statements: StatementCache, fn: (tx: Sql) => Promise<T>, committed: (v: number) => void): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await PgTransaction.#attempt(pool, statements, fn, committed);
      } catch (err) {
        if (!isRetryableConflict(err) || attempt >= MAX_ATTEMPTS) throw storageError(err);
        // 5-20 ms, then 10-40 ms, ...: the losers of one conflict do not meet again in step.
        await sleep(5 * 2 ** (attempt - 1) * (1 + Math.random() * 3));
      }
    }
  }

  static async #attempt<T>(pool: pg.Pool, statements: StatementCache, fn: (tx: Sql) => Promise<T>, committed: (v: number) => void): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw storageError(err);
    }
    const tx = new PgTransaction(client, statements);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      const result = await fn(tx);
      let v: number;
      try {
        v = (await client.query<{ v: number }>({ name: 'tessera_bump', text: BUMP })).rows[0]!.v;
      } catch (err) {
        // fn caught a failed statement and went on; the transaction was lost then (25P02), so that
        // statement's error is the one to report.
        throw (err as { code?: unknown }).code === '25P02' && tx.firstError ? tx.firstError : err;
      }
      await client.query('COMMIT');
      tx.#ended = true;
      committed(v);
      return result;
    } catch (err) {
      tx.#ended = true;
      if (isConnectionFailure(err)) {
        broken = err as Error;
      } else {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr as Error;
        }
      }
      throw err;
    } finally {
      // A connection whose state is unknown goes; the pool opens another.
      client.release(broken);
    }
  }
}
