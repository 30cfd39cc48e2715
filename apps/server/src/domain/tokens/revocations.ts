import { inTransaction, type Db } from '../../storage/db.js';

const PRUNE_MS = 10 * 60_000;

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
export function revokeAllTokensOf(db: Db, userId: string, nowMs = Date.now()): void {
  db.prepare('UPDATE users SET token_generation = token_generation + 1, tokens_valid_after = max(tokens_valid_after, ?) WHERE id = ?').run(
    nowMs,
    userId,
  );
}

/**
 * Individually revoked tokens (RFC 7009). Only the jti is kept, with the user who revoked it, and
 * only until the token would have expired anyway. Checks are answered from memory; the table
 * exists so revocations survive a restart. At most `perClient` live entries per user and `total`
 * in all: a revocation past either revokes all of that user's tokens instead (revokeAllTokensOf),
 * which takes one row, not one per token.
 */
export class RevocationList {
  /** jti -> the user who revoked it ('' for rows kept from before revocations named their user). */
  readonly #owners = new Map<string, string>();
  /** user -> (jti -> expiry, epoch seconds). */
  readonly #byUser = new Map<string, Map<string, number>>();
  readonly #insert;
  readonly #forgetUser;
  readonly #prune;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly limits: RevocationLimits = { perClient: REVOCATIONS_PER_CLIENT, total: REVOCATIONS_TOTAL },
  ) {
    this.#insert = db.prepare('INSERT OR IGNORE INTO revoked_tokens (jti, expires_at, user_id) VALUES (?, ?, ?)');
    this.#forgetUser = db.prepare('DELETE FROM revoked_tokens WHERE user_id = ?');
    this.#prune = db.prepare('DELETE FROM revoked_tokens WHERE expires_at <= ?');
    this.#prune.run(nowSeconds());
    const rows = db.prepare('SELECT jti, expires_at, user_id FROM revoked_tokens').all() as { jti: string; expires_at: number; user_id: string | null }[];
    for (const r of rows) this.#remember(r.jti, r.expires_at, r.user_id ?? '');
    this.#timer = setInterval(() => this.prune(), PRUNE_MS);
    this.#timer.unref();
  }

  has(jti: string): boolean {
    return this.#owners.has(jti);
  }

  /** exp: the token's own expiry (epoch seconds); the entry is dropped after it. userId: whose token it is. */
  revoke(jti: string, exp: number, userId: string): Revoked {
    if (exp <= nowSeconds()) return 'expired';
    if (this.#owners.has(jti)) return 'one';
    const mine = this.#byUser.get(userId);
    if ((mine?.size ?? 0) >= this.limits.perClient || this.#owners.size >= this.limits.total) {
      inTransaction(this.db, () => {
        revokeAllTokensOf(this.db, userId);
        this.#forgetUser.run(userId);
      });
      for (const j of mine?.keys() ?? []) this.#owners.delete(j);
      this.#byUser.delete(userId);
      return 'all';
    }
    this.#insert.run(jti, exp, userId);
    this.#remember(jti, exp, userId);
    return 'one';
  }

  get size(): number {
    return this.#owners.size;
  }

  prune(now = nowSeconds()): void {
    for (const [userId, entries] of this.#byUser) {
      for (const [jti, exp] of entries) {
        if (exp > now) continue;
        entries.delete(jti);
        this.#owners.delete(jti);
      }
      if (entries.size === 0) this.#byUser.delete(userId);
    }
    try {
      this.#prune.run(now);
    } catch {
      // The database is closing; the next start prunes.
    }
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #remember(jti: string, exp: number, userId: string): void {
    let entries = this.#byUser.get(userId);
    if (!entries) this.#byUser.set(userId, (entries = new Map()));
    entries.set(jti, exp);
    this.#owners.set(jti, userId);
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
