/**
 * The versioned instance keys of one purpose (sealing opaque tokens, hashing client secrets,
 * signing session cookies): the current key seals, hashes or signs; every kept key still opens,
 * verifies or checks what it made. Ids are small integers, recorded beside what a key made, so a
 * rotation never has to guess which key to try.
 */
export interface KeyRing {
  readonly current: { readonly id: number; readonly key: Buffer };
  /** A kept key by id, or undefined once it has been retired and removed. */
  get(id: number): Buffer | undefined;
}

/** A ring of one key: what an instance has until its first rotation. */
export function singleKeyRing(key: Buffer, id = 0): KeyRing {
  const current = { id, key };
  return { current, get: (k) => (k === id ? key : undefined) };
}
