import type { KeyRing } from '../../security/key-ring.js';
import type { Db } from '../../storage/db.js';
import { hashClientSecret } from './hash.js';

/**
 * After the client-secret key was rotated, a secret is re-hashed with the current key the first
 * time its client proves it (the plaintext exists only then). Once no hash needs the old key, the
 * key store deletes it (InstanceKeys.prune). Parallel requests of one client race harmlessly:
 * only the first update still finds the old key id.
 */
export function rehashClientSecret(db: Db, keys: KeyRing, userId: string, fromKeyId: number, secret: string): void {
  const { id, key } = keys.current;
  if (id === fromKeyId) return;
  db.prepare('UPDATE machine_secrets SET hash = ?, key_id = ? WHERE user_id = ? AND key_id = ?').run(
    hashClientSecret(key, secret),
    id,
    userId,
    fromKeyId,
  );
}
