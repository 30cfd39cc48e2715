import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { ASSERTION_ALGS } from './assertion-auth.js';
import { grants } from './grants/index.js';
import { MANAGEMENT_AUD_SCOPE, STANDARD_SCOPES } from './scopes.js';

export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
export const PUBLIC_CACHE = 'public, max-age=300';

/** RFC 8414 / OpenID Connect Discovery 1.0 metadata; everything in it is static, so it is built once. */
export function discoveryDocument(ctx: AppContext): Record<string, unknown> {
  const iss = ctx.config.issuer;
  return {
    issuer: iss,
    token_endpoint: `${iss}/oauth/v2/token`,
    introspection_endpoint: `${iss}/oauth/v2/introspect`,
    revocation_endpoint: `${iss}/oauth/v2/revoke`,
    userinfo_endpoint: `${iss}/oidc/v1/userinfo`,
    jwks_uri: `${iss}/oauth/v2/keys`,
    grant_types_supported: [...grants.keys()],
    // Required by both specs; Tessera has no authorization endpoint, so there are none.
    response_types_supported: [],
    subject_types_supported: ['public'],
    scopes_supported: [...STANDARD_SCOPES, MANAGEMENT_AUD_SCOPE],
    claims_supported: ['sub', 'name', 'preferred_username', 'updated_at'],
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    // private_key_jwt's assertions, and the JWT profile's (RFC 7523), are signed with a service user's key.
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGS],
    introspection_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGS],
    revocation_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGS],
    // The algorithm of JWT access tokens (and of the keys at jwks_uri); no ID tokens are issued.
    id_token_signing_alg_values_supported: [ctx.config.jwtAlg],
  };
}

export function discoveryEndpoint(ctx: AppContext): RequestHandler {
  const json = JSON.stringify(discoveryDocument(ctx));
  return (_req, res) => {
    res.set({ 'Cache-Control': PUBLIC_CACHE, 'Content-Type': 'application/json; charset=utf-8' }).send(json);
  };
}

/** GET /oauth/v2/keys: the JWKS (RFC 7517), with retired keys until their last token has expired. */
export function keysEndpoint(ctx: AppContext): RequestHandler {
  return async (_req, res) => {
    await ctx.tokens.keys.fresh(); // a key rotated elsewhere is published from the first request after the change
    res.set({ 'Cache-Control': PUBLIC_CACHE, 'Content-Type': 'application/jwk-set+json; charset=utf-8' }).send(JSON.stringify(ctx.tokens.keys.jwks()));
  };
}
