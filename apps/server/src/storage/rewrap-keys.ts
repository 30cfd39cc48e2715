import type { MasterKey } from '../security/envelope.js';
import { inTransaction, type Db } from './db.js';
import { CHECK_LABEL, CHECK_SETTING, storedKeys } from './open-instance-keys.js';
import { truncateWal, withSecureDelete } from './scrub.js';
import { writeSetting } from './settings.js';

/**
 * Wraps every stored key under a new master key instead of the old one, in one transaction: the
 * keys themselves do not change, so no token, cookie or secret is affected. The caller has opened
 * the keys with the old master key (openInstanceKeys), so every row is known to open with it.
 * Returns how many keys were re-wrapped.
 */
export function rewrapKeys(db: Db, from: MasterKey, to: MasterKey): number {
  const update = {
    instance_keys: db.prepare('UPDATE instance_keys SET material = ? WHERE rowid = ?'),
    signing_keys: db.prepare('UPDATE signing_keys SET private_jwk = ? WHERE rowid = ?'),
  };
  const n = withSecureDelete(db, () =>
    inTransaction(db, () => {
      const keys = storedKeys(db);
      for (const k of keys) update[k.table].run(to.wrap(from.unwrap(k.value, k.label), k.label), k.rowid);
      writeSetting(db, CHECK_SETTING, to.wrap(Buffer.from('tessera'), CHECK_LABEL));
      return keys.length;
    }),
  );
  truncateWal(db);
  return n;
}
