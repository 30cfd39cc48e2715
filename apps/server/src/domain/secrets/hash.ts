import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets are 64 random characters (~380 bits), so a keyed fast hash is the right tool:
 * a slow password KDF adds nothing against guessing and costs milliseconds per token request
 * (ZITADEL issue #6540). The key is an instance key (storage/instance-keys.ts), not beside the
 * hash; each hash records the id of the key that made it (machine_secrets.key_id).
 */
export function hashClientSecret(key: Buffer, secret: string): Buffer {
  return createHmac('sha256', key).update(secret, 'utf8').digest();
}

export function verifyClientSecret(key: Buffer, secret: string, stored: Buffer): boolean {
  const candidate = hashClientSecret(key, secret);
  return stored.length === candidate.length && timingSafeEqual(candidate, stored);
}
