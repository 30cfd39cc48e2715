import type { AccessTokenClaims } from './claims.js';

export interface Decoded {
  claims: AccessTokenClaims;
  /** The key a JWT was verified with; a cached JWT counts only while that key is still published. */
  kid?: string;
  /** The ring key an opaque token was sealed with; a cached one counts only while the ring holds it. */
  keyId?: number;
}

/**
 * Tokens whose seal or signature was already checked. Clients reuse a token for many calls, so
 * the decryption or ECDSA check is paid once; expiry, revocation and the user's state are still
 * checked on every call. Bounded, oldest first out (a Map keeps insertion order).
 */
export class DecodedTokenCache {
  readonly #entries = new Map<string, Decoded>();

  constructor(private readonly max: number) {}

  get(token: string): Decoded | undefined {
    return this.#entries.get(token);
  }

  set(token: string, decoded: Decoded): void {
    if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(token, decoded);
  }
}
