import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, signedInHuman } from './support/humans.js';
import { call, createServiceUser } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

/** Projects, their roles, API applications and user grants through the management API (the authorization matrix covers who may call them). */
let t: TestApp;
let s: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
});
afterAll(() => t.cleanup());

let n = 0;
const unique = (prefix: string) => `${prefix}-${++n}`;

async function newProject(name = unique('Project')): Promise<string> {
  return (await call(s, 'post', '/projects', { name }).expect(200)).body.id as string;
}

const events = (aggregateId: string) =>
  t.storage.all<{ type: string; payload: string }>('SELECT type, payload FROM events WHERE aggregate_id = ? ORDER BY sequence', [aggregateId]);

describe('projects', () => {
  it('adds, reads, lists, renames and removes a project, each change an event', async () => {
    const added = await call(s, 'post', '/projects', { name: 'Billing API', projectRoleAssertion: false }).expect(200);
    const id = added.body.id as string;
    expect(added.body.details).toMatchObject({ resourceOwner: s.whoami.orgId, creationDate: expect.any(String) });
    const got = await call(s, 'get', `/projects/${id}`).expect(200);
    expect(got.body.project).toMatchObject({ id, name: 'Billing API', state: 'PROJECT_STATE_ACTIVE' });
    const list = await call(s, 'post', '/projects/_search', {
      queries: [{ nameQuery: { name: 'billing', method: 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE' } }],
    }).expect(200);
    expect(list.body.result.map((p: { id: string }) => p.id)).toEqual([id]);
    await call(s, 'put', `/projects/${id}`, { name: 'Invoices API' }).expect(200);
    expect((await call(s, 'get', `/projects/${id}`).expect(200)).body.project.name).toBe('Invoices API');
    await call(s, 'delete', `/projects/${id}`).expect(200);
    await call(s, 'get', `/projects/${id}`).expect(404);
    expect((await events(id)).map((e) => e.type)).toEqual(['project.added', 'project.changed', 'project.removed']);
  });

  it('refuses bad input with 4xx in the gateway shape', async () => {
    const id = await newProject('Unique name');
    const cases: [string, 'post' | 'put', string, object, number][] = [
      ['empty name', 'post', '/projects', { name: '' }, 400],
      ['unknown field', 'post', '/projects', { name: 'x', foo: 1 }, 400],
      ['unsupported setting', 'post', '/projects', { name: 'x', projectRoleAssertion: true }, 400],
      ['control character', 'post', '/projects', { name: 'a\u0001b' }, 400],
      ['duplicate name', 'post', '/projects', { name: 'Unique name' }, 409],
      ['unchanged name', 'put', `/projects/${id}`, { name: 'Unique name' }, 400],
      ['bad role key', 'post', `/projects/${id}/roles`, { roleKey: 'has space' }, 400],
      ['bad auth method', 'post', `/projects/${id}/apps/api`, { name: 'a', authMethodType: 'API_AUTH_METHOD_TYPE_NONE' }, 400],
    ];
    for (const [what, method, path, body, status] of cases) {
      const res = await call(s, method, path, body);
      expect(res.status, what).toBe(status);
      expect(res.body, what).toMatchObject({ code: expect.any(Number), message: expect.any(String) });
    }
    await call(s, 'get', '/projects/123').expect(404);
    await call(s, 'get', '/projects/not-an-id').expect(400);
  });

  it("keeps another organization's projects out of sight: 404 as for one that does not exist", async () => {
    const other = await createOrg(s, unique('Other'));
    const owner = await signedInHuman(t.app, t.storage, s, other, unique('owner'), ['ORG_OWNER']);
    const theirs = (await call(owner, 'post', '/projects', { name: 'Theirs' }).expect(200)).body.id as string;
    // The instance owner acts in its own organization unless it names another.
    const mine = await call(s, 'get', `/projects/${theirs}`).expect(404);
    expect(mine.body).toMatchObject({ code: 5 });
    await s.agent.get(`/management/v1/projects/${theirs}`).set('x-zitadel-orgid', other).expect(200);
    const userId = await createServiceUser(s, unique('svc'));
    await call(s, 'post', `/users/${userId}/grants`, { projectId: theirs, roleKeys: [] }).expect(404);
  });
});

describe('project roles', () => {
  it('adds, lists and removes roles; a removed role leaves the grants that held it', async () => {
    const projectId = await newProject();
    await call(s, 'post', `/projects/${projectId}/roles`, { roleKey: 'reader', displayName: 'Reader', group: 'api' }).expect(200);
    await call(s, 'post', `/projects/${projectId}/roles`, { roleKey: 'writer' }).expect(200);
    await call(s, 'post', `/projects/${projectId}/roles`, { roleKey: 'reader' }).expect(409);
    const list = await call(s, 'post', `/projects/${projectId}/roles/_search`, {}).expect(200);
    expect(list.body.result).toMatchObject([
      { key: 'reader', displayName: 'Reader', group: 'api' },
      { key: 'writer', displayName: '', group: '' },
    ]);
    const userId = await createServiceUser(s, unique('svc'));
    const grant = await call(s, 'post', `/users/${userId}/grants`, { projectId, roleKeys: ['reader', 'writer'] }).expect(200);
    await call(s, 'delete', `/projects/${projectId}/roles/writer`).expect(200);
    await call(s, 'delete', `/projects/${projectId}/roles/writer`).expect(404);
    const grants = await call(s, 'post', '/users/grants/_search', { queries: [{ userIdQuery: { userId } }] }).expect(200);
    expect(grants.body.result).toMatchObject([{ id: grant.body.userGrantId, roleKeys: ['reader'], projectId }]);
    expect((await events(projectId)).map((e) => e.type)).toEqual(['project.added', 'project.role.added', 'project.role.added', 'project.role.removed']);
  });
});

describe('API applications', () => {
  it('answers a BASIC application its secret once, and keeps only an HMAC of it', async () => {
    const projectId = await newProject();
    const res = await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'backend', authMethodType: 'API_AUTH_METHOD_TYPE_BASIC' }).expect(200);
    const { appId, clientId, clientSecret } = res.body as { appId: string; clientId: string; clientSecret: string };
    expect(clientSecret).toMatch(/^[A-Za-z0-9]{64}$/);
    const row = (await t.storage.one<{ secret_hash: Buffer; client_id: string }>('SELECT secret_hash, client_id FROM api_apps WHERE id = ?', [appId]))!;
    expect(row.client_id).toBe(clientId);
    expect(row.secret_hash.length).toBe(32);
    expect(row.secret_hash.toString('latin1')).not.toContain(clientSecret);
    const got = await call(s, 'get', `/projects/${projectId}/apps/${appId}`).expect(200);
    expect(got.body.app).toMatchObject({ id: appId, name: 'backend', apiConfig: { clientId, authMethodType: 'API_AUTH_METHOD_TYPE_BASIC' } });
    expect(JSON.stringify(got.body)).not.toContain(clientSecret);
    const listed = await call(s, 'post', `/projects/${projectId}/apps/_search`, {}).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(clientSecret);
    const again = await call(s, 'post', `/projects/${projectId}/apps/${appId}/api_config/_generate_client_secret`, {}).expect(200);
    expect(again.body.clientSecret).not.toBe(clientSecret);
    const events = await t.storage.all<{ payload: string }>("SELECT payload FROM events WHERE aggregate_type = 'project' AND aggregate_id = ?", [projectId]);
    for (const e of events) expect(e.payload).not.toContain(again.body.clientSecret);
    await call(s, 'delete', `/projects/${projectId}/apps/${appId}`).expect(200);
    await call(s, 'get', `/projects/${projectId}/apps/${appId}`).expect(404);
  });

  it('gives a PRIVATE_KEY_JWT application no secret but key files of type "application"', async () => {
    const projectId = await newProject();
    const res = await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'jwt', authMethodType: 'API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT' }).expect(200);
    expect(res.body.clientSecret).toBeUndefined();
    const key = await call(s, 'post', `/projects/${projectId}/apps/${res.body.appId}/keys`, { type: 'KEY_TYPE_JSON' }).expect(200);
    const file = JSON.parse(Buffer.from(key.body.keyDetails, 'base64').toString('utf8'));
    expect(file).toMatchObject({ type: 'application', keyId: key.body.id, appId: res.body.appId, clientId: res.body.clientId });
    expect(file.key).toContain('-----BEGIN RSA PRIVATE KEY-----');
    await call(s, 'post', `/projects/${projectId}/apps/${res.body.appId}/api_config/_generate_client_secret`, {}).expect(400);
    const basic = await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'basic' }).expect(200);
    await call(s, 'post', `/projects/${projectId}/apps/${basic.body.appId}/keys`, { type: 'KEY_TYPE_JSON' }).expect(400);
  });

  it('keeps client ids and usernames apart', async () => {
    const projectId = await newProject();
    const { clientId } = (await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'app' }).expect(200)).body as { clientId: string };
    const res = await call(s, 'post', '/users/machine', { userName: clientId, name: 'clash' });
    expect(res.status).toBe(409);
  });
});

describe('user grants', () => {
  it("grants, updates, lists and removes roles; each change is in the user's activity", async () => {
    const projectId = await newProject();
    await call(s, 'post', `/projects/${projectId}/roles`, { roleKey: 'reader' }).expect(200);
    await call(s, 'post', `/projects/${projectId}/roles`, { roleKey: 'writer' }).expect(200);
    const userId = await createServiceUser(s, unique('svc'));
    const added = await call(s, 'post', `/users/${userId}/grants`, { projectId, roleKeys: ['reader'] }).expect(200);
    const grantId = added.body.userGrantId as string;
    await call(s, 'put', `/users/${userId}/grants/${grantId}`, { roleKeys: ['reader', 'writer'] }).expect(200);
    const listed = await call(s, 'post', '/users/grants/_search', {
      queries: [{ projectIdQuery: { projectId } }, { roleKeyQuery: { roleKey: 'writer' } }],
    }).expect(200);
    expect(listed.body.result).toMatchObject([{ id: grantId, userId, projectId, roleKeys: ['reader', 'writer'], userType: 'TYPE_MACHINE' }]);
    await call(s, 'delete', `/users/${userId}/grants/${grantId}`).expect(200);
    await call(s, 'delete', `/users/${userId}/grants/${grantId}`).expect(404);
    const changes = await call(s, 'post', `/users/${userId}/changes/_search`, { query: { asc: true } }).expect(200);
    expect(changes.body.result.map((c: { eventType: { key: string } }) => c.eventType.key)).toEqual([
      'user.machine.added',
      'user.grant.added',
      'user.grant.changed',
      'user.grant.removed',
    ]);
  });

  it('refuses role keys the project does not have, a second grant on one project, and unknown projects', async () => {
    const projectId = await newProject();
    await call(s, 'post', `/projects/${projectId}/roles`, { roleKey: 'reader' }).expect(200);
    const userId = await createServiceUser(s, unique('svc'));
    const unknown = await call(s, 'post', `/users/${userId}/grants`, { projectId, roleKeys: ['reader', 'admin'] }).expect(400);
    expect(unknown.body.message).toContain('admin');
    await call(s, 'post', `/users/${userId}/grants`, { projectId: '4711', roleKeys: [] }).expect(404);
    await call(s, 'post', `/users/${userId}/grants`, { projectId, roleKeys: ['reader', 'reader'] }).expect(400);
    await call(s, 'post', `/users/${userId}/grants`, { projectId, roleKeys: ['reader'] }).expect(200);
    await call(s, 'post', `/users/${userId}/grants`, { projectId, roleKeys: [] }).expect(409);
  });

  it('makes exactly one grant of parallel AddUserGrant requests', async () => {
    const projectId = await newProject();
    await call(s, 'post', `/projects/${projectId}/roles`, { roleKey: 'reader' }).expect(200);
    const userId = await createServiceUser(s, unique('svc'));
    const results = await Promise.all(Array.from({ length: 8 }, () => call(s, 'post', `/users/${userId}/grants`, { projectId, roleKeys: ['reader'] })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const { n } = (await t.storage.one<{ n: number }>('SELECT count(*) AS n FROM user_grants WHERE user_id = ?', [userId]))!;
    expect(n).toBe(1);
  });
});
