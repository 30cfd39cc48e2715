import type { Logger } from '../../logger.js';
import type { Storage } from '../../storage/port.js';

/** How often counted uses are written: how far behind "last used" may be, per node. */
export const USAGE_FLUSH_MS = 5_000;
/** Rows per statement: five parameters each, far below either engine's limit. */
const CHUNK = 500;

const HOUR_MS = 3_600_000;
/** Hours since the epoch: the unit uses are counted in. */
export const hourOf = (ms: number) => Math.floor(ms / HOUR_MS);
/** "The last 24 hours": the current hour and the 23 before it. */
export const firstCountedHour = (now: number) => hourOf(now) - 23;

interface Pending {
  /** Uses by hour; two entries only while an hour turns between flushes. */
  hours: Map<number, number>;
  lastAt: number;
  lastAddress: string;
}

/**
 * Successful authentications per client secret, counted in memory and written in batches: every
 * USAGE_FLUSH_MS, before a list of secrets is read (with the sibling workers' counts too), and when
 * the app closes. A token request costs a few map operations and never a write. Several nodes each
 * add their own counts. Counts that could not be written (the database was down) are kept for the
 * next flush; those of a node that is killed outright are lost, at most one interval's worth.
 */
export class SecretUsage {
  #pending = new Map<string, Pending>();
  #writing: Promise<void> = Promise.resolve();
  #prunedHour = -1;
  readonly #timer: NodeJS.Timeout;
  /** Has the other processes counting for this database on this host (cluster workers) write theirs; see workers/link.ts. */
  flushOthers?: () => Promise<void>;

  constructor(
    private readonly storage: Storage,
    private readonly logger: Logger,
    flushMs = USAGE_FLUSH_MS,
  ) {
    this.#timer = setInterval(() => void this.flush(), flushMs);
    this.#timer.unref();
  }

  record(secretId: string, address: string, at = Date.now()): void {
    let p = this.#pending.get(secretId);
    if (!p) this.#pending.set(secretId, (p = { hours: new Map(), lastAt: at, lastAddress: address }));
    const hour = hourOf(at);
    p.hours.set(hour, (p.hours.get(hour) ?? 0) + 1);
    if (at >= p.lastAt) {
      p.lastAt = at;
      p.lastAddress = address;
    }
  }

  /** Writes what was counted so far; flushes run one after another. Never rejects: a failure is logged and retried. */
  flush(): Promise<void> {
    this.#writing = this.#writing.then(() => this.#write());
    return this.#writing;
  }

  /** Before counts are read: this process's, and those of its sibling workers when it has any; other nodes' follow within USAGE_FLUSH_MS. */
  async flushEverywhere(): Promise<void> {
    await Promise.all([this.flush(), this.flushOthers?.()]);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  async #write(): Promise<void> {
    if (!this.#pending.size) return;
    const entries = [...this.#pending];
    this.#pending = new Map();
    let done = 0;
    try {
      for (; done < entries.length; done += CHUNK) await this.#writeChunk(entries.slice(done, done + CHUNK));
      await this.#prune(Date.now());
    } catch (err) {
      // A chunk is written whole or not at all: only those not written are counted again.
      for (const [id, p] of entries.slice(done)) this.#merge(id, p);
      this.logger.warn({ err, secrets: entries.length - done }, 'could not write client secret usage; kept for the next flush');
    }
  }

  /**
   * Adds the uses by hour and moves "last used" forward, for secrets that still exist (one revoked
   * since it was counted is skipped), in one transaction. On PostgreSQL that is one statement, not a
   * command: a command would tell every node to forget its caches, every few seconds.
   */
  async #writeChunk(entries: [string, Pending][]): Promise<void> {
    const rows = entries.flatMap(([id, p]) => [...p.hours].map(([hour, n]) => [id, hour, n, new Date(p.lastAt).toISOString(), p.lastAddress]));
    const params = rows.flat();
    const v = `v (secret_id, hour, uses, at, address) AS (VALUES ${values(rows.length, ['TEXT', 'INTEGER', 'INTEGER', 'TEXT', 'TEXT'])})`;
    const count = `INSERT INTO machine_secret_uses (secret_id, hour, uses)
       SELECT v.secret_id, v.hour, v.uses FROM v JOIN machine_secrets s ON s.id = v.secret_id WHERE true
       ON CONFLICT (secret_id, hour) DO UPDATE SET uses = machine_secret_uses.uses + excluded.uses`;
    const last = `UPDATE machine_secrets SET last_used_at = v.at, last_used_address = v.address
       FROM v WHERE machine_secrets.id = v.secret_id AND (machine_secrets.last_used_at IS NULL OR machine_secrets.last_used_at < v.at)`;
    if (this.storage.engine === 'pg') {
      await this.storage.run(`WITH ${v}, counted AS (${count} RETURNING 1) ${last}`, params);
    } else {
      await this.storage.command(async (tx) => {
        await tx.run(`WITH ${v} ${count}`, params);
        await tx.run(`WITH ${v} ${last}`, params);
      });
    }
  }

  /** Once an hour: counts older than the last 24 hours go, so the table holds at most 24 rows per secret in use. */
  async #prune(now: number): Promise<void> {
    const hour = hourOf(now);
    if (hour === this.#prunedHour) return;
    await this.storage.run('DELETE FROM machine_secret_uses WHERE hour < ?', [firstCountedHour(now)]);
    this.#prunedHour = hour;
  }

  #merge(id: string, p: Pending): void {
    const into = this.#pending.get(id);
    if (!into) return void this.#pending.set(id, p);
    for (const [hour, n] of p.hours) into.hours.set(hour, (into.hours.get(hour) ?? 0) + n);
    if (p.lastAt > into.lastAt) Object.assign(into, { lastAt: p.lastAt, lastAddress: p.lastAddress });
  }
}

/** `(CAST(? AS T1), ...), ...`: typed on both engines, so PostgreSQL need not guess a VALUES list's types. */
function values(rows: number, types: string[]): string {
  const row = `(${types.map((t) => `CAST(? AS ${t})`).join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}
