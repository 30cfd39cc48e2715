import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { hashClientSecret, matchClientSecret, type StoredSecret } from '../src/domain/secrets/hash.js';
import type { KeyRing } from '../src/security/key-ring.js';

// The real HMAC, counted: however many secrets a rotation keeps, a check costs one per key.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, createHmac: vi.fn(actual.createHmac) };
});
const { createHmac } = await import('node:crypto');

const keys = new Map([
  [1, randomBytes(32)],
  [2, randomBytes(32)],
]);
const ring = (current: number): KeyRing => ({ current: { id: current, key: keys.get(current)! }, get: (id) => keys.get(id) });
const stored = (id: string, secret: string, keyId = 1): StoredSecret => ({ id, hash: hashClientSecret(keys.get(keyId)!, secret), key_id: keyId });

function counted<T>(fn: () => T): { value: T; hmacs: number } {
  const before = vi.mocked(createHmac).mock.calls.length;
  const value = fn();
  return { value, hmacs: vi.mocked(createHmac).mock.calls.length - before };
}

describe('matchClientSecret', () => {
  const a = 'a'.repeat(64);
  const b = 'b'.repeat(64);
  const c = 'c'.repeat(64);
  const three = [stored('1', a), stored('2', b), stored('3', c)];

  it('finds which of several secrets it is with one HMAC', () => {
    expect(counted(() => matchClientSecret(ring(1), b, three))).toEqual({ value: three[1], hmacs: 1 });
    expect(counted(() => matchClientSecret(ring(1), c, three))).toEqual({ value: three[2], hmacs: 1 });
    expect(counted(() => matchClientSecret(ring(1), 'x'.repeat(64), three))).toEqual({ value: undefined, hmacs: 1 });
  });

  it('costs one HMAC with nothing stored, and matches nothing, not even an empty secret', () => {
    expect(counted(() => matchClientSecret(ring(1), '', []))).toEqual({ value: undefined, hmacs: 1 });
    expect(counted(() => matchClientSecret(ring(1), a, []))).toEqual({ value: undefined, hmacs: 1 });
  });

  it("uses each hash's own key: one HMAC per key while a key rotation is re-hashing", () => {
    const mixed = [stored('1', a, 1), stored('2', b, 2)];
    expect(counted(() => matchClientSecret(ring(2), a, mixed))).toEqual({ value: mixed[0], hmacs: 2 });
    // A hash naming a key no longer kept cannot match: it is checked under the current key instead.
    const lost = [{ ...stored('1', a, 1), key_id: 9 }];
    expect(matchClientSecret(ring(2), a, lost)).toBeUndefined();
  });
});
