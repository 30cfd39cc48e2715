import { sign } from 'node:crypto';
import { jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { isCanonicalBase64url } from './base64url.js';
import { jtiIssuedAtMs, newJtiBytes, type AccessTokenClaims } from './claims.js';
import type { Decoded } from './decoded-cache.js';
import { SIGNING_ALGS, type SigningKey } from './key-material.js';
import { MAX_TOKEN_LENGTH } from './opaque-codec.js';
import type { SigningKeys } from './signing-keys.js';

/** RFC 9068 section 2.1: the media type that tells an access token from an ID token. */
export const AT_JWT_TYP = 'at+jwt';
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

interface AtJwtPayload extends JWTPayload {
  client_id: string;
  scope: string;
  /**
   * A private claim (RFC 7519 4.3): the user's token generation at issue time (claims.ts). Left
   * out while it is 0, so a token's claims change only for users whose tokens were once revoked
   * all at once; JWTs signed before generations existed have none either.
   */
  gen?: number;
  /** ZITADEL's role claim, when role scopes asked for roles that are granted. */
  'urn:zitadel:iam:org:project:roles'?: Record<string, Record<string, string>>;
}

/**
 * The JWT access token type: RFC 9068, signed with the active key, verified against any published
 * one. Signing is node:crypto's synchronous sign over the JWS compact form (RFC 7515 7.1): jose's
 * SignJWT goes through WebCrypto's async jobs and cost 4-6x as much per token here, the largest
 * single cost of the token endpoint. Verification stays with jose (algorithm, typ, iss and time
 * checks), and jose verifying our tokens through the JWKS is tested.
 */
export class JwtAccessTokens {
  readonly #headers = new WeakMap<SigningKey, string>();

  constructor(
    private readonly keys: SigningKeys,
    private readonly issuer: string,
  ) {}

  sign(claims: Omit<AccessTokenClaims, 'jti'>): { token: string; jti: string } {
    const key = this.keys.active;
    const jti = newJtiBytes(claims.iatMs).toString('base64url');
    const iat = Math.floor(claims.iatMs / 1000);
    const payload: AtJwtPayload = {
      iss: this.issuer,
      sub: claims.sub,
      aud: claims.aud,
      exp: claims.exp,
      iat,
      nbf: iat,
      jti,
      client_id: claims.clientId,
      scope: claims.scope.join(' '),
    };
    if (claims.gen !== 0) payload.gen = claims.gen;
    if (claims.roles) payload['urn:zitadel:iam:org:project:roles'] = claims.roles;
    return { token: this.#sign(key, payload), jti };
  }

  #sign(key: SigningKey, payload: AtJwtPayload): string {
    let header = this.#headers.get(key);
    if (!header) {
      header = Buffer.from(JSON.stringify({ alg: key.alg, kid: key.kid, typ: AT_JWT_TYP })).toString('base64url');
      this.#headers.set(key, header);
    }
    const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    // ES256 signatures are the raw r||s pair in JWS (RFC 7518 3.4), not DER; RS256 is PKCS#1 v1.5.
    const signature =
      key.alg === 'ES256'
        ? sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
        : sign('sha256', Buffer.from(input), key.privateKey);
    return `${input}.${signature.toString('base64url')}`;
  }

  /** The claims of a valid JWT signed by one of our published keys, and that key; or null. Never throws. */
  async verify(token: string): Promise<Decoded | null> {
    if (token.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(token) || !canonicalParts(token)) return null;
    let verified: { payload: AtJwtPayload; protectedHeader: JWTHeaderParameters };
    try {
      verified = await jwtVerify(token, (h: JWTHeaderParameters) => this.#keyFor(h), {
        issuer: this.issuer,
        typ: AT_JWT_TYP,
        algorithms: [...SIGNING_ALGS],
        requiredClaims: ['sub', 'aud', 'exp', 'iat', 'jti'],
      });
    } catch {
      return null;
    }
    const claims = toClaims(verified.payload);
    return claims && { claims, kid: verified.protectedHeader.kid! };
  }

  async #keyFor(h: JWTHeaderParameters) {
    const key = h.kid ? await this.keys.find(h.kid) : undefined;
    if (!key || key.alg !== h.alg) throw new Error('unknown signing key');
    return key.publicKey;
  }
}

/**
 * Header, payload and signature each in canonical base64url (base64url.ts). jose's decoder ignores
 * a last character's unused bits, so a signature ending in `Q` also verified ending in `R`..`f`;
 * a token must have one spelling, as opaque tokens do. Header and payload are covered by the
 * signature as spelled, but are checked alike: three character reads in all.
 */
function canonicalParts(token: string): boolean {
  const a = token.indexOf('.');
  const b = token.indexOf('.', a + 1);
  return isCanonicalBase64url(token, 0, a) && isCanonicalBase64url(token, a + 1, b) && isCanonicalBase64url(token, b + 1);
}

function toClaims(p: AtJwtPayload): AccessTokenClaims | null {
  const aud = typeof p.aud === 'string' ? [p.aud] : p.aud;
  if (typeof p.sub !== 'string' || typeof p.client_id !== 'string' || typeof p.jti !== 'string') return null;
  if (!Array.isArray(aud) || typeof p.exp !== 'number' || typeof p.iat !== 'number') return null;
  if (typeof p.scope !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(p.jti)) return null;
  const iatMs = jtiIssuedAtMs(Buffer.from(p.jti, 'base64url'));
  // The jti's time must agree with iat; both were signed together.
  if (Math.floor(iatMs / 1000) !== p.iat) return null;
  const gen = p.gen ?? 0;
  if (!Number.isSafeInteger(gen) || gen < 0) return null;
  return { jti: p.jti, sub: p.sub, clientId: p.client_id, scope: p.scope ? p.scope.split(' ') : [], aud, iatMs, exp: p.exp, gen };
}
