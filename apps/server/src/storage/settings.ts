import type { Sql } from './port.js';

/**
 * Instance-wide values that are not keys (the keys themselves are in instance_keys, see
 * instance-keys.ts). Today: the master key check, a value wrapped under the master key that tells
 * a wrong master key from a damaged row.
 */
export async function readSetting(sql: Sql, key: string): Promise<string | undefined> {
  return (await sql.one<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value;
}

export async function writeSetting(tx: Sql, key: string, value: string): Promise<void> {
  await tx.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
}
