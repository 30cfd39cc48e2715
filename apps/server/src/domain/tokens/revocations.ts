import type { Db } from '../../storage/db.js';

const PRUNE_MS = 10 * 60_000;

/**
 * Refuses every token the user was issued so far, and none issued after: its token generation
 * moves on (claims.ts). "Revoke Tokens" and deactivation do this. tokens_valid_after still moves
 * too: it is what judges tokens issued before generations existed.
 */
export function revokeAllTokensOf(db: Db, userId: string, nowMs = Date.now()): void {
  db.prepare('UPDATE users SET token_generation = token_generation + 1, tokens_valid_after = max(tokens_valid_after, ?) WHERE id = ?').run(
    nowMs,
    userId,
  );
}

/**
 * Individually revoked tokens (RFC 7009). Only the jti is kept, and only until the token would
 * have expired anyway, so the table stays as small as the set of live revoked tokens. Checks are
 * answered from memory; the table exists so revocations survive a restart.
 */
export class RevocationList {
  readonly #revoked = new Map<string, number>();
  readonly #insert;
  readonly #prune;
  readonly #timer: NodeJS.Timeout;

  constructor(db: Db) {
    this.#insert = db.prepare('INSERT OR IGNORE INTO revoked_tokens (jti, expires_at) VALUES (?, ?)');
    this.#prune = db.prepare('DELETE FROM revoked_tokens WHERE expires_at <= ?');
    this.#prune.run(nowSeconds());
    const rows = db.prepare('SELECT jti, expires_at FROM revoked_tokens').all() as { jti: string; expires_at: number }[];
    for (const r of rows) this.#revoked.set(r.jti, r.expires_at);
    this.#timer = setInterval(() => this.prune(), PRUNE_MS);
    this.#timer.unref();
  }

  has(jti: string): boolean {
    return this.#revoked.has(jti);
  }

  /** exp: the token's own expiry (epoch seconds); the entry is dropped after it. */
  revoke(jti: string, exp: number): void {
    if (exp <= nowSeconds()) return;
    this.#insert.run(jti, exp);
    this.#revoked.set(jti, exp);
  }

  get size(): number {
    return this.#revoked.size;
  }

  prune(now = nowSeconds()): void {
    for (const [jti, exp] of this.#revoked) if (exp <= now) this.#revoked.delete(jti);
    try {
      this.#prune.run(now);
    } catch {
      // The database is closing; the next start prunes.
    }
  }

  close(): void {
    clearInterval(this.#timer);
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
