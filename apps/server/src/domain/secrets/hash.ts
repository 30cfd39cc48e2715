import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from '../../security/key-ring.js';

/**
 * Client secrets are 64 random characters (~380 bits), so a keyed fast hash is the right tool:
 * a slow password KDF adds nothing against guessing and costs milliseconds per token request
 * (ZITADEL issue #6540). The key is an instance key (storage/instance-keys.ts), not beside the
 * hash; each hash records the id of the key that made it (machine_secrets.key_id).
 */
export function hashClientSecret(key: Buffer, secret: string): Buffer {
  return createHmac('sha256', key).update(secret, 'utf8').digest();
}

/** A client secret as stored: its HMAC and the id of the key that made it. */
export interface StoredSecret {
  id: string;
  hash: Buffer;
  key_id: number;
}

/** Compared against when there is nothing stored; random, so it matches nothing. */
const NOTHING: StoredSecret = { id: '', hash: randomBytes(32), key_id: -1 };

/**
 * Which stored secret `secret` is, if any. One HMAC per key the hashes were made with (almost
 * always one, however many secrets a rotation keeps), compared with every hash in constant time.
 * With nothing stored, one HMAC against a random hash: an unknown client costs what a known one does.
 */
export function matchClientSecret<S extends StoredSecret>(keys: KeyRing, secret: string, stored: readonly S[]): S | undefined {
  const digests = new Map<number, Buffer>();
  let match: S | undefined;
  for (const s of stored.length ? stored : [NOTHING as S]) {
    let digest = digests.get(s.key_id);
    if (!digest) {
      digest = hashClientSecret(keys.get(s.key_id) ?? keys.current.key, secret);
      digests.set(s.key_id, digest);
    }
    if (s.hash.length === digest.length && timingSafeEqual(digest, s.hash) && s !== NOTHING) match ??= s;
  }
  return match;
}
