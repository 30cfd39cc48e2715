import session from 'express-session';
import type { Db } from './db.js';

type Callback = (err?: unknown) => void;

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
    this.#get = db.prepare('SELECT data FROM sessions WHERE sid = ? AND expires_at > ?').pluck();
    this.#set = db.prepare(
      `INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
    );
    this.#destroy = db.prepare('DELETE FROM sessions WHERE sid = ?');
    this.#touch = db.prepare('UPDATE sessions SET expires_at = ? WHERE sid = ?');
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
      const data = this.#get.get(sid, Date.now()) as string | undefined;
      cb(null, data ? (JSON.parse(data) as session.SessionData) : null);
    } catch (err) {
      cb(err);
    }
  }

  override set(sid: string, sess: session.SessionData, cb?: Callback): void {
    try {
      this.#set.run(sid, JSON.stringify(sess), this.#expiry(sess));
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override destroy(sid: string, cb?: Callback): void {
    try {
      this.#destroy.run(sid);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override touch(sid: string, sess: session.SessionData, cb?: Callback): void {
    try {
      this.#touch.run(this.#expiry(sess), sid);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
