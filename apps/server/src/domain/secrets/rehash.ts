import type { KeyRing } from '../../security/key-ring.js';
import type { Storage } from '../../storage/port.js';
import { hashClientSecret, type StoredSecret } from './hash.js';

/**
 * After the client-secret key was rotated, a secret is re-hashed with the current key the first
 * time its client proves it (the plaintext exists only then). Once no hash needs the old key, the
 * key store deletes it (InstanceKeys.prune). Parallel requests of one client race harmlessly:
 * only the first update still finds the old key id.
 */
export async function rehashClientSecret(storage: Storage, keys: KeyRing, stored: StoredSecret, secret: string): Promise<void> {
  const { id, key } = keys.current;
  if (id === stored.key_id) return;
  await storage.run('UPDATE machine_secrets SET hash = ?, key_id = ? WHERE id = ? AND key_id = ?', [
    hashClientSecret(key, secret),
    id,
    stored.id,
    stored.key_id,
  ]);
}
