import type { Logger } from '../logger.js';
import { isWrapped, type MasterKey } from '../security/envelope.js';
import { instanceKeyLabel, InstanceKeys, KEY_PURPOSES, KeyStoreError, newStoredInstanceKey, signingKeyLabel, type KeyPurpose } from './instance-keys.js';
import type { Sql, Storage } from './port.js';
import { scrubbed, truncateWal } from './scrub.js';
import { SqliteStorage } from './sqlite/sqlite-storage.js';
import { readSetting, writeSetting } from './settings.js';

/** A value wrapped under the master key, with nothing secret inside: it tells a wrong master key from a damaged row. */
const CHECK_SETTING = 'master_key_check';
const CHECK_LABEL = 'master-key-check';

export interface OpenInstanceKeysOptions {
  masterKey: MasterKey | undefined;
  /**
   * When a master key is configured and keys are still stored unwrapped: wrap them (the server at
   * start), or refuse (the CLI, which must not change how a running server's keys are stored).
   */
  wrapInPlace: boolean;
  logger?: Logger;
  /** NODE_ENV=production: running without a master key is then worth a warning. */
  production?: boolean;
}

export interface StoredKey {
  table: 'instance_keys' | 'signing_keys';
  label: string;
  value: string;
  /** For an instance key, its purpose and id. */
  purpose?: KeyPurpose;
  id?: number;
  /** For a signing key, its kid. */
  kid?: string;
}

/**
 * Opens the instance keys of a database, after checking that they can be opened as configured:
 * - keys wrapped under a master key and none configured, or a different one: refused, saying so;
 * - a master key configured and keys still stored as they are (an instance from before the master
 *   key): wrapped in place, in one transaction, then the file is vacuumed so no unwrapped copy
 *   stays in its free pages; the log says so;
 * - no master key and nothing wrapped: as before (with a warning in production).
 * A purpose without a current key (a new database) gets one.
 */
export async function openInstanceKeys(storage: Storage, opts: OpenInstanceKeysOptions): Promise<InstanceKeys> {
  const { masterKey, logger } = opts;
  const where = whereOf(storage);
  // Read, checked and wrapped in one command: two processes starting at once take turns (SQLite's
  // IMMEDIATE transaction, PostgreSQL's row locks), and the second sees what the first wrote.
  const plain = await scrubbed(storage, () =>
    storage.command(async (tx) => {
      if (tx.engine === 'pg') await tx.run('LOCK TABLE instance_keys IN EXCLUSIVE MODE');
      const plain = await checkStoredKeys(tx, where, opts);
      if (masterKey) {
        const rewrite = storedKeyWriter(tx);
        for (const k of plain) {
          const bytes = k.table === 'instance_keys' ? Buffer.from(k.value, 'base64url') : Buffer.from(k.value, 'utf8');
          await rewrite(k, masterKey.wrap(bytes, k.label));
        }
        if ((await readSetting(tx, CHECK_SETTING)) === undefined) await writeMasterKeyCheck(tx, masterKey);
      }
      await ensureCurrentKeys(tx, masterKey);
      return masterKey ? plain : [];
    }),
  );
  const keys = await InstanceKeys.open(storage, masterKey, logger);
  try {
    // Every wrapped signing key must open too, so a bad row stops the start here, not a request later.
    for (const k of await storedKeys(storage)) if (k.kid !== undefined) keys.openSigningKey(k.kid, k.value);
  } catch (err) {
    keys.close();
    throw err;
  }

  if (plain.length) {
    if (storage instanceof SqliteStorage) {
      // The rows are rewritten; VACUUM rebuilds the file so their former bytes are in no free page.
      storage.db.exec('VACUUM');
      truncateWal(storage.db);
    }
    const instance = plain.filter((k) => k.table === 'instance_keys').length;
    logger?.info(
      { instanceKeys: instance, signingKeys: plain.length - instance, db: where },
      'wrapped the keys stored in the database with the master key; from now on Tessera starts only with this master key. Backups made before hold the keys unwrapped: rotate the keys (see README, Operations)',
    );
  }
  if (!masterKey && opts.production) {
    logger?.warn(
      { db: where },
      'no master key: the instance keys and signing keys are stored unwrapped in the database, so a copy of the file or of a backup can mint access tokens. Set TESSERA_MASTER_KEY_FILE (see README, Operations)',
    );
  }
  await keys.prune();
  return keys;
}

/** How messages name the database: the SQLite file, or "the PostgreSQL database". */
function whereOf(storage: Storage): string {
  return storage instanceof SqliteStorage ? storage.db.name : 'the PostgreSQL database';
}

/**
 * Refuses what cannot be opened as configured (see openInstanceKeys); returns the keys stored
 * unwrapped, which a configured master key is to wrap.
 */
async function checkStoredKeys(tx: Sql, file: string, { masterKey, wrapInPlace }: OpenInstanceKeysOptions): Promise<StoredKey[]> {
  const stored = await storedKeys(tx);
  const check = await readSetting(tx, CHECK_SETTING);
  const plain = stored.filter((k) => !isWrapped(k.value));
  if (!masterKey && (check !== undefined || plain.length < stored.length)) {
    throw new KeyStoreError(
      `the keys in ${file} are wrapped with a master key, and none is configured: set TESSERA_MASTER_KEY or TESSERA_MASTER_KEY_FILE to the master key they were wrapped with`,
    );
  }
  if (masterKey && check !== undefined) {
    try {
      masterKey.unwrap(check, CHECK_LABEL);
    } catch {
      throw new KeyStoreError(
        `the configured master key is not the one the keys in ${file} were wrapped with (check TESSERA_MASTER_KEY or TESSERA_MASTER_KEY_FILE)`,
      );
    }
  }
  if (masterKey && plain.length && !wrapInPlace) {
    throw new KeyStoreError(
      `the keys in ${file} are not wrapped with the master key yet: start Tessera once with TESSERA_MASTER_KEY or TESSERA_MASTER_KEY_FILE set, which wraps them, then run this again`,
    );
  }
  return plain;
}

/** Every key the database holds in secret form: the instance keys and the private signing keys. */
export async function storedKeys(sql: Sql): Promise<StoredKey[]> {
  const instance = await sql.all<{ purpose: KeyPurpose; id: number; material: string }>('SELECT purpose, id, material FROM instance_keys ORDER BY purpose, id');
  const signing = await sql.all<{ kid: string; private_jwk: string }>('SELECT kid, private_jwk FROM signing_keys WHERE private_jwk IS NOT NULL ORDER BY kid');
  return [
    ...instance.map((r) => ({ table: 'instance_keys' as const, purpose: r.purpose, id: r.id, label: instanceKeyLabel(r.purpose, r.id), value: r.material })),
    ...signing.map((r) => ({ table: 'signing_keys' as const, label: signingKeyLabel(r.kid), value: r.private_jwk, kid: r.kid })),
  ];
}

/** Replaces the stored (wrapped or plain) form of one key in its row; the key itself is unchanged. */
export function storedKeyWriter(tx: Sql): (k: StoredKey, value: string) => Promise<number> {
  return (k, value) =>
    k.table === 'instance_keys'
      ? tx.run('UPDATE instance_keys SET material = ? WHERE purpose = ? AND id = ?', [value, k.purpose, k.id])
      : tx.run('UPDATE signing_keys SET private_jwk = ? WHERE kid = ?', [value, k.kid]);
}

/** Records, wrapped under masterKey, the value that later tells a wrong master key from a damaged row. */
export function writeMasterKeyCheck(tx: Sql, masterKey: MasterKey): Promise<void> {
  return writeSetting(tx, CHECK_SETTING, masterKey.wrap(Buffer.from('tessera'), CHECK_LABEL));
}

/** A new database, or a purpose added later: the first key of each purpose is id 0. */
async function ensureCurrentKeys(tx: Sql, masterKey: MasterKey | undefined): Promise<void> {
  for (const purpose of KEY_PURPOSES) {
    if (await tx.one('SELECT 1 FROM instance_keys WHERE purpose = ? AND retired_at IS NULL', [purpose])) continue;
    const id = (await tx.one<{ id: number }>('SELECT coalesce(max(id) + 1, 0) AS id FROM instance_keys WHERE purpose = ?', [purpose]))!.id;
    await tx.run('INSERT INTO instance_keys (purpose, id, material, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [
      purpose,
      id,
      newStoredInstanceKey(masterKey, purpose, id),
      Math.floor(Date.now() / 1000),
    ]);
  }
}
