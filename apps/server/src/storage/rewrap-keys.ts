import type { MasterKey } from '../security/envelope.js';
import { storedKeys, storedKeyWriter, writeMasterKeyCheck } from './open-instance-keys.js';
import type { Storage } from './port.js';
import { scrubbed } from './scrub.js';

/**
 * Wraps every stored key under a new master key instead of the old one, in one transaction: the
 * keys themselves do not change, so no token, cookie or secret is affected. The caller has opened
 * the keys with the old master key (openInstanceKeys), so every row is known to open with it.
 * Returns how many keys were re-wrapped.
 */
export function rewrapKeys(storage: Storage, from: MasterKey, to: MasterKey): Promise<number> {
  return scrubbed(storage, () =>
    storage.command(async (tx) => {
      const keys = await storedKeys(tx);
      const rewrite = storedKeyWriter(tx);
      for (const k of keys) await rewrite(k, to.wrap(from.unwrap(k.value, k.label), k.label));
      await writeMasterKeyCheck(tx, to);
      return keys.length;
    }),
  );
}
