import type { MasterKey } from '../security/envelope.js';
import { inTransaction, type Db } from './db.js';
import { storedKeys, storedKeyWriter, writeMasterKeyCheck } from './open-instance-keys.js';
import { truncateWal, withSecureDelete } from './scrub.js';

/**
 * Wraps every stored key under a new master key instead of the old one, in one transaction: the
 * keys themselves do not change, so no token, cookie or secret is affected. The caller has opened
 * the keys with the old master key (openInstanceKeys), so every row is known to open with it.
 * Returns how many keys were re-wrapped.
 */
export function rewrapKeys(db: Db, from: MasterKey, to: MasterKey): number {
  const rewrite = storedKeyWriter(db);
  const n = withSecureDelete(db, () =>
    inTransaction(db, () => {
      const keys = storedKeys(db);
      for (const k of keys) rewrite(k, to.wrap(from.unwrap(k.value, k.label), k.label));
      writeMasterKeyCheck(db, to);
      return keys.length;
    }),
  );
  truncateWal(db);
  return n;
}
