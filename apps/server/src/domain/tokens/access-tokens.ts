import type { AccessTokenType } from '@tessera/contracts';
import type { Config } from '../../config.js';
import { VersionedCache } from '../../storage/data-version.js';
import type { InstanceKeyRing, InstanceKeys } from '../../storage/instance-keys.js';
import type { Storage } from '../../storage/port.js';
import type { AccessTokenVerifier, VerifiedAccessToken } from '../access-token.js';
import type { RolesClaim } from '../user-grants/granted-roles.js';
import type { AccessTokenClaims } from './claims.js';
import { DecodedTokenCache, type Decoded } from './decoded-cache.js';
import { JwtAccessTokens } from './jwt-codec.js';
import { MAX_TOKEN_LENGTH, OpaqueTokenCodec } from './opaque-codec.js';
import { RevocationList, type Revoked } from './revocations.js';
import { SigningKeys } from './signing-keys.js';

export interface IssueRequest {
  userId: string;
  clientId: string;
  orgId: string;
  tokenType: AccessTokenType;
  scope: string[];
  aud: string[];
  /**
   * The user's token generation (users.token_generation), read with its credentials; the token
   * counts only while the user stays at it. 0 when not given.
   */
  generation?: number;
  /** Granted project roles as the role scopes asked for them: a JWT carries them; an opaque token's are read when it is introspected. */
  roles?: RolesClaim;
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
/**
 * How far in the future a token's issue time may be. Only this server issues tokens, so this is
 * room for its clock being stepped back; a token from further ahead was minted with a stolen key.
 */
const MAX_FUTURE_IAT_MS = 60_000;

interface UserState {
  state: string;
  tokens_valid_after: number;
  token_generation: number;
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
  readonly #opaque: OpaqueTokenCodec;
  readonly #opaqueRing: InstanceKeyRing;
  readonly #jwt: JwtAccessTokens;
  readonly #lifetimeMs: number;
  readonly #users: VersionedCache<string, UserState>;
  readonly #decoded = new DecodedTokenCache(DECODED_CACHE_SIZE);

  private constructor(
    private readonly storage: Storage,
    private readonly instanceKeys: InstanceKeys,
    config: Config,
    keys: SigningKeys,
    revocations: RevocationList,
  ) {
    this.keys = keys;
    this.revocations = revocations;
    this.managementAudience = managementAudience(config.issuer);
    this.#opaqueRing = instanceKeys.ring('opaque');
    this.#opaque = new OpaqueTokenCodec(this.#opaqueRing);
    this.#jwt = new JwtAccessTokens(this.keys, config.issuer);
    this.#lifetimeMs = config.accessTokenLifetimeSeconds * 1000;
    this.#users = new VersionedCache(storage.version, USER_STATE_CACHE_SIZE);
  }

  static async open(storage: Storage, instanceKeys: InstanceKeys, config: Config): Promise<AccessTokens> {
    const keys = await SigningKeys.open(storage, instanceKeys, config.jwtAlg, config.accessTokenLifetimeSeconds);
    const revocations = await RevocationList.open(storage);
    return new AccessTokens(storage, instanceKeys, config, keys, revocations);
  }

  async issue(req: IssueRequest, nowMs = Date.now()): Promise<IssuedToken> {
    await this.#freshKeys();
    const exp = Math.floor((nowMs + this.#lifetimeMs) / 1000);
    const claims = {
      sub: req.userId,
      clientId: req.clientId,
      orgId: req.orgId,
      scope: req.scope,
      aud: req.aud,
      iatMs: nowMs,
      exp,
      gen: req.generation ?? 0,
      roles: req.roles,
    };
    const { token, jti } = req.tokenType === 'ACCESS_TOKEN_TYPE_JWT' ? this.#jwt.sign(claims) : this.#opaque.encode(claims);
    // RFC 6749 5.1 expires_in: the remaining lifetime rounded down, less a second so it never overstates.
    const expiresIn = Math.max(0, Math.ceil((exp * 1000 - nowMs) / 1000) - 1);
    return { accessToken: token, jti, exp, expiresIn };
  }

  /**
   * Claims of a token that is ours and currently valid, or null: expired, valid for longer than
   * the configured lifetime or issued in the future (what only a stolen key makes), revoked, user
   * gone or inactive, or all its tokens revoked since.
   */
  async verify(token: string): Promise<VerifiedAccessToken | null> {
    const claims = await this.decode(token);
    if (!claims) return null;
    const now = Date.now();
    if (claims.exp * 1000 <= now || claims.exp * 1000 - claims.iatMs > this.#lifetimeMs || claims.iatMs > now + MAX_FUTURE_IAT_MS) return null;
    if (await this.revocations.isRevoked(claims.jti)) return null;
    const user = await this.#users.get(claims.sub, (id) =>
      this.storage.one<UserState>("SELECT state, tokens_valid_after, token_generation, org_id FROM users WHERE id = ? AND type = 'machine'", [id]),
    );
    if (!user || user.state !== 'USER_STATE_ACTIVE' || !ofCurrentGeneration(claims, user)) return null;
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
    await this.#freshKeys();
    const hit = this.#decoded.get(token);
    if (hit) return this.#stillKeyed(hit) ? hit.claims : null;
    const decoded = token.includes('.') ? await this.#jwt.verify(token) : await this.#openOpaque(token);
    if (!decoded) return null;
    this.#decoded.set(token, decoded);
    return decoded.claims;
  }

  /** RFC 7009 for one token; past the revocation limits, for all of its user's tokens (revocations.ts). */
  revoke(token: VerifiedAccessToken): Promise<Revoked> {
    return this.revocations.revoke(token.jti, token.exp, token.userId);
  }

  close(): void {
    this.keys.close();
    this.revocations.close();
  }

  /** Keys rotated or withdrawn elsewhere (the CLI, another node) count from the first call after the change. */
  async #freshKeys(): Promise<void> {
    await this.keys.fresh();
    await this.instanceKeys.fresh();
  }

  /** A token sealed under a key made on another node a moment ago waits for one re-read of the keys. */
  async #openOpaque(token: string): Promise<Decoded | null> {
    const decoded = this.#opaque.decode(token);
    if (decoded) return decoded;
    const keyId = OpaqueTokenCodec.keyIdOf(token);
    if (keyId === undefined || this.#opaque.hasKey(keyId) || !(await this.#opaqueRing.find(keyId))) return null;
    return this.#opaque.decode(token);
  }

  /** A cached token counts only while the key that signed or sealed it is still kept. */
  #stillKeyed(d: Decoded): boolean {
    if (d.kid !== undefined) return this.keys.get(d.kid) !== undefined;
    return d.keyId === undefined || this.#opaque.hasKey(d.keyId);
  }
}

/**
 * Whether no "Revoke Tokens", deactivation or revocation past the limits happened since the token
 * was issued: each moves the user's generation on. At generation 0 no such thing has happened
 * since the upgrade that brought generations; a cut-off made before it is in tokens_valid_after,
 * which judges the tokens of generation 0 (those issued before the upgrade among them) as then.
 */
function ofCurrentGeneration(claims: AccessTokenClaims, user: UserState): boolean {
  return claims.gen === user.token_generation && (claims.gen !== 0 || claims.iatMs >= user.tokens_valid_after);
}
