import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientCredentials } from 'simple-oauth2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { createClient, grantOrgRoles, GUIDE_SCOPE, type Client } from './support/tokens.js';

/**
 * The client libraries that found Tessera's interoperability gaps, each against a listening server:
 * discovery through RFC 8414 only, revocation answers a client can parse, and the plain HTTP
 * answers behind them.
 */
let t: TestApp;
let server: http.Server;
let issuer: string;
let c: Client;

beforeAll(async () => {
  server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await createTestApp({ TESSERA_ISSUER: issuer });
  server.on('request', t.app);
  const s = await signIn(t.app);
  c = await createClient(s, 'interop-libs');
  await grantOrgRoles(t.storage, s.whoami.orgId, c.userId, ['ORG_OWNER']);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.cleanup();
});

const orgsMe = (token: string) => fetch(`${issuer}/management/v1/orgs/me`, { headers: { Authorization: `Bearer ${token}` } });
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
