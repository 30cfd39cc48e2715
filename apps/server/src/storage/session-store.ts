import { createHash } from 'node:crypto';
import session from 'express-session';
import type { Storage } from './port.js';

type Callback = (err?: unknown) => void;

/**
 * The key a session is stored under: SHA-256 of its id, never the id itself, so a copy of the
 * database (or a backup) holds no id to put in a cookie, even with the session key that signs
 * cookies beside it. An id is 24 random bytes (express-session's uid-safe), far too many to guess
 * from the hash, so no salt or key is needed.
 */
export function sessionKey(sid: string): string {
  return createHash('sha256').update(sid).digest('base64url');
}

/** How often expired sessions are deleted; each node draws its own delay around it, so they do not all prune at once. */
const PRUNE_MS = 10 * 60_000;

/** Sessions read and not yet touched or saved, beyond which the oldest readings are forgotten (a touch then writes). */
const READINGS_KEPT = 10_000;

/**
 * express-session store over the sessions table, so sign-ins survive restarts and a session made
 * on one node works on every node. Writes are single upserts; none needs a transaction.
 *
 * Every request moves a session's idle deadline (rolling), but the row is written only when the
 * deadline moves by a tenth of the idle period or a minute, whichever is less: a write per request
 * is a commit, and on PostgreSQL its WAL flush, which each console request waited for (about 40 ms
 * on these machines). A session may so end up to that much before its exact idle deadline.
 */
export class DbSessionStore extends session.Store {
  readonly #timer: NodeJS.Timeout;
  readonly #touchEveryMs: number;
  /** The deadline each session had in the database when this node last read it, until the request's touch. */
  readonly #read = new Map<string, number>();

  constructor(
    private readonly storage: Storage,
    private readonly defaultTtlMs: number,
  ) {
    super();
    this.#touchEveryMs = Math.min(60_000, defaultTtlMs / 10);
    const prune = () => void storage.run('DELETE FROM sessions WHERE expires_at <= ?', [Date.now()]).catch(() => undefined);
    this.#timer = setInterval(prune, PRUNE_MS * (0.5 + Math.random()));
    this.#timer.unref();
  }

  #expiry(sess: session.SessionData): number {
    const expires = sess.cookie?.expires;
    return expires ? new Date(expires).getTime() : Date.now() + this.defaultTtlMs;
  }

  override get(sid: string, cb: (err: unknown, session?: session.SessionData | null) => void): void {
    const key = sessionKey(sid);
    this.storage
      .one<{ data: string; expiresAt: number | string }>('SELECT data, expires_at AS "expiresAt" FROM sessions WHERE sid_hash = ? AND expires_at > ?', [
        key,
        Date.now(),
      ])
      .then((row) => {
        if (row) {
          if (this.#read.size >= READINGS_KEPT) this.#read.delete(this.#read.keys().next().value!);
          this.#read.set(key, Number(row.expiresAt));
        }
        cb(null, row ? (JSON.parse(row.data) as session.SessionData) : null);
      }, cb);
  }

  override set(sid: string, sess: session.SessionData, cb?: Callback): void {
    this.#read.delete(sessionKey(sid));
    this.storage
      .run(
        `INSERT INTO sessions (sid_hash, data, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (sid_hash) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
        [sessionKey(sid), JSON.stringify(sess), this.#expiry(sess)],
      )
      .then(
        () => cb?.(),
        (err: unknown) => cb?.(err),
      );
  }

  override destroy(sid: string, cb?: Callback): void {
    this.#read.delete(sessionKey(sid));
    this.storage.run('DELETE FROM sessions WHERE sid_hash = ?', [sessionKey(sid)]).then(
      () => cb?.(),
      (err: unknown) => cb?.(err),
    );
  }

  override touch(sid: string, sess: session.SessionData, cb?: Callback): void {
    const key = sessionKey(sid);
    const stored = this.#read.get(key);
    this.#read.delete(key);
    if (stored !== undefined && this.#expiry(sess) - stored < this.#touchEveryMs) {
      cb?.();
      return;
    }
    this.storage.run('UPDATE sessions SET expires_at = ? WHERE sid_hash = ?', [this.#expiry(sess), key]).then(
      () => cb?.(),
      (err: unknown) => cb?.(err),
    );
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
