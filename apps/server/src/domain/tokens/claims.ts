import { randomFillSync } from 'node:crypto';

/** What every access token carries, whichever its format. */
export interface AccessTokenClaims {
  /** 22 base64url characters: 48 bits of issue time in ms, then 80 random bits (see newJti). */
  jti: string;
  /** The service user's id. */
  sub: string;
  /** The service user's username, which is its OAuth client_id. */
  clientId: string;
  /** The organization the user belongs to (sealed into opaque tokens; not a JWT claim). */
  orgId?: string;
  scope: string[];
  aud: string[];
  /** Epoch milliseconds. */
  iatMs: number;
  /** Epoch seconds. */
  exp: number;
  /**
   * The user's token generation when the token was issued (users.token_generation); the token is
   * accepted only while the user is still at it. 0 for tokens issued before generations existed
   * (opaque version 1), and for JWTs without `gen`.
   */
  gen: number;
  /** Granted project roles, embedded at issue in a JWT only (never sealed into an opaque token). */
  roles?: Record<string, Record<string, string>>;
}

export const JTI_BYTES = 16;
const TIME_BYTES = 6;

/**
 * A token id that also records when the token was issued, to the millisecond. A JWT's iat has
 * whole seconds only; the milliseconds bound the token's lifetime and refuse a token issued in the
 * future, and judge tokens without a generation against users.tokens_valid_after (in ms).
 */
export function newJtiBytes(iatMs: number): Buffer {
  const b = Buffer.allocUnsafe(JTI_BYTES);
  b.writeUIntBE(iatMs, 0, TIME_BYTES);
  randomInto(b, TIME_BYTES);
  return b;
}

// One CSPRNG call per few hundred tokens instead of one per token (the trick randomUUID uses).
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

function randomInto(target: Buffer, offset: number): void {
  const n = target.length - offset;
  if (poolOffset + n > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  // Each byte is handed out once: the offset only moves forward until the next refill.
  pool.copy(target, offset, poolOffset, poolOffset + n);
  poolOffset += n;
}

export function jtiIssuedAtMs(jti: Buffer): number {
  return jti.readUIntBE(0, TIME_BYTES);
}

const JTI_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** The issue time recorded in a jti string, or undefined when it is not one of ours. */
export function jtiStringIssuedAtMs(jti: string): number | undefined {
  if (!JTI_PATTERN.test(jti)) return undefined;
  return jtiIssuedAtMs(Buffer.from(jti, 'base64url'));
}
