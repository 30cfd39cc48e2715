import type { RequestHandler, Response } from 'express';
import type { AppContext } from '../context.js';
import { SIGNING_ALGS } from '../domain/tokens/key-material.js';
import { ASSERTION_ALGS } from './assertion-auth.js';
import { grants } from './grants/index.js';
import { MANAGEMENT_AUD_SCOPE, STANDARD_SCOPES } from './scopes.js';

export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
export const PUBLIC_CACHE = 'public, max-age=300';

/**
 * RFC 8414 authorization server metadata at /.well-known/oauth-authorization-server: the OAuth
 * server as it is, for OAuth-only clients. Static, so it is built once.
 */
export function oauthMetadata(ctx: AppContext): Record<string, unknown> {
  const iss = ctx.config.issuer;
  return {
    issuer: iss,
    token_endpoint: `${iss}/oauth/v2/token`,
    introspection_endpoint: `${iss}/oauth/v2/introspect`,
    revocation_endpoint: `${iss}/oauth/v2/revoke`,
    jwks_uri: `${iss}/oauth/v2/keys`,
    grant_types_supported: [...grants.keys()],
    // Required by RFC 8414; Tessera has no authorization endpoint, so there are none.
    response_types_supported: [],
    scopes_supported: [...STANDARD_SCOPES, MANAGEMENT_AUD_SCOPE],
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    // private_key_jwt's assertions, and the JWT profile's (RFC 7523), are signed with a service user's key.
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGS],
    introspection_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGS],
    revocation_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGS],
  };
}

/**
 * OpenID Connect Discovery 1.0 at /.well-known/openid-configuration, what ZITADEL's clients read:
 * the same, plus the OpenID Connect Tessera has (userinfo, its claims, public subjects). No ID
 * tokens are issued; id_token_signing_alg_values_supported names the algorithms of the keys at
 * jwks_uri, which verifiers of JWT access tokens (go-oidc, express-oauth2-jwt-bearer) read as
 * the algorithms this issuer signs with. OIDC's RS256 is not added when no RS256 key exists.
 */
export function openidMetadata(ctx: AppContext, signingAlgs: readonly string[]): Record<string, unknown> {
  return {
    ...oauthMetadata(ctx),
    userinfo_endpoint: `${ctx.config.issuer}/oidc/v1/userinfo`,
    subject_types_supported: ['public'],
    claims_supported: ['sub', 'name', 'preferred_username', 'updated_at'],
    id_token_signing_alg_values_supported: [...signingAlgs],
  };
}

/** The algorithms of the published keys: after a change of TESSERA_JWT_ALG, the old one until its last token expires. */
function publishedAlgs(ctx: AppContext): string[] {
  const published = new Set(ctx.tokens.keys.jwks().keys.map((k) => k.alg));
  return SIGNING_ALGS.filter((alg) => published.has(alg));
}

const sendPublic = (res: Response, json: string) => res.set({ 'Cache-Control': PUBLIC_CACHE, 'Content-Type': 'application/json; charset=utf-8' }).send(json);

export function oauthMetadataEndpoint(ctx: AppContext): RequestHandler {
  const json = JSON.stringify(oauthMetadata(ctx));
  return (_req, res) => {
    sendPublic(res, json);
  };
}

/** Rebuilt only when the set of published algorithms changes. */
export function discoveryEndpoint(ctx: AppContext): RequestHandler {
  let algs = '';
  let json = '';
  return async (_req, res) => {
    await ctx.tokens.keys.fresh(); // as the JWKS: a rotation elsewhere shows from the first request after it
    const now = publishedAlgs(ctx);
    if (now.join(' ') !== algs) {
      algs = now.join(' ');
      json = JSON.stringify(openidMetadata(ctx, now));
    }
    sendPublic(res, json);
  };
}

/** GET /oauth/v2/keys: the JWKS (RFC 7517), with retired keys until their last token has expired. */
export function keysEndpoint(ctx: AppContext): RequestHandler {
  return async (_req, res) => {
    await ctx.tokens.keys.fresh(); // a key rotated elsewhere is published from the first request after the change
    res.set({ 'Cache-Control': PUBLIC_CACHE, 'Content-Type': 'application/jwk-set+json; charset=utf-8' }).send(JSON.stringify(ctx.tokens.keys.jwks()));
  };
}
