import type { InstanceKeyRing } from '../../storage/instance-keys.js';
import type { AccessTokenClaims } from './claims.js';
import { OpaqueTokenCodec } from './opaque-codec.js';

/**
 * The opaque codec over a key ring, for as long as the codec takes one key and its tokens do not
 * name the key that sealed them: seals with the current key, and opens a token with whichever
 * kept key opens it (current first, so a token sealed after the last rotation costs one attempt;
 * an older one, or garbage, one attempt per kept key, usually two). A codec that reads the key id
 * from the token replaces this with a single look-up.
 */
export class RingOpaqueTokenCodec extends OpaqueTokenCodec {
  readonly #ring: InstanceKeyRing;
  readonly #codecs = new WeakMap<Buffer, OpaqueTokenCodec>();
  /** Which key opened the claims decode() returned, for tokens held in the decoded-token cache. */
  readonly #openedBy = new WeakMap<AccessTokenClaims, number>();

  constructor(ring: InstanceKeyRing) {
    super(ring.current.key);
    this.#ring = ring;
  }

  override encode(claims: Omit<AccessTokenClaims, 'jti'>): { token: string; jti: string } {
    return this.#codec(this.#ring.current.key).encode(claims);
  }

  override decode(token: unknown): AccessTokenClaims | null {
    for (const id of this.#ring.ids()) {
      const key = this.#ring.get(id);
      const claims = key && this.#codec(key).decode(token);
      if (claims) {
        this.#openedBy.set(claims, id);
        return claims;
      }
    }
    return null;
  }

  /** Whether the key that opened these claims is still kept: a cached token counts only while it is. */
  stillOpens(claims: AccessTokenClaims): boolean {
    const id = this.#openedBy.get(claims);
    return id !== undefined && this.#ring.get(id) !== undefined;
  }

  #codec(key: Buffer): OpaqueTokenCodec {
    let codec = this.#codecs.get(key);
    if (!codec) {
      codec = new OpaqueTokenCodec(key);
      this.#codecs.set(key, codec);
    }
    return codec;
  }
}
