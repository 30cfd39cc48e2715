import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOrg } from '../src/domain/orgs/commands.js';
import { acceptTokens, call, createServiceUser, grantOrgRoles } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

let t: TestApp;
let s: SignedIn;
let target: string;
beforeEach(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
  target = await createServiceUser(s, 'target');
});
afterEach(() => t.cleanup());

type Method = 'get' | 'post' | 'put' | 'delete';
interface Case {
  method: Method;
  path: () => string;
  permission: string;
  body?: object;
}

/** Every service-user endpoint, with the permission ZITADEL requires for it. */
const ENDPOINTS: Case[] = [
  { method: 'post', path: () => '/users/machine', permission: 'user.write', body: { userName: 'made-by-token', name: 'x' } },
  { method: 'post', path: () => '/users/_search', permission: 'user.read', body: {} },
  { method: 'get', path: () => `/users/${target}`, permission: 'user.read' },
  { method: 'put', path: () => `/users/${target}/machine`, permission: 'user.write', body: { name: 'Changed' } },
  { method: 'post', path: () => `/users/${target}/changes/_search`, permission: 'user.read', body: {} },
  { method: 'put', path: () => `/users/${target}/secret`, permission: 'user.write' },
  { method: 'post', path: () => `/users/${target}/tokens/_revoke`, permission: 'user.write' },
  { method: 'post', path: () => `/users/${target}/_deactivate`, permission: 'user.write' },
  { method: 'post', path: () => `/users/${target}/_reactivate`, permission: 'user.write' },
  { method: 'delete', path: () => `/users/${target}/secret`, permission: 'user.write' },
  { method: 'delete', path: () => `/users/${target}`, permission: 'user.delete' },
];

const label = (c: Case) => `${c.method.toUpperCase()} ${c.path().replace(/\d{6,}/, '{userId}')}`;
const send = (req: request.Test, c: Case) => (c.body ? req.send(c.body) : req);

describe('every service-user endpoint', () => {
  it('refuses a caller with neither session nor token: 401, code 16', async () => {
    for (const c of ENDPOINTS) {
      const res = await send(request(t.app)[c.method](`/management/v1${c.path()}`), c);
      expect([label(c), res.status, res.body.code]).toEqual([label(c), 401, 16]);
    }
  });

  it('refuses a Bearer token that does not verify: 401', async () => {
    acceptTokens(t);
    for (const c of ENDPOINTS) {
      const res = await send(request(t.app)[c.method](`/management/v1${c.path()}`).set('Authorization', 'Bearer forged'), c);
      expect([label(c), res.status, res.body.code]).toEqual([label(c), 401, 16]);
    }
  });

  it('refuses a console write without the CSRF token: 403', async () => {
    for (const c of ENDPOINTS.filter((e) => e.method !== 'get')) {
      const res = await send(s.agent[c.method](`/management/v1${c.path()}`), c);
      expect([label(c), res.status, res.body.message]).toEqual([label(c), 403, 'missing CSRF token']);
    }
  });

  it('refuses a manager whose roles lack the permission: 403, code 7', async () => {
    const token = acceptTokens(t);
    const viewer = await createServiceUser(s, 'viewer');
    const creator = await createServiceUser(s, 'project-creator');
    await grantOrgRoles(t.storage, s.whoami.orgId, viewer, ['ORG_OWNER_VIEWER']); // user.read only
    await grantOrgRoles(t.storage, s.whoami.orgId, creator, ['ORG_PROJECT_CREATOR']); // no user.* at all
    for (const c of ENDPOINTS) {
      const who = c.permission === 'user.read' ? creator : viewer;
      const res = await send(
        request(t.app)
          [c.method](`/management/v1${c.path()}`)
          .set('Authorization', `Bearer ${token(who)}`),
        c,
      );
      expect([label(c), res.status, res.body.code]).toEqual([label(c), 403, 7]);
    }
  });

  it('serves a service user holding the role, through its Bearer token (no CSRF needed)', async () => {
    const token = acceptTokens(t);
    const manager = await createServiceUser(s, 'user-manager');
    await grantOrgRoles(t.storage, s.whoami.orgId, manager, ['ORG_USER_MANAGER']);
    const statuses: [string, number][] = [];
    // In list order: the secret exists before it is removed, the user is deactivated before reactivated.
    for (const c of ENDPOINTS) {
      const res = await send(
        request(t.app)
          [c.method](`/management/v1${c.path()}`)
          .set('Authorization', `Bearer ${token(manager)}`),
        c,
      );
      statuses.push([label(c), res.status]);
    }
    expect(statuses).toEqual(ENDPOINTS.map((c) => [label(c), 200]));
    const editors = await t.storage.all<{ editor_user_id: string }>('SELECT DISTINCT editor_user_id FROM events WHERE aggregate_id = ? AND type <> ?', [
      target,
      'user.machine.added',
    ]);
    expect(editors.map((e) => e.editor_user_id)).toEqual([manager]);
  });

  it("treats another organization's user as unknown: 404", async () => {
    const other = await createOrg(t.storage, { name: 'Elsewhere', instanceHost: 'tessera.localhost', editorUserId: null });
    for (const c of ENDPOINTS.filter((e) => e.path().includes(target))) {
      const res = await send(call(s, c.method, c.path()).set('x-zitadel-orgid', other.id), c);
      expect([label(c), res.status, res.body.code]).toEqual([label(c), 404, 5]);
    }
  });
});
