import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';

/**
 * Returns the instance secret stored under key, generating 32 random bytes on first use.
 * Secrets are never given literal defaults: each instance makes its own and keeps it.
 */
export function instanceSecret(db: Db, key: string): Buffer {
  const existing = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  if (existing) return Buffer.from(existing, 'base64url');
  const value = randomBytes(32).toString('base64url');
  // INSERT OR IGNORE: if another process raced us, keep theirs and read it back.
  db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(key, value);
  return Buffer.from(db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string, 'base64url');
}
