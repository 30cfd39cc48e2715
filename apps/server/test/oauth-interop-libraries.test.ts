import { OAuth2Client } from '@badgateway/oauth2-client';
import * as oauth from 'oauth4webapi';
import { ClientCredentials } from 'simple-oauth2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appAtItsIssuer } from './support/listening.js';
import { signIn, type TestApp } from './support/test-app.js';
import { createClient, grantOrgRoles, GUIDE_SCOPE, MGMT_SCOPE, type Client } from './support/tokens.js';

/**
 * The client libraries that found Tessera's interoperability gaps, each against a listening server:
 * discovery through RFC 8414 only, revocation answers a client can parse, and the plain HTTP
 * answers behind them.
 */
let t: TestApp;
let stop: () => Promise<void>;
let issuer: string;
let c: Client;

beforeAll(async () => {
  ({ t, issuer, close: stop } = await appAtItsIssuer());
  const s = await signIn(t.app);
  c = await createClient(s, 'interop-libs');
  await grantOrgRoles(t.storage, s.whoami.orgId, c.userId, ['ORG_OWNER']);
});
afterAll(() => stop());

const orgsMe = (token: string) => fetch(`${issuer}/management/v1/orgs/me`, { headers: { Authorization: `Bearer ${token}` } });
const introspect = async (token: string) => {
  const res = await fetch(`${issuer}/oauth/v2/introspect`, {
    method: 'POST',
    headers: { Authorization: `Basic ${btoa(`${c.clientId}:${c.clientSecret}`)}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });
  return (await res.json()) as { active: boolean };
};

describe('simple-oauth2 5', () => {
  const client = () =>
    new ClientCredentials({
      client: { id: c.clientId, secret: c.clientSecret },
      auth: { tokenHost: issuer, tokenPath: '/oauth/v2/token', revokePath: '/oauth/v2/revoke' },
    });

  it('gets a token that reads the organization, and revokes it', async () => {
    const token = await client().getToken({ scope: GUIDE_SCOPE });
    expect(token.token).toMatchObject({ token_type: 'Bearer', expires_in: 43199, scope: GUIDE_SCOPE });
    const accessToken = token.token.access_token as string;
    expect((await orgsMe(accessToken)).status).toBe(200);
    await expect(token.revoke('access_token')).resolves.toEqual({});
    expect((await orgsMe(accessToken)).status).toBe(401);
  });
});

describe('@badgateway/oauth2-client 3, given only the server', () => {
  it('discovers the endpoints through RFC 8414 and completes client credentials', async () => {
    const client = new OAuth2Client({ server: `${issuer}/`, clientId: c.clientId, clientSecret: c.clientSecret });
    const token = await client.clientCredentials({ scope: GUIDE_SCOPE.split(' ') });
    expect(await client.getEndpoint('tokenEndpoint')).toBe(`${issuer}/oauth/v2/token`);
    expect(token.expiresAt).toBeGreaterThan(Date.now());
    const me = await orgsMe(token.accessToken);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { org: { name: string } }).org.name).toBe('Tessera');
    await client.revoke(token);
    expect((await orgsMe(token.accessToken)).status).toBe(401);
  });
});

describe('oauth4webapi 3', () => {
  const insecure = { [oauth.allowInsecureRequests]: true };

  it("discovers with algorithm 'oauth2', gets a token, and revokes it", async () => {
    const url = new URL(issuer);
    const as = await oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, { algorithm: 'oauth2', ...insecure }));
    expect(as).toMatchObject({ issuer, token_endpoint: `${issuer}/oauth/v2/token`, revocation_endpoint: `${issuer}/oauth/v2/revoke` });
    const client: oauth.Client = { client_id: c.clientId };
    const auth = oauth.ClientSecretBasic(c.clientSecret);
    const params = new URLSearchParams({ scope: `openid ${MGMT_SCOPE}` });
    const response = await oauth.clientCredentialsGrantRequest(as, client, auth, params, insecure);
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    expect(result).toMatchObject({ token_type: 'bearer', expires_in: 43199, scope: `openid ${MGMT_SCOPE}` });
    expect((await orgsMe(result.access_token)).status).toBe(200);
    const revoked = await oauth.revocationRequest(as, client, auth, result.access_token, insecure);
    await oauth.processRevocationResponse(revoked);
    expect(await introspect(result.access_token)).toEqual({ active: false });
  });
});

describe('userinfo over plain HTTP (RFC 6750 3.1)', () => {
  it('challenges a request without a token with the scheme alone, and names the error for a bad token', async () => {
    const none = await fetch(`${issuer}/oidc/v1/userinfo`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
    expect(await none.text()).toBe('');
    const bad = await fetch(`${issuer}/oidc/v1/userinfo`, { headers: { Authorization: 'Bearer not-a-token' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer realm="tessera", error="invalid_token", error_description="/);
    expect(((await bad.json()) as { error: string }).error).toBe('invalid_token');
  });
});

describe('a token request without scope over plain HTTP (requests-oauthlib, Go x/oauth2)', () => {
  it("keeps ZITADEL's 400 invalid_request, and names the scopes to request in RFC 6749's characters", async () => {
    const res = await fetch(`${issuer}/oauth/v2/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${btoa(`${c.clientId}:${c.clientSecret}`)}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toContain(`request openid ${MGMT_SCOPE}`);
    expect(body.error_description).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
  });
});
