import { ZitadelIntrospectionStrategy } from 'passport-zitadel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/service-users.js';
import { appAtItsIssuer } from './support/listening.js';
import { signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { accessToken, createClient, type Client } from './support/tokens.js';

/**
 * passport-zitadel, as a backend API would use it: its introspection strategy authenticates with the
 * project's API application (Basic, or the application's key file) against a real listening server.
 */
let t: TestApp;
let s: SignedIn;
let stop: () => Promise<void>;
let issuer: string;
let projectId: string;
let basicApp: { clientId: string; clientSecret: string };
let keyFile: { type: 'application'; keyId: string; key: string; appId: string; clientId: string };
let svc: Client;
const ROLES = 'urn:zitadel:iam:org:project:roles';

beforeAll(async () => {
  ({ t, issuer, close: stop } = await appAtItsIssuer());
  s = await signIn(t.app);
  projectId = (await call(s, 'post', '/projects', { name: 'Passport API' }).expect(200)).body.id;
  await call(s, 'post', `/projects/${projectId}/roles`, { roleKey: 'orders.read' }).expect(200);
  basicApp = (await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'basic' }).expect(200)).body;
  const jwtApp = (
    await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'keyed', authMethodType: 'API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT' }).expect(200)
  ).body;
  const key = await call(s, 'post', `/projects/${projectId}/apps/${jwtApp.appId}/keys`, { type: 'KEY_TYPE_JSON' }).expect(200);
  keyFile = JSON.parse(Buffer.from(key.body.keyDetails, 'base64').toString('utf8'));
  svc = await createClient(s, 'passport-caller');
  await call(s, 'post', `/users/${svc.userId}/grants`, { projectId, roleKeys: ['orders.read'] }).expect(200);
});
afterAll(() => stop());

type Decided = { ok: true; user: Record<string, unknown> } | { ok: false; why: unknown };

/** passport's hooks, as its middleware sets them: what the strategy decided for one request. */
function decider(strategy: ZitadelIntrospectionStrategy) {
  return (token: string) =>
    new Promise<Decided>((resolve, reject) => {
      Object.assign(strategy, {
        success: (user: Record<string, unknown>) => resolve({ ok: true, user }),
        fail: (why: unknown) => resolve({ ok: false, why }),
        error: reject,
      });
      void strategy.authenticate({ headers: { authorization: `Bearer ${token}` } } as never);
    });
}

describe("passport-zitadel's introspection strategy with an API application", () => {
  const scope = () => `openid urn:zitadel:iam:org:project:id:${projectId}:aud urn:zitadel:iam:org:projects:roles`;

  it('accepts a token of the project with its granted role (Basic)', async () => {
    const strategy = await ZitadelIntrospectionStrategy.create({
      authority: issuer,
      authorization: { type: 'basic', clientId: basicApp.clientId, clientSecret: basicApp.clientSecret },
    });
    const decide = decider(strategy);
    const decided = await decide(await accessToken(t.app, svc, scope()));
    expect(decided).toMatchObject({ ok: true, user: { active: true, sub: svc.userId, aud: expect.arrayContaining([projectId]) } });
    expect((decided as { user: Record<string, unknown> }).user[ROLES]).toEqual({ 'orders.read': { [s.whoami.orgId]: expect.any(String) } });
    expect(await decide(await accessToken(t.app, svc, 'openid'))).toMatchObject({ ok: false });
  });

  it("accepts it with the application's key file (jwt-profile)", async () => {
    const strategy = await ZitadelIntrospectionStrategy.create({ authority: issuer, authorization: { type: 'jwt-profile', profile: keyFile } });
    const decide = decider(strategy);
    expect(await decide(await accessToken(t.app, svc, scope()))).toMatchObject({ ok: true, user: { active: true, sub: svc.userId } });
    expect(await decide('not-a-token')).toMatchObject({ ok: false });
  });
});
