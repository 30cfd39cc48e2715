import { createHash } from 'node:crypto';
import session from 'express-session';
import type { Db } from './db.js';

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

/** express-session store over the sessions table, so sign-ins survive restarts. */
export class SqliteSessionStore extends session.Store {
  readonly #get;
  readonly #set;
  readonly #destroy;
  readonly #touch;
  readonly #prune;
  readonly #timer: NodeJS.Timeout;

  constructor(db: Db, defaultTtlMs: number) {
    super();
    this.#get = db.prepare('SELECT data FROM sessions WHERE sid_hash = ? AND expires_at > ?').pluck();
    this.#set = db.prepare(
      `INSERT INTO sessions (sid_hash, data, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (sid_hash) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
    );
    this.#destroy = db.prepare('DELETE FROM sessions WHERE sid_hash = ?');
    this.#touch = db.prepare('UPDATE sessions SET expires_at = ? WHERE sid_hash = ?');
    this.#prune = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
    this.#defaultTtlMs = defaultTtlMs;
    this.#timer = setInterval(() => this.#prune.run(Date.now()), 10 * 60_000);
    this.#timer.unref();
  }

  readonly #defaultTtlMs: number;

  #expiry(sess: session.SessionData): number {
    const expires = sess.cookie?.expires;
    return expires ? new Date(expires).getTime() : Date.now() + this.#defaultTtlMs;
  }

  override get(sid: string, cb: (err: unknown, session?: session.SessionData | null) => void): void {
    try {
      const data = this.#get.get(sessionKey(sid), Date.now()) as string | undefined;
      cb(null, data ? (JSON.parse(data) as session.SessionData) : null);
    } catch (err) {
      cb(err);
    }
  }

  override set(sid: string, sess: session.SessionData, cb?: Callback): void {
    try {
      this.#set.run(sessionKey(sid), JSON.stringify(sess), this.#expiry(sess));
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override destroy(sid: string, cb?: Callback): void {
    try {
      this.#destroy.run(sessionKey(sid));
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override touch(sid: string, sess: session.SessionData, cb?: Callback): void {
    try {
      this.#touch.run(this.#expiry(sess), sessionKey(sid));
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
