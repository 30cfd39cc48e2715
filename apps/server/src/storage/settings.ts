import type { Db } from './db.js';

/**
 * Instance-wide values that are not keys (the keys themselves are in instance_keys, see
 * instance-keys.ts). Today: the master key check, a value wrapped under the master key that tells
 * a wrong master key from a damaged row.
 */
export function readSetting(db: Db, key: string): string | undefined {
  return db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
}

export function writeSetting(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
