import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appAssertion, appKeyFile } from './support/app-assertion.js';
import { createOrg, signedInHuman } from './support/humans.js';
import { call } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { accessToken, basic, createClient, tokenRequest, type Client } from './support/tokens.js';

/**
 * A backend API secured with a project: tokens asked into the project's audience, introspected with
 * the project's API application, carrying the roles its user grants hold.
 */
let t: TestApp;
let s: SignedIn;
let projectId: string;
let otherProjectId: string;
let app: { clientId: string; clientSecret: string };
let otherApp: { clientId: string; clientSecret: string };
let svc: Client;
let svcJwt: Client;
let domain: string;
const ROLES = 'urn:zitadel:iam:org:project:roles';
const aud = (id: string) => `urn:zitadel:iam:org:project:id:${id}:aud`;

beforeAll(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
  projectId = (await call(s, 'post', '/projects', { name: 'Orders API' }).expect(200)).body.id;
  otherProjectId = (await call(s, 'post', '/projects', { name: 'Stock API' }).expect(200)).body.id;
  for (const roleKey of ['reader', 'writer']) await call(s, 'post', `/projects/${projectId}/roles`, { roleKey }).expect(200);
  app = (await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'orders', authMethodType: 'API_AUTH_METHOD_TYPE_BASIC' }).expect(200)).body;
  otherApp = (await call(s, 'post', `/projects/${otherProjectId}/apps/api`, { name: 'stock' }).expect(200)).body;
  svc = await createClient(s, 'orders-caller');
  svcJwt = await createClient(s, 'orders-caller-jwt', 'ACCESS_TOKEN_TYPE_JWT');
  for (const c of [svc, svcJwt]) await call(s, 'post', `/users/${c.userId}/grants`, { projectId, roleKeys: ['reader'] }).expect(200);
  domain = (await t.storage.one<{ primary_domain: string }>('SELECT primary_domain FROM orgs WHERE id = ?', [s.whoami.orgId]))!.primary_domain;
});
afterAll(() => t.cleanup());

const introspect = (creds: { clientId: string; clientSecret: string }, token: string) =>
  request(t.app).post('/oauth/v2/introspect').set('Authorization', basic(creds.clientId, creds.clientSecret)).type('form').send({ token });
const jwtPayload = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('the project audience scope', () => {
  it('puts the project id in the audience of opaque tokens and JWTs', async () => {
    const opaque = await accessToken(t.app, svc, `openid ${aud(projectId)}`);
    expect((await introspect(app, opaque).expect(200)).body).toMatchObject({ active: true, aud: ['orders-caller', projectId] });
    const jwt = await accessToken(t.app, svcJwt, `openid ${aud(projectId)}`);
    expect(jwtPayload(jwt).aud).toEqual(['orders-caller-jwt', projectId]);
  });

  it('refuses an unknown project and a project of another organization with invalid_scope', async () => {
    const other = await createOrg(s, 'Elsewhere');
    const owner = await signedInHuman(t.app, t.storage, s, other, 'elsewhere-owner', ['ORG_OWNER']);
    const foreign = (await call(owner, 'post', '/projects', { name: 'Foreign API' }).expect(200)).body.id as string;
    for (const id of ['4711', foreign, 'not-a-number']) {
      const res = await tokenRequest(t.app, svc, `openid ${aud(id)}`).expect(400);
      expect(res.body).toMatchObject({ error: 'invalid_scope' });
    }
  });
});

describe("introspection with an API application's credentials", () => {
  it("answers active with the token's claims when the audience holds the app's project", async () => {
    const token = await accessToken(t.app, svc, `openid ${aud(projectId)}`);
    const res = await introspect(app, token).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      active: true,
      scope: `openid ${aud(projectId)}`,
      client_id: 'orders-caller',
      username: 'orders-caller',
      token_type: 'Bearer',
      exp: expect.any(Number),
      iat: expect.any(Number),
      nbf: expect.any(Number),
      sub: svc.userId,
      aud: ['orders-caller', projectId],
      iss: t.config.issuer,
      jti: expect.any(String),
    });
  });

  it('answers {"active":false} to the app of another project, for a token without the audience, and for garbage', async () => {
    const token = await accessToken(t.app, svc, `openid ${aud(projectId)}`);
    expect((await introspect(otherApp, token).expect(200)).body).toEqual({ active: false });
    const plain = await accessToken(t.app, svc, 'openid');
    expect((await introspect(app, plain).expect(200)).body).toEqual({ active: false });
    expect((await introspect(app, 'garbage').expect(200)).body).toEqual({ active: false });
  });

  it('refuses a wrong secret as any unknown client', async () => {
    const token = await accessToken(t.app, svc, `openid ${aud(projectId)}`);
    const wrong = await introspect({ ...app, clientSecret: 'x'.repeat(64) }, token).expect(401);
    const unknown = await introspect({ clientId: '123456789', clientSecret: 'x'.repeat(64) }, token).expect(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('answers inactive after "Revoke Tokens" and after the user is deactivated', async () => {
    const c = await createClient(s, 'short-lived');
    const token = await accessToken(t.app, c, `openid ${aud(projectId)}`);
    expect((await introspect(app, token).expect(200)).body.active).toBe(true);
    await call(s, 'post', `/users/${c.userId}/tokens/_revoke`, {}).expect(200);
    expect((await introspect(app, token).expect(200)).body).toEqual({ active: false });
    const next = await accessToken(t.app, c, `openid ${aud(projectId)}`);
    expect((await introspect(app, next).expect(200)).body.active).toBe(true);
    await call(s, 'post', `/users/${c.userId}/_deactivate`, {}).expect(200);
    expect((await introspect(app, next).expect(200)).body).toEqual({ active: false });
  });

  it('stops working once the app is removed or its secret regenerated', async () => {
    const extra = (await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'rotating' }).expect(200)).body;
    const token = await accessToken(t.app, svc, `openid ${aud(projectId)}`);
    expect((await introspect(extra, token).expect(200)).body.active).toBe(true);
    const fresh = (await call(s, 'post', `/projects/${projectId}/apps/${extra.appId}/api_config/_generate_client_secret`, {}).expect(200)).body;
    await introspect(extra, token).expect(401);
    expect((await introspect({ clientId: extra.clientId, clientSecret: fresh.clientSecret }, token).expect(200)).body.active).toBe(true);
    await call(s, 'delete', `/projects/${projectId}/apps/${extra.appId}`).expect(200);
    await introspect({ clientId: extra.clientId, clientSecret: fresh.clientSecret }, token).expect(401);
  });

  it('authenticates a PRIVATE_KEY_JWT application with an assertion signed by its key', async () => {
    const jwtApp = (
      await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'keyed', authMethodType: 'API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT' }).expect(200)
    ).body;
    const keyRes = await call(s, 'post', `/projects/${projectId}/apps/${jwtApp.appId}/keys`, { type: 'KEY_TYPE_JSON' }).expect(200);
    const assertion = await appAssertion(appKeyFile(keyRes.body.keyDetails), t.config.issuer);
    const token = await accessToken(t.app, svc, `openid ${aud(projectId)}`);
    const res = await request(t.app)
      .post('/oauth/v2/introspect')
      .type('form')
      .send({ token, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion })
      .expect(200);
    expect(res.body).toMatchObject({ active: true, sub: svc.userId });
  });

  it('still lets a service user introspect its own tokens', async () => {
    const token = await accessToken(t.app, svc, `openid ${aud(projectId)}`);
    expect((await introspect(svc, token).expect(200)).body).toMatchObject({ active: true, sub: svc.userId });
  });
});

describe('role claims', () => {
  it('carries only granted roles, in the token scope, introspection, userinfo and the JWT', async () => {
    const scope = `openid ${aud(projectId)} urn:zitadel:iam:org:project:role:reader urn:zitadel:iam:org:project:role:writer`;
    const res = await tokenRequest(t.app, svc, scope).expect(200);
    expect(res.body.scope).toBe(`openid ${aud(projectId)} urn:zitadel:iam:org:project:role:reader`);
    const expected = { reader: { [s.whoami.orgId]: domain } };
    expect((await introspect(app, res.body.access_token).expect(200)).body[ROLES]).toEqual(expected);
    const info = await request(t.app).get('/oidc/v1/userinfo').set('Authorization', `Bearer ${res.body.access_token}`).expect(200);
    expect(info.body[ROLES]).toEqual(expected);
    const jwt = await accessToken(t.app, svcJwt, `openid ${aud(projectId)} urn:zitadel:iam:org:projects:roles`);
    expect(jwtPayload(jwt)[ROLES]).toEqual(expected);
  });

  it('leaves the claim out without a role scope, or without the project in the audience', async () => {
    const noRoles = await accessToken(t.app, svc, `openid ${aud(projectId)}`);
    expect((await introspect(app, noRoles).expect(200)).body[ROLES]).toBeUndefined();
    const noAud = await accessToken(t.app, svc, 'openid urn:zitadel:iam:org:projects:roles');
    expect((await introspect(svc, noAud).expect(200)).body[ROLES]).toBeUndefined();
  });

  it('drops the roles from introspection and userinfo as soon as the grant is removed', async () => {
    const c = await createClient(s, 'granted-then-not');
    const grant = (await call(s, 'post', `/users/${c.userId}/grants`, { projectId, roleKeys: ['reader', 'writer'] }).expect(200)).body;
    const token = await accessToken(t.app, c, `openid ${aud(projectId)} urn:zitadel:iam:org:projects:roles`);
    expect(Object.keys((await introspect(app, token).expect(200)).body[ROLES])).toEqual(['reader', 'writer']);
    await call(s, 'put', `/users/${c.userId}/grants/${grant.userGrantId}`, { roleKeys: ['reader'] }).expect(200);
    expect(Object.keys((await introspect(app, token).expect(200)).body[ROLES])).toEqual(['reader']);
    await call(s, 'delete', `/users/${c.userId}/grants/${grant.userGrantId}`).expect(200);
    const after = await introspect(app, token).expect(200);
    expect(after.body.active).toBe(true);
    expect(after.body[ROLES]).toBeUndefined();
    const info = await request(t.app).get('/oidc/v1/userinfo').set('Authorization', `Bearer ${token}`).expect(200);
    expect(info.body[ROLES]).toBeUndefined();
  });
});
