import type { AccessTokenType } from '@tessera/contracts';
import type { Config } from '../../config.js';
import { dataVersionOf, VersionedCache } from '../../storage/data-version.js';
import type { Db } from '../../storage/db.js';
import { instanceKeyRing } from '../../storage/instance-keys.js';
import type { AccessTokenVerifier, VerifiedAccessToken } from '../access-token.js';
import type { AccessTokenClaims } from './claims.js';
import { DecodedTokenCache } from './decoded-cache.js';
import { JwtAccessTokens } from './jwt-codec.js';
import { MAX_TOKEN_LENGTH } from './opaque-codec.js';
import { RingOpaqueTokenCodec } from './opaque-key-ring.js';
import { RevocationList } from './revocations.js';
import { SigningKeys } from './signing-keys.js';

export interface IssueRequest {
  userId: string;
  clientId: string;
  orgId: string;
  tokenType: AccessTokenType;
  scope: string[];
  aud: string[];
}

export interface IssuedToken {
  accessToken: string;
  jti: string;
  /** Epoch seconds. */
  exp: number;
  /** Whole seconds left, never more than the truth (the guide's 43199 for 12 h). */
  expiresIn: number;
}

/** Enough for every token in active use on a busy instance; about 1 KB each. */
const DECODED_CACHE_SIZE = 5_000;
/** Users whose state was read; until the database changes (storage/data-version.ts). */
const USER_STATE_CACHE_SIZE = 4096;

interface UserState {
  state: string;
  tokens_valid_after: number;
  org_id: string;
}

/** The audience value that opens the management API (scope urn:zitadel:iam:org:project:id:zitadel:aud). */
export function managementAudience(issuer: string): string {
  return `${issuer}/management/v1`;
}

/**
 * Issues and verifies access tokens of both types. Nothing here writes per token: a BEARER token
 * is sealed, a JWT is signed, and verification is decryption or a signature check plus the
 * revocation set in memory and the user's state, read by primary key and kept until the database
 * next changes (so deactivation and "Revoke Tokens" hold from the very next request).
 */
export class AccessTokens implements AccessTokenVerifier {
  readonly keys: SigningKeys;
  readonly revocations: RevocationList;
  readonly managementAudience: string;
  readonly #opaque: RingOpaqueTokenCodec;
  readonly #jwt: JwtAccessTokens;
  readonly #lifetimeMs: number;
  readonly #userState;
  readonly #users: VersionedCache<string, UserState>;
  readonly #decoded = new DecodedTokenCache(DECODED_CACHE_SIZE);

  constructor(db: Db, config: Config) {
    this.keys = new SigningKeys(db, config.jwtAlg, config.accessTokenLifetimeSeconds);
    this.revocations = new RevocationList(db);
    this.managementAudience = managementAudience(config.issuer);
    this.#opaque = new RingOpaqueTokenCodec(instanceKeyRing(db, 'opaque'));
    this.#jwt = new JwtAccessTokens(this.keys, config.issuer);
    this.#lifetimeMs = config.accessTokenLifetimeSeconds * 1000;
    this.#userState = db.prepare("SELECT state, tokens_valid_after, org_id FROM users WHERE id = ? AND type = 'machine'");
    this.#users = new VersionedCache(dataVersionOf(db), USER_STATE_CACHE_SIZE);
  }

  async issue(req: IssueRequest, nowMs = Date.now()): Promise<IssuedToken> {
    const exp = Math.floor((nowMs + this.#lifetimeMs) / 1000);
    const claims = { sub: req.userId, clientId: req.clientId, orgId: req.orgId, scope: req.scope, aud: req.aud, iatMs: nowMs, exp };
    const { token, jti } =
      req.tokenType === 'ACCESS_TOKEN_TYPE_JWT' ? this.#jwt.sign(claims) : this.#opaque.encode(claims);
    // RFC 6749 5.1 expires_in: the remaining lifetime rounded down, less a second so it never overstates.
    const expiresIn = Math.max(0, Math.ceil((exp * 1000 - nowMs) / 1000) - 1);
    return { accessToken: token, jti, exp, expiresIn };
  }

  /** Claims of a token that is ours and currently valid, or null (expired, revoked, user gone or inactive). */
  async verify(token: string): Promise<VerifiedAccessToken | null> {
    const claims = await this.decode(token);
    if (!claims) return null;
    if (claims.exp * 1000 <= Date.now() || this.revocations.has(claims.jti)) return null;
    const user = this.#users.get(claims.sub, (id) => this.#userState.get(id) as UserState | undefined);
    if (!user || user.state !== 'USER_STATE_ACTIVE' || claims.iatMs < user.tokens_valid_after) return null;
    return {
      jti: claims.jti,
      userId: claims.sub,
      orgId: user.org_id,
      clientId: claims.clientId,
      scope: claims.scope,
      aud: claims.aud,
      iat: Math.floor(claims.iatMs / 1000),
      exp: claims.exp,
      management: claims.aud.includes(this.managementAudience),
    };
  }

  /** Signature or seal only: no expiry, revocation or user checks. */
  async decode(token: string): Promise<AccessTokenClaims | null> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
    const hit = this.#decoded.get(token);
    if (hit) return (hit.kid === undefined ? this.#opaque.stillOpens(hit.claims) : this.keys.get(hit.kid)) ? hit.claims : null;
    let decoded;
    if (token.includes('.')) {
      decoded = await this.#jwt.verify(token);
    } else {
      const claims = this.#opaque.decode(token);
      decoded = claims && { claims };
    }
    if (!decoded) return null;
    this.#decoded.set(token, decoded);
    return decoded.claims;
  }

  revoke(token: VerifiedAccessToken): void {
    this.revocations.revoke(token.jti, token.exp);
  }

  close(): void {
    this.keys.close();
    this.revocations.close();
  }
}
