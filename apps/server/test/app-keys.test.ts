import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appAssertion, appKeyFile, type AppKeyFile } from './support/app-assertion.js';
import { createOrg, signedInHuman } from './support/humans.js';
import { call } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { accessToken, createClient } from './support/tokens.js';

/** The keys of a PRIVATE_KEY_JWT API application: ListAppKeys, GetAppKey, RemoveAppKey (AddAppKey in projects.test.ts). */
let t: TestApp;
let s: SignedIn;
let projectId: string;
let appId: string;
beforeAll(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
  projectId = (await call(s, 'post', '/projects', { name: 'Ledger API' }).expect(200)).body.id;
  appId = (await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'ledger', authMethodType: 'API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT' }).expect(200))
    .body.appId;
});
afterAll(() => t.cleanup());

const keysPath = () => `/projects/${projectId}/apps/${appId}/keys`;

async function addKey(expirationDate?: string): Promise<AppKeyFile> {
  const res = await call(s, 'post', keysPath(), { type: 'KEY_TYPE_JSON', ...(expirationDate ? { expirationDate } : {}) }).expect(200);
  return appKeyFile(res.body.keyDetails);
}

/** Introspects a token as the application, with an assertion signed by the key. */
async function introspectWith(file: AppKeyFile, token: string) {
  const assertion = await appAssertion(file, t.config.issuer);
  return request(t.app)
    .post('/oauth/v2/introspect')
    .type('form')
    .send({ token, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
}

describe('application keys', () => {
  it('lists and reads keys with id, type, expiration and details, never the public key', async () => {
    const first = await addKey('2031-01-01T00:00:00Z');
    const second = await addKey();
    const list = await call(s, 'post', `${keysPath()}/_search`, {}).expect(200);
    expect(list.body.details).toMatchObject({ totalResult: '2' });
    expect(list.body.result.map((k: { id: string }) => k.id)).toEqual([second.keyId, first.keyId]);
    expect(list.body.result[1]).toEqual({
      id: first.keyId,
      type: 'KEY_TYPE_JSON',
      expirationDate: '2031-01-01T00:00:00Z',
      details: { sequence: expect.stringMatching(/^\d+$/), creationDate: expect.any(String), changeDate: expect.any(String), resourceOwner: s.whoami.orgId },
    });
    const asc = await call(s, 'post', `${keysPath()}/_search`, { query: { asc: true, limit: 1 } }).expect(200);
    expect(asc.body.result.map((k: { id: string }) => k.id)).toEqual([first.keyId]);
    const got = await call(s, 'get', `${keysPath()}/${first.keyId}`).expect(200);
    expect(got.body).toEqual({ key: list.body.result[1] });
    expect(JSON.stringify([list.body, got.body])).not.toMatch(/PUBLIC KEY|"n":|"e":/);
    for (const k of [first, second]) await call(s, 'delete', `${keysPath()}/${k.keyId}`).expect(200);
  });

  it('removes a key: the assertions it signs no longer authenticate introspection, and the removal is an event', async () => {
    const file = await addKey();
    const kept = await addKey();
    const svc = await createClient(s, 'ledger-caller');
    const token = await accessToken(t.app, svc, `openid urn:zitadel:iam:org:project:id:${projectId}:aud`);
    expect((await introspectWith(file, token)).body).toMatchObject({ active: true, sub: svc.userId });
    const removed = await call(s, 'delete', `${keysPath()}/${file.keyId}`).expect(200);
    expect(removed.body.details).toMatchObject({ resourceOwner: s.whoami.orgId });
    const refused = await introspectWith(file, token);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
    expect((await introspectWith(kept, token)).body.active).toBe(true);
    await call(s, 'get', `${keysPath()}/${file.keyId}`).expect(404);
    await call(s, 'delete', `${keysPath()}/${file.keyId}`).expect(404);
    const last = await t.storage.one<{ type: string; payload: string }>(
      "SELECT type, payload FROM events WHERE aggregate_id = ? AND type LIKE 'project.application.key.%' ORDER BY sequence DESC LIMIT 1",
      [projectId],
    );
    expect(last?.type).toBe('project.application.key.removed');
    expect(JSON.parse(last!.payload)).toEqual({ appId, keyId: file.keyId });
    await call(s, 'delete', `${keysPath()}/${kept.keyId}`).expect(200);
  });

  it("answers 404 for a key of another application, another project's app, and another organization", async () => {
    const file = await addKey();
    const otherApp = (
      await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'other', authMethodType: 'API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT' }).expect(200)
    ).body.appId;
    const otherProject = (await call(s, 'post', '/projects', { name: 'Other API' }).expect(200)).body.id;
    const wrongApp = await call(s, 'get', `/projects/${projectId}/apps/${otherApp}/keys/${file.keyId}`).expect(404);
    expect(wrongApp.body.details[0].id).toBe('APP-KeyNotFound');
    await call(s, 'delete', `/projects/${projectId}/apps/${otherApp}/keys/${file.keyId}`).expect(404);
    const wrongProject = await call(s, 'get', `/projects/${otherProject}/apps/${appId}/keys/${file.keyId}`).expect(404);
    expect(wrongProject.body.details[0].id).toBe('APP-NotFound');
    const orgId = await createOrg(s, 'Elsewhere');
    const outsider = await signedInHuman(t.app, t.storage, s, orgId, 'elsewhere-owner', ['ORG_OWNER']);
    for (const [method, path] of [
      ['get', `${keysPath()}/${file.keyId}`],
      ['delete', `${keysPath()}/${file.keyId}`],
      ['post', `${keysPath()}/_search`],
    ] as const) {
      const res = await call(outsider, method, path, method === 'post' ? {} : undefined).expect(404);
      expect(res.body.details[0].id).toBe('PROJECT-NotFound');
    }
    expect((await call(s, 'get', `${keysPath()}/${file.keyId}`).expect(200)).body.key.id).toBe(file.keyId);
    await call(s, 'delete', `${keysPath()}/${file.keyId}`).expect(200);
  });

  it('lists no keys for a BASIC application', async () => {
    const basic = (await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'basic' }).expect(200)).body.appId;
    const list = await call(s, 'post', `/projects/${projectId}/apps/${basic}/keys/_search`, {}).expect(200);
    expect(list.body).toMatchObject({ details: { totalResult: '0' }, result: [] });
  });
});
