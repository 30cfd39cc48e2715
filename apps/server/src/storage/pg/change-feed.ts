import pg from 'pg';
import type { Logger } from '../../logger.js';
import type { ChangeVersion } from '../port.js';
import { isConnectionFailure } from './errors.js';

/** The channel every command notifies on, with the new change_version as payload (001_initial.pg.sql). */
export const CHANGES_CHANNEL = 'tessera_changes';

export interface ChangeFeedOptions {
  /** Where and how to connect: the feed's own connection, outside the pool. */
  client: pg.ClientConfig;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** How often change_version is read, in case a notification was lost. */
  pollMs?: number;
  /** The longest wait between two reconnection attempts. */
  maxBackoffMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * This node's view of change_version, the counter every command moves in its own transaction.
 * Commands committed elsewhere arrive as notifications on a dedicated LISTEN connection (pooled
 * connections are shared, and a LISTEN on one would be lost with it); a poll of the counter every
 * pollMs catches any notification that was lost. While the connection is down, nothing tells this
 * node what changed, so `current()` moves on every call and caches in front of it keep nothing,
 * until the feed has reconnected, listens again and has read the counter. That follows PostgREST's
 * listener, with the backoff capped at seconds, not 32 s, so service returns soon after an outage.
 */
export class PgChangeFeed implements ChangeVersion {
  readonly #options: Required<Omit<ChangeFeedOptions, 'logger'>> & Pick<ChangeFeedOptions, 'logger'>;
  #version = 0;
  #stale = true;
  /** Every commit up to this counter value is reflected in #version. */
  #known = 0;
  /** Commits above #known already reflected, arrived out of order (a notification before our own COMMIT reply). */
  readonly #ahead = new Set<number>();
  #client: pg.Client | undefined;
  #poll: NodeJS.Timeout | undefined;
  #polling = false;
  #closed = false;
  #reconnecting = false;

  constructor(options: ChangeFeedOptions) {
    // An option passed as undefined keeps its default (a spread would overwrite it: a 1 ms poll).
    this.#options = { ...options, pollMs: options.pollMs ?? 500, maxBackoffMs: options.maxBackoffMs ?? 2000 };
  }

  current(): number {
    return this.#stale ? ++this.#version : this.#version;
  }

  /** True while the feed is down and caches are bypassed. */
  get stale(): boolean {
    return this.#stale;
  }

  /** A command through this node committed and moved the counter to v: its effect shows at once. */
  committed(v: number): void {
    this.#reflect(v);
  }

  /**
   * Connects once. A database that cannot be reached leaves the feed stale and retrying in the
   * background (the pool will answer StorageUnavailable meanwhile); any other failure (no such
   * database, wrong password, an unmigrated schema) is thrown, since retrying will not mend it.
   */
  async start(): Promise<void> {
    try {
      await this.#connect();
    } catch (err) {
      if (!isConnectionFailure(err)) throw err;
      this.#lost(err);
    }
    this.#poll = setInterval(() => void this.#pollOnce(), this.#options.pollMs);
    this.#poll.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#poll);
    const client = this.#client;
    this.#client = undefined;
    this.#stale = true;
    await client?.end().catch(() => undefined);
  }

  #reflect(v: number): void {
    if (this.#stale || v <= this.#known || this.#ahead.has(v)) return;
    this.#version++;
    this.#ahead.add(v);
    while (this.#ahead.delete(this.#known + 1)) this.#known++;
  }

  /**
   * The counter as read: if it is beyond where the commits reflected so far put it, one was missed. A
   * read below it was answered before a commit that has been reflected since: it tells nothing new.
   */
  #read(v: number): void {
    if (v <= this.#known) return;
    this.#version++;
    this.#known = v;
    for (const a of this.#ahead) if (a <= v) this.#ahead.delete(a);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.#options.client);
    // Before connect: an error event without a listener would end the process.
    client.on('error', (err) => this.#lost(err, client));
    client.on('end', () => this.#lost(new Error('Connection terminated'), client));
    client.on('notification', (n) => {
      if (client === this.#client && n.channel === CHANGES_CHANNEL) this.#reflect(Number(n.payload));
    });
    try {
      await client.connect();
      // LISTEN first, then read: a commit in between is in the count read, or notified after it.
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      const { rows } = await client.query<{ v: number }>('SELECT v FROM change_version WHERE id = 1');
      if (this.#closed) throw new Error('closed');
      this.#client = client;
      this.#known = rows[0]?.v ?? 0;
      this.#ahead.clear();
      this.#version++;
      this.#stale = false;
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  async #pollOnce(): Promise<void> {
    const client = this.#client;
    if (!client || this.#polling) return;
    this.#polling = true;
    try {
      const { rows } = await client.query<{ v: number }>('SELECT v FROM change_version WHERE id = 1');
      if (client === this.#client) this.#read(rows[0]?.v ?? 0);
    } catch (err) {
      this.#lost(err, client);
    } finally {
      this.#polling = false;
    }
  }

  /** The connection failed (or never came): bypass caches until a new one has caught up. */
  #lost(err: unknown, client?: pg.Client): void {
    if (client && client !== this.#client) return;
    this.#stale = true;
    this.#client = undefined;
    if (client) {
      client.removeAllListeners('end');
      client.end().catch(() => undefined);
    }
    if (this.#closed || this.#reconnecting) return;
    this.#options.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'change feed lost: caches are bypassed until it reconnects');
    void this.#reconnect();
  }

  async #reconnect(): Promise<void> {
    this.#reconnecting = true;
    for (let attempt = 0; !this.#closed; attempt++) {
      // 100 ms, doubling, at most maxBackoffMs; drawn between half and all of it so nodes spread out.
      const ceiling = Math.min(this.#options.maxBackoffMs, 100 * 2 ** attempt);
      await sleep(ceiling * (0.5 + Math.random() / 2));
      if (this.#closed) break;
      try {
        await this.#connect();
        this.#options.logger?.info('change feed reconnected');
        break;
      } catch (err) {
        if (attempt === 0 || !isConnectionFailure(err)) {
          this.#options.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'change feed cannot reconnect yet');
        }
      }
    }
    this.#reconnecting = false;
  }
}
