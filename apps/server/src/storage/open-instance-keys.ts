import type { Logger } from '../logger.js';
import { isWrapped, type MasterKey } from '../security/envelope.js';
import type { Db } from './db.js';
import { instanceKeyLabel, InstanceKeys, KEY_PURPOSES, KeyStoreError, newStoredInstanceKey, registerInstanceKeys, signingKeyLabel, type KeyPurpose } from './instance-keys.js';
import { truncateWal, withSecureDelete } from './scrub.js';
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
  rowid: number;
  label: string;
  value: string;
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
export function openInstanceKeys(db: Db, opts: OpenInstanceKeysOptions): InstanceKeys {
  const { masterKey, logger } = opts;
  // Read, checked and wrapped in one IMMEDIATE transaction: two processes starting at once on the
  // same file take turns, and the second sees what the first wrote.
  const { keys, plain } = withSecureDelete(db, () =>
    db.transaction(() => {
      const plain = checkStoredKeys(db, opts);
      if (masterKey) {
        const rewrite = storedKeyWriter(db);
        for (const k of plain) {
          const bytes = k.table === 'instance_keys' ? Buffer.from(k.value, 'base64url') : Buffer.from(k.value, 'utf8');
          rewrite(k, masterKey.wrap(bytes, k.label));
        }
        if (readSetting(db, CHECK_SETTING) === undefined) writeMasterKeyCheck(db, masterKey);
      }
      ensureCurrentKeys(db, masterKey);
      return { keys: new InstanceKeys(db, masterKey, logger), plain: masterKey ? plain : [] };
    }).immediate(),
  );
  registerInstanceKeys(db, keys);
  try {
    // Every wrapped signing key must open too, so a bad row stops the start here, not a request later.
    for (const k of storedKeys(db)) if (k.kid !== undefined) keys.openSigningKey(k.kid, k.value);
  } catch (err) {
    keys.close();
    throw err;
  }

  if (plain.length) {
    // The rows are rewritten; VACUUM rebuilds the file so their former bytes are in no free page.
    db.exec('VACUUM');
    truncateWal(db);
    const instance = plain.filter((k) => k.table === 'instance_keys').length;
    logger?.info(
      { instanceKeys: instance, signingKeys: plain.length - instance, db: db.name },
      'wrapped the keys stored in the database with the master key; from now on Tessera starts only with this master key. Backups made before hold the keys unwrapped: rotate the keys (see README, Operations)',
    );
  }
  if (!masterKey && opts.production) {
    logger?.warn(
      { db: db.name },
      'no master key: the instance keys and signing keys are stored unwrapped in the database, so a copy of the file or of a backup can mint access tokens. Set TESSERA_MASTER_KEY_FILE (see README, Operations)',
    );
  }
  keys.prune();
  return keys;
}

/**
 * Refuses what cannot be opened as configured (see openInstanceKeys); returns the keys stored
 * unwrapped, which a configured master key is to wrap.
 */
function checkStoredKeys(db: Db, { masterKey, wrapInPlace }: OpenInstanceKeysOptions): StoredKey[] {
  const file = db.name;
  const stored = storedKeys(db);
  const check = readSetting(db, CHECK_SETTING);
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
      throw new KeyStoreError(`the configured master key is not the one the keys in ${file} were wrapped with (check TESSERA_MASTER_KEY or TESSERA_MASTER_KEY_FILE)`);
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
export function storedKeys(db: Db): StoredKey[] {
  const instance = db.prepare('SELECT rowid, purpose, id, material FROM instance_keys').all() as { rowid: number; purpose: KeyPurpose; id: number; material: string }[];
  const signing = db.prepare('SELECT rowid, kid, private_jwk FROM signing_keys WHERE private_jwk IS NOT NULL').all() as { rowid: number; kid: string; private_jwk: string }[];
  return [
    ...instance.map((r) => ({ table: 'instance_keys' as const, rowid: r.rowid, label: instanceKeyLabel(r.purpose, r.id), value: r.material })),
    ...signing.map((r) => ({ table: 'signing_keys' as const, rowid: r.rowid, label: signingKeyLabel(r.kid), value: r.private_jwk, kid: r.kid })),
  ];
}

/** Replaces the stored (wrapped or plain) form of one key in its row; the key itself is unchanged. */
export function storedKeyWriter(db: Db): (k: StoredKey, value: string) => void {
  const update = {
    instance_keys: db.prepare('UPDATE instance_keys SET material = ? WHERE rowid = ?'),
    signing_keys: db.prepare('UPDATE signing_keys SET private_jwk = ? WHERE rowid = ?'),
  };
  return (k, value) => update[k.table].run(value, k.rowid);
}

/** Records, wrapped under masterKey, the value that later tells a wrong master key from a damaged row. */
export function writeMasterKeyCheck(db: Db, masterKey: MasterKey): void {
  writeSetting(db, CHECK_SETTING, masterKey.wrap(Buffer.from('tessera'), CHECK_LABEL));
}

/** A new database, or a purpose added later: the first key of each purpose is id 0. */
function ensureCurrentKeys(db: Db, masterKey: MasterKey | undefined): void {
  const insert = db.prepare('INSERT OR IGNORE INTO instance_keys (purpose, id, material, created_at) VALUES (?, ?, ?, unixepoch())');
  for (const purpose of KEY_PURPOSES) {
    if (db.prepare('SELECT 1 FROM instance_keys WHERE purpose = ? AND retired_at IS NULL').get(purpose)) continue;
    const id = db.prepare('SELECT coalesce(max(id) + 1, 0) FROM instance_keys WHERE purpose = ?').pluck().get(purpose) as number;
    insert.run(purpose, id, newStoredInstanceKey(masterKey, purpose, id));
  }
}
