import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOrg, signedInHuman } from './support/humans.js';
import { expectChanges } from './support/changes.js';
import { call, createServiceUser } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

/** ListProjectChanges: the project's activity, in exactly ListUserChanges' shape. */
let t: TestApp;
let s: SignedIn;
beforeEach(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
});
afterEach(() => t.cleanup());

const changes = (projectId: string, body: object = {}) => call(s, 'post', `/projects/${projectId}/changes/_search`, body);
const keysOf = (res: { body: { result: { eventType: { key: string } }[] } }) => res.body.result.map((c) => c.eventType.key);

/** A project with one of every change the management API makes to a project. */
async function busyProject(): Promise<{ projectId: string; userId: string }> {
  const projectId = (await call(s, 'post', '/projects', { name: 'Orders API' }).expect(200)).body.id as string;
  await call(s, 'put', `/projects/${projectId}`, { name: 'Invoices API' }).expect(200);
  await call(s, 'post', `/projects/${projectId}/roles`, { roleKey: 'orders.read' }).expect(200);
  await call(s, 'post', `/projects/${projectId}/roles`, { roleKey: 'orders.write' }).expect(200);
  await call(s, 'delete', `/projects/${projectId}/roles/orders.write`).expect(200);
  const basic = (await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'orders-backend' }).expect(200)).body.appId;
  await call(s, 'post', `/projects/${projectId}/apps/${basic}/api_config/_generate_client_secret`, {}).expect(200);
  const jwt = (
    await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'orders-jwt', authMethodType: 'API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT' }).expect(200)
  ).body.appId;
  const keyId = (await call(s, 'post', `/projects/${projectId}/apps/${jwt}/keys`, { type: 'KEY_TYPE_JSON' }).expect(200)).body.id;
  await call(s, 'delete', `/projects/${projectId}/apps/${jwt}/keys/${keyId}`).expect(200);
  await call(s, 'delete', `/projects/${projectId}/apps/${jwt}`).expect(200);
  const userId = await createServiceUser(s, 'orders-caller');
  await call(s, 'post', `/users/${userId}/grants`, { projectId, roleKeys: ['orders.read'] }).expect(200);
  return { projectId, userId };
}

describe('POST /management/v1/projects/{projectId}/changes/_search', () => {
  it('lists every change to the project, its roles, applications, secrets and keys, newest first, with readable messages', async () => {
    const { projectId } = await busyProject();
    const res = await changes(projectId).expect(200);
    expect(expectChanges(res.body, s)).toEqual([
      { key: 'project.application.removed', localizedMessage: 'Application orders-jwt removed' },
      { key: 'project.application.key.removed', localizedMessage: 'Application key removed' },
      { key: 'project.application.key.added', localizedMessage: 'Application key added' },
      { key: 'project.application.added', localizedMessage: 'Application orders-jwt added' },
      { key: 'project.application.secret.changed', localizedMessage: 'Application client secret regenerated' },
      { key: 'project.application.added', localizedMessage: 'Application orders-backend added' },
      { key: 'project.role.removed', localizedMessage: 'Role orders.write removed' },
      { key: 'project.role.added', localizedMessage: 'Role orders.write added' },
      { key: 'project.role.added', localizedMessage: 'Role orders.read added' },
      { key: 'project.changed', localizedMessage: 'Project renamed to Invoices API' },
      { key: 'project.added', localizedMessage: 'Project created' },
    ]);
  });

  it("leaves user grants to the user's activity, as ZITADEL does", async () => {
    const { projectId, userId } = await busyProject();
    expect(keysOf(await changes(projectId).expect(200))).not.toContain('user.grant.added');
    const user = await call(s, 'post', `/users/${userId}/changes/_search`, {}).expect(200);
    expect(keysOf(user)).toContain('user.grant.added');
  });

  it('pages with limit and the sequence cursor, in both directions', async () => {
    const { projectId } = await busyProject();
    const page1 = await changes(projectId, { query: { limit: 3 } }).expect(200);
    expect(page1.body.result).toHaveLength(3);
    const page2 = await changes(projectId, { query: { limit: '2', sequence: page1.body.result[2].sequence } }).expect(200);
    expect(keysOf(page2)).toEqual(['project.application.added', 'project.application.secret.changed']);
    const oldest = await changes(projectId, { query: { asc: true, limit: 2 } }).expect(200);
    expect(keysOf(oldest)).toEqual(['project.added', 'project.changed']);
    const after = await changes(projectId, { query: { asc: true, sequence: oldest.body.result[1].sequence, limit: 1 } }).expect(200);
    expect(keysOf(after)).toEqual(['project.role.added']);
  });

  it('keeps the history of a removed project, its removal last', async () => {
    const projectId = (await call(s, 'post', '/projects', { name: 'Short-lived API' }).expect(200)).body.id as string;
    await call(s, 'delete', `/projects/${projectId}`).expect(200);
    await call(s, 'get', `/projects/${projectId}`).expect(404);
    expect(keysOf(await changes(projectId).expect(200))).toEqual(['project.removed', 'project.added']);
  });

  it("answers 404 for a project that never existed and for another organization's, as ListUserChanges does for users", async () => {
    const missing = await changes('123456789').expect(404);
    expect(missing.body).toMatchObject({ code: 5, details: [{ id: 'PROJECT-NotFound' }] });
    const { projectId } = await busyProject();
    const orgId = await createOrg(s, 'Elsewhere');
    const outsider = await signedInHuman(t.app, t.storage, s, orgId, 'elsewhere-owner', ['ORG_OWNER']);
    const res = await call(outsider, 'post', `/projects/${projectId}/changes/_search`, {}).expect(404);
    expect(res.body.details[0].id).toBe('PROJECT-NotFound');
    // A project id that is a user's id is not a project either.
    await changes(s.whoami.userId).expect(404);
  });

  it('gives an unknown event type a readable message rather than none', async () => {
    const projectId = (await call(s, 'post', '/projects', { name: 'Novel API' }).expect(200)).body.id as string;
    await t.storage.command((tx) =>
      tx.run(
        "INSERT INTO events (created_at, type, aggregate_type, aggregate_id, resource_owner, editor_user_id, payload) VALUES (?, 'project.grant.added', 'project', ?, ?, NULL, '{}')",
        [new Date().toISOString(), projectId, s.whoami.orgId],
      ),
    );
    const res = await changes(projectId).expect(200);
    expect(res.body.result[0]).toMatchObject({
      eventType: { key: 'project.grant.added', localizedMessage: 'Project grant added' },
      editorDisplayName: 'System',
    });
  });
});
