import { createPrivateKey } from 'node:crypto';
import { ServiceAccount } from '@zitadel/node/dist/credentials/index.js';
import { importPKCS8 } from 'jose';
import * as oidc from 'openid-client';
import { ZitadelIntrospectionStrategy } from 'passport-zitadel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createServiceUser, grantOrgRoles } from './support/service-users.js';
import { appAtItsIssuer } from './support/listening.js';
import { signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { MGMT_SCOPE } from './support/tokens.js';

/**
 * ZITADEL's own SDK and a general OAuth client, with a key file made by Tessera's API, against a real
 * listening server: the issuer in discovery must be the URL the clients used.
 */
let t: TestApp;
let s: SignedIn;
let stop: () => Promise<void>;
let issuer: string;
let keyFile: { type: string; keyId: string; key: string; userId: string };

beforeAll(async () => {
  ({ t, issuer, close: stop } = await appAtItsIssuer());
  s = await signIn(t.app);
  const userId = await createServiceUser(s, 'sdk-keyed');
  await grantOrgRoles(t.storage, s.whoami.orgId, userId, ['ORG_OWNER']);
  const res = await call(s, 'post', `/users/${userId}/keys`, { type: 'KEY_TYPE_JSON' }).expect(200);
  keyFile = JSON.parse(Buffer.from(res.body.keyDetails, 'base64').toString('utf8'));
});
afterAll(() => stop());

const orgsMe = (token: string) => fetch(`${issuer}/management/v1/orgs/me`, { headers: { Authorization: `Bearer ${token}` } });

describe('the JWT profile with real clients', () => {
  it("@zitadel/node's ServiceAccount.authenticate gets a token from the key file, which reads the organization", async () => {
    const account = ServiceAccount.fromJsonString(JSON.stringify(keyFile));
    const token = await account.authenticate(issuer, { apiAccess: true });
    const me = await orgsMe(token);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { org: { id: string } }).org.id).toBe(s.whoami.orgId);
  });

  it('openid-client authenticates with private_key_jwt from the same key file', async () => {
    const key = await importPKCS8(createPrivateKey(keyFile.key).export({ type: 'pkcs8', format: 'pem' }) as string, 'RS256');
    const config = await oidc.discovery(new URL(issuer), keyFile.userId, undefined, oidc.PrivateKeyJwt({ key, kid: keyFile.keyId }), {
      execute: [oidc.allowInsecureRequests],
    });
    const tokens = await oidc.clientCredentialsGrant(config, { scope: `openid ${MGMT_SCOPE}` });
    expect((await orgsMe(tokens.access_token)).status).toBe(200);
    const seen = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(seen).toMatchObject({ active: true, sub: keyFile.userId, username: 'sdk-keyed' });
  });

  it("passport-zitadel's introspection strategy authenticates with the key (jwt-profile) and accepts the user's tokens", async () => {
    const strategy = await ZitadelIntrospectionStrategy.create({
      authority: issuer,
      authorization: {
        type: 'jwt-profile',
        profile: { type: 'application', keyId: keyFile.keyId, key: keyFile.key, appId: keyFile.userId, clientId: keyFile.userId },
      },
    });
    // passport's hooks, as its middleware sets them: what the strategy decided for one request.
    const decide = (token: string) =>
      new Promise<{ ok: true; user: Record<string, unknown> } | { ok: false; why: unknown }>((resolve, reject) => {
        Object.assign(strategy, {
          success: (user: Record<string, unknown>) => resolve({ ok: true, user }),
          fail: (why: unknown) => resolve({ ok: false, why }),
          error: reject,
        });
        void strategy.authenticate({ headers: { authorization: `Bearer ${token}` } } as never);
      });
    // The strategy signs one assertion and uses it for an hour, as ZITADEL allows: two tokens, two introspections.
    const account = ServiceAccount.fromJsonString(JSON.stringify(keyFile));
    for (let i = 0; i < 2; i++) {
      const decided = await decide(await account.authenticate(issuer, { apiAccess: true }));
      expect(decided).toMatchObject({ ok: true, user: { active: true, sub: keyFile.userId } });
    }
    expect(await decide('not-a-token')).toMatchObject({ ok: false });
  });
});
