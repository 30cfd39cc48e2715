import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementAudience } from '../src/domain/tokens/access-tokens.js';
import { appAtItsIssuer } from './support/listening.js';
import { signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { createClient, grantOrgRoles, GUIDE_SCOPE, MGMT_SCOPE, type Client } from './support/tokens.js';

/**
 * Real clients against a real listening server: the issuer in discovery must be the URL the
 * client used, so the port is taken first and the app is built for it.
 */
let t: TestApp;
let s: SignedIn;
let stop: () => Promise<void>;
let issuer: string;
let bearer: Client;
let jwt: Client;

beforeAll(async () => {
  ({ t, issuer, close: stop } = await appAtItsIssuer());
  s = await signIn(t.app);
  bearer = await createClient(s, 'oidc-bearer');
  jwt = await createClient(s, 'oidc-jwt', 'ACCESS_TOKEN_TYPE_JWT');
  await grantOrgRoles(t.storage, s.whoami.orgId, bearer.userId, ['ORG_OWNER']);
  await grantOrgRoles(t.storage, s.whoami.orgId, jwt.userId, ['ORG_OWNER_VIEWER']);
});
afterAll(() => stop());

const discover = (c: Client, auth: oidc.ClientAuth) => oidc.discovery(new URL(issuer), c.clientId, undefined, auth, { execute: [oidc.allowInsecureRequests] });

describe('openid-client 6', () => {
  it('discovers the server and completes client credentials with client_secret_basic and _post', async () => {
    for (const auth of [oidc.ClientSecretBasic(bearer.clientSecret), oidc.ClientSecretPost(bearer.clientSecret)]) {
      const config = await discover(bearer, auth);
      expect(config.serverMetadata().token_endpoint).toBe(`${issuer}/oauth/v2/token`);
      const tokens = await oidc.clientCredentialsGrant(config, { scope: GUIDE_SCOPE });
      expect(tokens.token_type).toBe('bearer'); // openid-client normalizes the case
      expect(tokens.expires_in).toBe(43199);
      expect(tokens.scope).toBe(GUIDE_SCOPE);
      const me = await fetch(`${issuer}/management/v1/orgs/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { org: { id: string } }).org.id).toBe(s.whoami.orgId);
    }
  });

  it('introspects, reads userinfo and revokes with the same configuration', async () => {
    const config = await discover(bearer, oidc.ClientSecretBasic(bearer.clientSecret));
    const { access_token } = await oidc.clientCredentialsGrant(config, { scope: `openid profile ${MGMT_SCOPE}` });
    const info = await oidc.tokenIntrospection(config, access_token);
    expect(info).toMatchObject({ active: true, client_id: 'oidc-bearer', sub: bearer.userId, token_type: 'Bearer' });
    const user = await oidc.fetchUserInfo(config, access_token, bearer.userId);
    expect(user).toEqual({
      sub: bearer.userId,
      name: 'oidc-bearer display',
      preferred_username: 'oidc-bearer@tessera.127.0.0.1',
      updated_at: expect.any(Number),
    });
    await oidc.tokenRevocation(config, access_token);
    expect(await oidc.tokenIntrospection(config, access_token)).toEqual({ active: false });
  });

  it('sees a wrong secret as a 401 Basic challenge with the RFC error body', async () => {
    const config = await discover(bearer, oidc.ClientSecretBasic('wrong'));
    const err = await oidc.clientCredentialsGrant(config, { scope: 'openid' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
    const challenge = err as oidc.WWWAuthenticateChallengeError;
    expect(challenge.status).toBe(401);
    expect(challenge.cause).toEqual([{ scheme: 'basic', parameters: { realm: 'tessera', charset: 'UTF-8' } }]);
    expect(await challenge.response.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  });
});

describe('jose against the published keys', () => {
  it('verifies a JWT access token through the JWKS endpoint (RFC 9068)', async () => {
    const config = await discover(jwt, oidc.ClientSecretBasic(jwt.clientSecret));
    const { access_token } = await oidc.clientCredentialsGrant(config, { scope: GUIDE_SCOPE });
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(access_token, jwks, {
      issuer,
      audience: managementAudience(issuer),
      typ: 'at+jwt',
      algorithms: ['ES256'],
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'client_id', 'scope'],
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: expect.any(String), typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: jwt.userId, client_id: 'oidc-jwt', scope: GUIDE_SCOPE, aud: ['oidc-jwt', managementAudience(issuer)] });
    const me = await fetch(`${issuer}/management/v1/orgs/me`, { headers: { Authorization: `Bearer ${access_token}` } });
    expect(me.status).toBe(200);
  });

  it('publishes only public key material, with kid, alg and use', async () => {
    const res = await fetch(`${issuer}/oauth/v2/keys`);
    expect(res.headers.get('content-type')).toBe('application/jwk-set+json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const body = (await res.json()) as { keys: Record<string, string>[] };
    expect(body.keys).toHaveLength(1);
    expect(Object.keys(body.keys[0]!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    expect(body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  });
});

describe('GET /.well-known/openid-configuration', () => {
  it('describes the endpoints, grant, auth methods, scopes, userinfo and the algorithm of the published keys', async () => {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await res.json()).toEqual({
      issuer,
      token_endpoint: `${issuer}/oauth/v2/token`,
      introspection_endpoint: `${issuer}/oauth/v2/introspect`,
      revocation_endpoint: `${issuer}/oauth/v2/revoke`,
      userinfo_endpoint: `${issuer}/oidc/v1/userinfo`,
      jwks_uri: `${issuer}/oauth/v2/keys`,
      grant_types_supported: ['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
      response_types_supported: [],
      subject_types_supported: ['public'],
      scopes_supported: [
        'openid',
        'profile',
        'email',
        'phone',
        'address',
        'offline_access',
        'urn:zitadel:iam:user:metadata',
        'urn:zitadel:iam:user:resourceowner',
        'urn:zitadel:iam:org:projects:roles',
        MGMT_SCOPE,
      ],
      claims_supported: ['sub', 'name', 'preferred_username', 'updated_at'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256', 'ES256'],
      introspection_endpoint_auth_signing_alg_values_supported: ['RS256', 'ES256'],
      revocation_endpoint_auth_signing_alg_values_supported: ['RS256', 'ES256'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
  });
});

describe('GET /.well-known/oauth-authorization-server (RFC 8414)', () => {
  const OPENID_ONLY = ['userinfo_endpoint', 'subject_types_supported', 'claims_supported', 'id_token_signing_alg_values_supported'];

  it('is the OpenID document without what only OpenID Connect has, cacheable like it', async () => {
    const res = await fetch(`${issuer}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const metadata = (await res.json()) as Record<string, unknown>;
    const openid = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata).toEqual(Object.fromEntries(Object.entries(openid).filter(([k]) => !OPENID_ONLY.includes(k))));
    expect(metadata).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/oauth/v2/token`,
      jwks_uri: `${issuer}/oauth/v2/keys`,
      response_types_supported: [],
      token_endpoint_auth_signing_alg_values_supported: ['RS256', 'ES256'],
    });
    expect(Object.keys(metadata)).toHaveLength(14);
  });

  it('answers another method with 405 and Allow: GET', async () => {
    const res = await fetch(`${issuer}/.well-known/oauth-authorization-server`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'this endpoint accepts GET only' });
  });
});
