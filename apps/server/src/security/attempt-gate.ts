import type { Engine, Params, Storage } from '../storage/port.js';
import { FailureLimiter } from './failure-limiter.js';

/**
 * Failure limits on a slow or guessable check (a password, a client secret), counted per
 * (address, name) pair and per address. An attempt is checked and counted in one step before the
 * work it guards starts, so parallel attempts cannot all pass a check made before any of them was
 * counted. A success gives back its count at the address and clears its own pair.
 */
export interface AttemptLimits {
  pair: number;
  address: number;
  windowMs: number;
  /** In memory only: at most this many keys per limit (context.ts says why that is safe). */
  maxKeys: number;
}

export interface Admission {
  /** The attempt succeeded: its count at the address is given back and its pair's cleared. */
  succeeded(): Promise<void>;
  /** The attempt was never checked (e.g. no room to hash it): both its counts are given back. */
  withdraw(): Promise<void>;
}

/**
 * What a statement that carries a check reads: the live counts of two keys, `countsColumn()` in its
 * select list with expressions that hold these values.
 */
export interface CheckColumn {
  pair: string;
  address: string;
  /** Counts whose window ends by then are over. */
  since: number;
}

/** A scalar subquery: the live counts under two keys as JSON text, [[key, count, window_end], ...], or null (or [] on SQLite). */
export function countsColumn(engine: Engine, pair: string, address: string, since: string): string {
  const rows = engine === 'pg' ? 'json_agg(json_build_array(key, count, window_end))::text' : 'json_group_array(json_array(key, count, window_end))';
  return `(SELECT ${rows} FROM throttles WHERE key IN (${pair}, ${address}) AND window_end > ${since})`;
}

/** A read that was given a CheckColumn: its own result, and the column's value (undefined if no row came back). */
export interface CarriedRead<T> {
  result: T;
  column?: string | null;
}

export type Checked<T> = { wait: number; result?: undefined } | { wait: 0; result: T };

export interface AttemptGate {
  /**
   * For slow checks (a password hash): an admission, counted under both keys before the check
   * starts; or the seconds to wait when either is at its limit.
   */
  enter(pairKey: string, addressKey: string): Promise<Admission | number>;
  /**
   * For fast checks (a client secret's HMAC): the seconds to wait when either key is at its limit,
   * else 0; counts nothing, so a burst of right answers in flight never locks their client out.
   * The counts are read along with `read`, the caller's own read of what it checks (one round trip
   * where they live in a table); its result is given only when there is no wait.
   */
  check<T>(pairKey: string, addressKey: string, read: (column?: CheckColumn) => Promise<CarriedRead<T>>): Promise<Checked<T>>;
  /**
   * A fast check failed: counted under both keys at once; the seconds to wait if this failure went
   * past a limit (answer it as refused), else 0. Counts are taken one after another, so of N
   * parallel failures exactly the limit answer 0.
   */
  failed(pairKey: string, addressKey: string): Promise<number>;
  /** A fast check succeeded: its pair's count is cleared. */
  passed(pairKey: string): Promise<void>;
  /** Counts failures with no request behind them (tests). */
  fail(kind: 'pair' | 'address', key: string, times?: number): Promise<void>;
  close(): void;
}

/**
 * One process's gate (SQLite served by one process): sliding windows in memory. The check and
 * the count run in one synchronous turn; enter() has no await before it has counted.
 */
export class MemoryGate implements AttemptGate {
  readonly pair: FailureLimiter;
  readonly address: FailureLimiter;

  constructor(limits: AttemptLimits) {
    this.pair = new FailureLimiter(limits.pair, limits.windowMs, limits.maxKeys);
    this.address = new FailureLimiter(limits.address, limits.windowMs, limits.maxKeys);
  }

  async enter(pairKey: string, addressKey: string): Promise<Admission | number> {
    const wait = Math.max(this.pair.retryAfter(pairKey), this.address.retryAfter(addressKey));
    if (wait > 0) return wait;
    const pairAt = this.pair.reserve(pairKey);
    const addressAt = this.address.reserve(addressKey);
    return {
      succeeded: async () => {
        this.address.release(addressKey, addressAt);
        this.pair.reset(pairKey);
      },
      withdraw: async () => {
        this.address.release(addressKey, addressAt);
        this.pair.release(pairKey, pairAt);
      },
    };
  }

  async check<T>(pairKey: string, addressKey: string, read: () => Promise<CarriedRead<T>>): Promise<Checked<T>> {
    const wait = Math.max(this.pair.retryAfter(pairKey), this.address.retryAfter(addressKey));
    return wait > 0 ? { wait } : { wait: 0, result: (await read()).result };
  }

  async failed(pairKey: string, addressKey: string): Promise<number> {
    // Checked again as it is counted, in one turn: attempts whose check awaited something (a
    // signature verified off the main thread) may all have passed check() before any was counted.
    const wait = Math.max(this.pair.retryAfter(pairKey), this.address.retryAfter(addressKey));
    if (wait > 0) return wait;
    this.pair.fail(pairKey);
    this.address.fail(addressKey);
    return 0;
  }

  async passed(pairKey: string): Promise<void> {
    this.pair.reset(pairKey);
  }

  async fail(kind: 'pair' | 'address', key: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) this[kind].fail(key);
  }

  close(): void {
    this.pair.close();
    this.address.close();
  }
}

/** Expired rows are deleted about this often; each node draws its own delay around it. */
const PRUNE_MS = 5 * 60_000;
/** Keys a node remembers as refused, so a flood of refused attempts costs it no writes. */
const MEMO_MAX = 10_000;

/**
 * Several processes' gate (PostgreSQL's nodes, or the workers sharing one SQLite file): the counts
 * live in the `throttles` table, so a guesser spread over the processes meets the same limits as on one. One statement counts both keys; its row locks
 * make concurrent attempts take numbers one after another, so exactly the limit is checked. The
 * window is fixed (it starts at a key's first counted attempt), not sliding as in memory. A refused
 * attempt gives its counts back, so only checked attempts count, as in memory; the node remembers
 * the refusal until the window ends and answers further attempts for that key without a write.
 */
export class SharedGate implements AttemptGate {
  readonly #blocked = new Map<string, number>();
  /** Pair keys this node has seen a row for (read or counted), so that a success knows to clear it. */
  readonly #counted = new Map<string, number>();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly storage: Storage,
    private readonly namespace: string,
    private readonly limits: AttemptLimits,
  ) {
    const prune = () => void storage.run('DELETE FROM throttles WHERE window_end <= ?', [Date.now()]).catch(() => undefined);
    this.#timer = setInterval(prune, PRUNE_MS * (0.5 + Math.random()));
    this.#timer.unref();
  }

  async enter(pairKey: string, addressKey: string): Promise<Admission | number> {
    const keys = { pair: this.#key('pair', pairKey), address: this.#key('address', addressKey) };
    const now = Date.now();
    const memo = Math.max(this.#blockedUntil(keys.pair, now), this.#blockedUntil(keys.address, now));
    if (memo > now) return Math.max(1, Math.ceil((memo - now) / 1000));
    const rows = await this.#count([keys.pair, keys.address], now);
    const over = rows.filter((r) => r.count > (r.key === keys.pair ? this.limits.pair : this.limits.address));
    if (over.length) {
      const until = Math.max(...over.map((r) => r.window_end));
      for (const r of over) this.#block(r.key, r.window_end);
      await this.#giveBack([keys.pair, keys.address]);
      return Math.max(1, Math.ceil((until - now) / 1000));
    }
    return {
      succeeded: async () => {
        if (this.storage.engine === 'pg') {
          // One round trip: the address's count given back, the pair's row gone.
          await this.storage.run('WITH back AS (UPDATE throttles SET count = count - 1 WHERE key = ? AND count > 0) DELETE FROM throttles WHERE key = ?', [
            keys.address,
            keys.pair,
          ]);
        } else {
          await this.#giveBack([keys.address]);
          await this.storage.run('DELETE FROM throttles WHERE key = ?', [keys.pair]);
        }
      },
      withdraw: () => this.#giveBack([keys.pair, keys.address]),
    };
  }

  /** The counts ride in the caller's statement as one JSON column; a read that returned no row is followed by the gate's own. */
  async check<T>(pairKey: string, addressKey: string, read: (column: CheckColumn) => Promise<CarriedRead<T>>): Promise<Checked<T>> {
    const keys = { pair: this.#key('pair', pairKey), address: this.#key('address', addressKey) };
    const now = Date.now();
    const memo = Math.max(this.#blockedUntil(keys.pair, now), this.#blockedUntil(keys.address, now));
    if (memo > now) return { wait: Math.max(1, Math.ceil((memo - now) / 1000)) };
    const carried = await read({ pair: keys.pair, address: keys.address, since: now });
    const column =
      carried.column === undefined
        ? (await this.storage.one<{ c: string | null }>(`SELECT ${countsColumn(this.storage.engine, '?', '?', '?')} AS c`, [keys.pair, keys.address, now]))?.c
        : carried.column;
    const rows = column ? (JSON.parse(column) as [key: string, count: number, windowEnd: number][]) : [];
    if (rows.some(([key]) => key === keys.pair)) this.#remember(this.#counted, keys.pair, 1);
    const full = rows.filter(([key, count]) => count >= (key === keys.pair ? this.limits.pair : this.limits.address));
    if (!full.length) return { wait: 0, result: carried.result };
    for (const [key, , windowEnd] of full) this.#block(key, windowEnd);
    return { wait: Math.max(1, Math.ceil((Math.max(...full.map(([, , windowEnd]) => windowEnd)) - now) / 1000)) };
  }

  async failed(pairKey: string, addressKey: string): Promise<number> {
    const keys = { pair: this.#key('pair', pairKey), address: this.#key('address', addressKey) };
    const now = Date.now();
    const rows = await this.#count([keys.pair, keys.address], now);
    this.#remember(this.#counted, keys.pair, 1);
    const over = rows.filter((r) => r.count > (r.key === keys.pair ? this.limits.pair : this.limits.address));
    if (!over.length) return 0;
    for (const r of over) this.#block(r.key, r.window_end);
    return Math.max(1, Math.ceil((Math.max(...over.map((r) => r.window_end)) - now) / 1000));
  }

  /** Deletes the pair's row only when this node saw one: a client that never failed costs no write. */
  async passed(pairKey: string): Promise<void> {
    const key = this.#key('pair', pairKey);
    if (!this.#counted.delete(key)) return;
    await this.storage.run('DELETE FROM throttles WHERE key = ?', [key]);
  }

  async fail(kind: 'pair' | 'address', key: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.#count([this.#key(kind, key)], Date.now());
  }

  close(): void {
    clearInterval(this.#timer);
  }

  /** PostgreSQL's text cannot hold NUL, which a hostile client_id or username may: it counts as U+FFFD. */
  #key(kind: 'pair' | 'address', key: string): string {
    return `${this.namespace}:${kind}:${key.replaceAll('\u0000', '\uFFFD')}`;
  }

  /** One more attempt under each key, atomically per row; a window past its end starts again at 1. */
  #count(keys: string[], now: number): Promise<{ key: string; count: number; window_end: number }[]> {
    const end = now + this.limits.windowMs;
    return this.#write(
      `INSERT INTO throttles (key, count, window_end) VALUES ${keys.map(() => '(?, 1, ?)').join(', ')}
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN throttles.window_end <= ? THEN 1 ELSE throttles.count + 1 END,
         window_end = CASE WHEN throttles.window_end <= ? THEN excluded.window_end ELSE throttles.window_end END
       RETURNING key, count, window_end`,
      [...keys.flatMap((k) => [k, end]), now, now],
    );
  }

  /** A write that returns rows: a plain statement on PostgreSQL; SQLite's plain reads go to a read-only connection. */
  #write<T>(text: string, params: Params): Promise<T[]> {
    return this.storage.engine === 'pg' ? this.storage.all<T>(text, params) : this.storage.command((tx) => tx.all<T>(text, params));
  }

  async #giveBack(keys: string[]): Promise<void> {
    await this.storage.run(`UPDATE throttles SET count = count - 1 WHERE key IN (${keys.map(() => '?').join(', ')}) AND count > 0`, keys);
  }

  #blockedUntil(key: string, now: number): number {
    const until = this.#blocked.get(key);
    if (until === undefined) return 0;
    if (until <= now) this.#blocked.delete(key);
    return until;
  }

  #block(key: string, until: number): void {
    this.#remember(this.#blocked, key, until);
  }

  #remember(memo: Map<string, number>, key: string, value: number): void {
    if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value!);
    memo.set(key, value);
  }
}
