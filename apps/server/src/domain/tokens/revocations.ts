import type { Sql, Storage } from '../../storage/port.js';

const PRUNE_MS = 10 * 60_000;
/** Revocations made on another node are re-read at most this often, once the database has changed. */
const RELOAD_MS = 500;

/**
 * Live individual revocations one service user may hold. Any client with a secret may revoke its
 * own tokens, hundreds a second, and each is kept until its token would have expired: unbounded,
 * one client could fill memory and disk. A client that revokes every token after each job, one
 * job a minute, holds 720 under the default 12-hour lifetime.
 */
export const REVOCATIONS_PER_CLIENT = 1_000;
/** Live individual revocations of all clients together (about 200 bytes each in memory). */
export const REVOCATIONS_TOTAL = 100_000;

export interface RevocationLimits {
  perClient: number;
  total: number;
}

/**
 * 'one': that token is refused from now on. 'all': a limit was reached, so every token the user
 * was issued so far is refused instead, and its individual revocations are forgotten as no longer
 * needed. 'expired': the token had expired; nothing to remember.
 */
export type Revoked = 'one' | 'all' | 'expired';

/**
 * Refuses every token the user was issued so far, and none issued after: its token generation
 * moves on (claims.ts). "Revoke Tokens", deactivation and a revocation past the limits do this.
 * tokens_valid_after still moves too: it is what judges tokens issued before generations existed.
 */
export async function revokeAllTokensOf(tx: Sql, userId: string, nowMs = Date.now()): Promise<void> {
  await tx.run(
    'UPDATE users SET token_generation = token_generation + 1, tokens_valid_after = CASE WHEN tokens_valid_after > ? THEN tokens_valid_after ELSE ? END WHERE id = ?',
    [nowMs, nowMs, userId],
  );
}

/**
 * Individually revoked tokens (RFC 7009). Only the jti is kept, with the user who revoked it, and
 * only until the token would have expired anyway. Checks are answered from memory; the table
 * makes revocations survive a restart and reach the other nodes, which re-read it (at most every
 * RELOAD_MS) once the database has changed. At most `perClient` live entries per user and `total`
 * in all: a revocation past either revokes all of that user's tokens instead (revokeAllTokensOf),
 * which takes one row, not one per token.
 */
export class RevocationList {
  /** jti -> the user who revoked it ('' for rows kept from before revocations named their user). */
  readonly #owners = new Map<string, string>();
  /** user -> (jti -> expiry, epoch seconds). */
  readonly #byUser = new Map<string, Map<string, number>>();
  readonly #timer: NodeJS.Timeout;
  #seenVersion = -1;
  #reloadedAt = 0;
  readonly #revokingAll = new Map<string, Promise<void>>();
  #reloading: Promise<void> | undefined;

  private constructor(
    private readonly storage: Storage,
    private readonly limits: RevocationLimits,
  ) {
    this.#timer = setInterval(() => void this.prune().catch(() => undefined), PRUNE_MS);
    this.#timer.unref();
  }

  static async open(storage: Storage, limits: RevocationLimits = { perClient: REVOCATIONS_PER_CLIENT, total: REVOCATIONS_TOTAL }): Promise<RevocationList> {
    const list = new RevocationList(storage, limits);
    await storage.run('DELETE FROM revoked_tokens WHERE expires_at <= ?', [nowSeconds()]);
    await list.#reload();
    return list;
  }

  has(jti: string): boolean {
    this.#follow();
    return this.#owners.has(jti);
  }

  /**
   * has(), exact from the first request after any change: until the table has been re-read since
   * the database last changed, a jti not held in memory is looked up by its key. Memory alone would
   * still hold what was read before a revocation made on another node, and a re-read running while
   * this node revokes may replace memory with rows read before that revocation committed.
   */
  async isRevoked(jti: string): Promise<boolean> {
    if (this.has(jti)) return true;
    if (this.storage.version.current() === this.#seenVersion) return false;
    return (await this.storage.one('SELECT 1 AS revoked FROM revoked_tokens WHERE jti = ?', [jti])) !== undefined;
  }

  /** exp: the token's own expiry (epoch seconds); the entry is dropped after it. userId: whose token it is. */
  async revoke(jti: string, exp: number, userId: string): Promise<Revoked> {
    if (exp <= nowSeconds()) return 'expired';
    if (this.#owners.has(jti)) return 'one';
    // A revocation of all this user's tokens already under way covers this token too: one is enough.
    const underWay = this.#revokingAll.get(userId);
    if (underWay) {
      await underWay;
      return 'one';
    }
    const mine = this.#byUser.get(userId);
    if ((mine?.size ?? 0) >= this.limits.perClient || this.#owners.size >= this.limits.total) {
      const all = this.storage.command(async (tx) => {
        await revokeAllTokensOf(tx, userId);
        await tx.run('DELETE FROM revoked_tokens WHERE user_id = ?', [userId]);
      });
      this.#revokingAll.set(userId, all);
      try {
        await all;
      } finally {
        this.#revokingAll.delete(userId);
      }
      for (const j of mine?.keys() ?? []) this.#owners.delete(j);
      this.#byUser.delete(userId);
      return 'all';
    }
    this.#remember(jti, exp, userId);
    await this.storage.command((tx) =>
      tx.run('INSERT INTO revoked_tokens (jti, expires_at, user_id) VALUES (?, ?, ?) ON CONFLICT (jti) DO NOTHING', [jti, exp, userId]),
    );
    return 'one';
  }

  /** Once the database has changed (another node may have revoked), re-read the table in the background. */
  #follow(): void {
    const v = this.storage.version.current();
    if (v === this.#seenVersion || this.#reloading || Date.now() - this.#reloadedAt < RELOAD_MS) return;
    this.#reloading = this.#reload()
      .catch(() => undefined)
      .finally(() => (this.#reloading = undefined));
  }

  async #reload(): Promise<void> {
    const v = this.storage.version.current();
    const rows = await this.storage.all<{ jti: string; expires_at: number; user_id: string | null }>('SELECT jti, expires_at, user_id FROM revoked_tokens');
    this.#owners.clear();
    this.#byUser.clear();
    for (const r of rows) this.#remember(r.jti, r.expires_at, r.user_id ?? '');
    this.#seenVersion = v;
    this.#reloadedAt = Date.now();
  }

  get size(): number {
    return this.#owners.size;
  }

  async prune(now = nowSeconds()): Promise<void> {
    for (const [userId, entries] of this.#byUser) {
      for (const [jti, exp] of entries) {
        if (exp > now) continue;
        entries.delete(jti);
        this.#owners.delete(jti);
      }
      if (entries.size === 0) this.#byUser.delete(userId);
    }
    await this.storage.run('DELETE FROM revoked_tokens WHERE expires_at <= ?', [now]);
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #remember(jti: string, exp: number, userId: string): void {
    let entries = this.#byUser.get(userId);
    if (!entries) this.#byUser.set(userId, (entries = new Map<string, number>()));
    entries.set(jti, exp);
    this.#owners.set(jti, userId);
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
