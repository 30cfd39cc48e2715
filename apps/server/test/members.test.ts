import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOrg, insertHuman, signedInHuman } from './support/humans.js';
import { createServiceUser } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

let t: TestApp;
let admin: SignedIn;
beforeEach(async () => {
  t = await createTestApp();
  admin = await signIn(t.app);
});
afterEach(() => t.cleanup());

const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const seq = /^\d+$/;
const M = '/management/v1';

const post = (s: SignedIn, path: string, body: unknown = {}) =>
  s.agent
    .post(`${M}${path}`)
    .set('x-csrf-token', s.csrf)
    .send(body as object);
const put = (s: SignedIn, path: string, body: unknown) =>
  s.agent
    .put(`${M}${path}`)
    .set('x-csrf-token', s.csrf)
    .send(body as object);
const del = (s: SignedIn, path: string) => s.agent.delete(`${M}${path}`).set('x-csrf-token', s.csrf);
const members = async (s: SignedIn = admin) => (await post(s, '/orgs/me/members/_search', { query: { asc: true } }).expect(200)).body;
const eventCount = async () => (await t.storage.one<{ n: number }>('SELECT count(*) AS n FROM events'))!.n;
const lastEvent = async () =>
  (await t.storage.one<{ sequence: number; type: string; aggregate_id: string; editor_user_id: string; payload: string }>(
    'SELECT sequence, type, aggregate_id, editor_user_id, payload FROM events ORDER BY sequence DESC LIMIT 1',
  ))!;
const error = (code: number, id: string, message: string, field?: string) => ({
  code,
  message,
  details: [{ id, message, ...(field ? { field } : {}) }],
});

describe('POST /orgs/members/roles/_search (ListOrgMemberRoles)', () => {
  it("lists ZITADEL's org manager roles", async () => {
    const res = await post(admin, '/orgs/members/roles/_search').expect(200);
    expect(res.body).toEqual({
      result: [
        'ORG_OWNER',
        'ORG_OWNER_VIEWER',
        'ORG_USER_MANAGER',
        'ORG_USER_PERMISSION_EDITOR',
        'ORG_PROJECT_PERMISSION_EDITOR',
        'ORG_PROJECT_CREATOR',
        'ORG_SETTINGS_MANAGER',
      ],
    });
    await admin.agent.post(`${M}/orgs/members/roles/_search`).set('x-csrf-token', admin.csrf).expect(200); // no body at all
    await post(admin, '/orgs/members/roles/_search', { query: {} }).expect(400);
  });
});

describe('POST /orgs/me/members/_search (ListOrgMembers)', () => {
  it('starts with the first administrator as Org Owner', async () => {
    expect(await members()).toEqual({
      details: { totalResult: '1', viewTimestamp: expect.stringMatching(iso) },
      result: [
        {
          userId: admin.whoami.userId,
          details: {
            sequence: expect.stringMatching(seq),
            creationDate: expect.stringMatching(iso),
            changeDate: expect.stringMatching(iso),
            resourceOwner: admin.whoami.orgId,
          },
          roles: ['ORG_OWNER'],
          preferredLoginName: 'admin@tessera.localhost',
          displayName: 'Administrator',
          userType: 'TYPE_HUMAN',
        },
      ],
    });
  });

  it('filters by userIdQuery and pages', async () => {
    const a = await createServiceUser(admin, 'svc-a');
    const b = await createServiceUser(admin, 'svc-b');
    await post(admin, '/orgs/me/members', { userId: a, roles: ['ORG_OWNER_VIEWER'] }).expect(200);
    await post(admin, '/orgs/me/members', { userId: b, roles: ['ORG_OWNER_VIEWER'] }).expect(200);
    const one = await post(admin, '/orgs/me/members/_search', { queries: [{ userIdQuery: { userId: b } }] }).expect(200);
    expect(one.body.details.totalResult).toBe('1');
    expect(one.body.result.map((m: { userId: string }) => m.userId)).toEqual([b]);
    const page = await post(admin, '/orgs/me/members/_search', { query: { offset: 1, limit: 1, asc: true } }).expect(200);
    expect(page.body.details.totalResult).toBe('3');
    expect(page.body.result.map((m: { userId: string }) => m.userId)).toEqual([a]);
    const newestFirst = await post(admin, '/orgs/me/members/_search', {}).expect(200);
    expect(newestFirst.body.result.map((m: { userId: string }) => m.userId)).toEqual([b, a, admin.whoami.userId]);
    await post(admin, '/orgs/me/members/_search', { queries: [{ emailQuery: { email: 'x' } }] }).expect(400);
  });
});

describe('POST /orgs/me/members (AddOrgMember)', () => {
  it('grants roles to a service user, in the same transaction as its event', async () => {
    const userId = await createServiceUser(admin, 'deployer', { name: 'Deploy bot' });
    const res = await post(admin, '/orgs/me/members', { userId, roles: ['ORG_USER_MANAGER', 'ORG_OWNER'] }).expect(200);
    expect(res.body).toEqual({
      details: {
        sequence: expect.stringMatching(seq),
        creationDate: expect.stringMatching(iso),
        changeDate: expect.stringMatching(iso),
        resourceOwner: admin.whoami.orgId,
      },
    });
    const ev = await lastEvent();
    expect(ev).toMatchObject({ type: 'org.member.added', aggregate_id: admin.whoami.orgId, editor_user_id: admin.whoami.userId });
    expect(String(ev.sequence)).toBe(res.body.details.sequence);
    // Roles are kept in ORG_ROLES order, whatever order they were sent in.
    expect(JSON.parse(ev.payload)).toEqual({ userId, roles: ['ORG_OWNER', 'ORG_USER_MANAGER'] });
    const list = await members();
    expect(list.result[1]).toEqual({
      userId,
      details: res.body.details,
      roles: ['ORG_OWNER', 'ORG_USER_MANAGER'],
      preferredLoginName: 'deployer@tessera.localhost',
      displayName: 'Deploy bot',
      userType: 'TYPE_MACHINE',
    });
  });

  it('refuses an unknown role with 400 naming it and the roles field', async () => {
    const userId = await createServiceUser(admin, 'svc');
    const before = await eventCount();
    const res = await post(admin, '/orgs/me/members', { userId, roles: ['ORG_OWNER', 'IAM_OWNER'] }).expect(400);
    expect(res.body).toEqual(error(3, 'MEMBER-RoleUnknown', 'unknown role: IAM_OWNER', 'roles'));
    const two = await post(admin, '/orgs/me/members', { userId, roles: ['X', 'Y'] }).expect(400);
    expect(two.body.message).toBe('unknown roles: X, Y');
    expect(await eventCount()).toBe(before);
  });

  it('refuses an empty or repeated role list with 400 on the roles field', async () => {
    const userId = await createServiceUser(admin, 'svc');
    const empty = await post(admin, '/orgs/me/members', { userId, roles: [] }).expect(400);
    expect(empty.body).toEqual(error(3, 'INVALID_ARGUMENT', 'roles: at least one role is required', 'roles'));
    const missing = await post(admin, '/orgs/me/members', { userId }).expect(400);
    expect(missing.body.details[0].field).toBe('roles');
    const repeated = await post(admin, '/orgs/me/members', { userId, roles: ['ORG_OWNER', 'ORG_OWNER'] }).expect(400);
    expect(repeated.body).toEqual(error(3, 'INVALID_ARGUMENT', 'roles: roles must not repeat', 'roles'));
  });

  it('answers 404 for an unknown user and, identically, for a user of another organization', async () => {
    const other = await createOrg(admin, 'Globex');
    const foreign = await insertHuman(t.storage, other, 'globex-admin');
    const unknown = await post(admin, '/orgs/me/members', { userId: '12345', roles: ['ORG_OWNER'] }).expect(404);
    expect(unknown.body).toEqual(error(5, 'USER-NotFound', 'user not found', 'userId'));
    const cross = await post(admin, '/orgs/me/members', { userId: foreign, roles: ['ORG_OWNER'] }).expect(404);
    expect(cross.body).toEqual(unknown.body);
    const badId = await post(admin, '/orgs/me/members', { userId: 'abc', roles: ['ORG_OWNER'] }).expect(400);
    expect(badId.body.details[0].field).toBe('userId');
  });

  it('refuses a duplicate member with 409 and writes nothing', async () => {
    const userId = await createServiceUser(admin, 'svc');
    await post(admin, '/orgs/me/members', { userId, roles: ['ORG_OWNER'] }).expect(200);
    const before = await eventCount();
    const res = await post(admin, '/orgs/me/members', { userId, roles: ['ORG_OWNER_VIEWER'] }).expect(409);
    expect(res.body).toEqual(error(6, 'MEMBER-AlreadyExists', 'the user is already a manager of this organization', 'userId'));
    expect(await eventCount()).toBe(before);
    expect((await members()).result[1].roles).toEqual(['ORG_OWNER']);
  });

  it('grants in another organization through x-zitadel-orgid (instance owner)', async () => {
    const other = await createOrg(admin, 'Globex');
    const human = await insertHuman(t.storage, other, 'globex-admin', 'Globex Admin');
    await post(admin, '/orgs/me/members', { userId: human, roles: ['ORG_OWNER'] })
      .set('x-zitadel-orgid', other)
      .expect(200);
    const list = await post(admin, '/orgs/me/members/_search').set('x-zitadel-orgid', other).expect(200);
    expect(list.body.result).toEqual([
      expect.objectContaining({
        userId: human,
        roles: ['ORG_OWNER'],
        preferredLoginName: 'globex-admin@globex.localhost',
        displayName: 'Globex Admin',
        userType: 'TYPE_HUMAN',
      }),
    ]);
    expect((await members()).details.totalResult).toBe('1'); // the home organization is untouched
  });
});

describe('PUT /orgs/me/members/{userId} (UpdateOrgMember)', () => {
  it('replaces the roles and records the change', async () => {
    const userId = await createServiceUser(admin, 'svc');
    await post(admin, '/orgs/me/members', { userId, roles: ['ORG_OWNER'] }).expect(200);
    const res = await put(admin, `/orgs/me/members/${userId}`, { roles: ['ORG_SETTINGS_MANAGER', 'ORG_OWNER_VIEWER'] }).expect(200);
    expect(res.body).toEqual({
      details: { sequence: expect.stringMatching(seq), changeDate: expect.stringMatching(iso), resourceOwner: admin.whoami.orgId },
    });
    expect(await lastEvent()).toMatchObject({ type: 'org.member.changed', sequence: Number(res.body.details.sequence) });
    expect(JSON.parse((await lastEvent()).payload)).toEqual({ userId, roles: ['ORG_OWNER_VIEWER', 'ORG_SETTINGS_MANAGER'] });
    const m = (await members()).result[1];
    expect(m.roles).toEqual(['ORG_OWNER_VIEWER', 'ORG_SETTINGS_MANAGER']);
    expect(m.details.sequence).toBe(res.body.details.sequence);
  });

  it('answers 404 for a non-member, 400 for unknown, empty or unchanged roles', async () => {
    const userId = await createServiceUser(admin, 'svc');
    const notMember = await put(admin, `/orgs/me/members/${userId}`, { roles: ['ORG_OWNER'] }).expect(404);
    expect(notMember.body).toEqual(error(5, 'MEMBER-NotFound', 'the user is not a manager of this organization', 'userId'));
    await put(admin, '/orgs/me/members/424242', { roles: ['ORG_OWNER'] }).expect(404);
    await post(admin, '/orgs/me/members', { userId, roles: ['ORG_OWNER'] }).expect(200);
    const unknown = await put(admin, `/orgs/me/members/${userId}`, { roles: ['ORG_GOD'] }).expect(400);
    expect(unknown.body).toEqual(error(3, 'MEMBER-RoleUnknown', 'unknown role: ORG_GOD', 'roles'));
    const empty = await put(admin, `/orgs/me/members/${userId}`, { roles: [] }).expect(400);
    expect(empty.body.details[0]).toMatchObject({ field: 'roles' });
    const same = await put(admin, `/orgs/me/members/${userId}`, { roles: ['ORG_OWNER'] }).expect(400);
    expect(same.body).toEqual(error(9, 'MEMBER-RolesNotChanged', 'the manager already has exactly these roles'));
    await put(admin, '/orgs/me/members/x1', { roles: ['ORG_OWNER'] }).expect(400);
  });
});

describe('DELETE /orgs/me/members/{userId} (RemoveOrgMember)', () => {
  it('removes the manager, keeps the user, and records the removal', async () => {
    const userId = await createServiceUser(admin, 'svc');
    await post(admin, '/orgs/me/members', { userId, roles: ['ORG_OWNER'] }).expect(200);
    const res = await del(admin, `/orgs/me/members/${userId}`).expect(200);
    expect(res.body).toEqual({
      details: { sequence: expect.stringMatching(seq), changeDate: expect.stringMatching(iso), resourceOwner: admin.whoami.orgId },
    });
    expect(await lastEvent()).toMatchObject({ type: 'org.member.removed', sequence: Number(res.body.details.sequence) });
    expect(JSON.parse((await lastEvent()).payload)).toEqual({ userId });
    expect((await members()).details.totalResult).toBe('1');
    await admin.agent.get(`${M}/users/${userId}`).expect(200);
    const again = await del(admin, `/orgs/me/members/${userId}`).expect(404);
    expect(again.body).toEqual(error(5, 'MEMBER-NotFound', 'the user is not a manager of this organization', 'userId'));
  });

  it("answers 404 for another organization's member, as for any non-member", async () => {
    const other = await createOrg(admin, 'Globex');
    const human = await insertHuman(t.storage, other, 'globex-admin');
    await post(admin, '/orgs/me/members', { userId: human, roles: ['ORG_OWNER'] })
      .set('x-zitadel-orgid', other)
      .expect(200);
    const res = await del(admin, `/orgs/me/members/${human}`).expect(404);
    expect(res.body.details[0].id).toBe('MEMBER-NotFound');
  });
});

describe('grants take effect on the very next request', () => {
  it('downgrading and removing a manager changes what it may do at once', async () => {
    const human = await signedInHuman(t.app, t.storage, admin, admin.whoami.orgId, 'operator', ['ORG_OWNER']);
    await human.agent.get(`${M}/orgs/me`).expect(200);
    await post(human, '/orgs/me/members/_search').expect(200);

    await put(admin, `/orgs/me/members/${human.userId}`, { roles: ['ORG_PROJECT_CREATOR'] }).expect(200);
    const denied = await human.agent.get(`${M}/orgs/me`).expect(403);
    expect(denied.body).toEqual(error(7, 'AUTH-5mWD2', 'No matching permissions found'));

    await put(admin, `/orgs/me/members/${human.userId}`, { roles: ['ORG_OWNER_VIEWER'] }).expect(200);
    await human.agent.get(`${M}/orgs/me`).expect(200);
    await post(human, '/orgs/me/members', { userId: admin.whoami.userId, roles: ['ORG_OWNER'] }).expect(403);

    await del(admin, `/orgs/me/members/${human.userId}`).expect(200);
    await human.agent.get(`${M}/orgs/me`).expect(403);
    await post(human, '/orgs/me/members/_search').expect(403);
  });

  it('a manager cannot read or change the managers of another organization', async () => {
    const other = await createOrg(admin, 'Globex');
    const globex = await signedInHuman(t.app, t.storage, admin, other, 'globex-owner', ['ORG_OWNER']);
    await post(globex, '/orgs/me/members/_search').expect(200);
    for (const call of [
      post(globex, '/orgs/me/members/_search').set('x-zitadel-orgid', admin.whoami.orgId),
      post(globex, '/orgs/me/members', { userId: globex.userId, roles: ['ORG_OWNER'] }).set('x-zitadel-orgid', admin.whoami.orgId),
      put(globex, `/orgs/me/members/${admin.whoami.userId}`, { roles: ['ORG_OWNER_VIEWER'] }).set('x-zitadel-orgid', admin.whoami.orgId),
      del(globex, `/orgs/me/members/${admin.whoami.userId}`).set('x-zitadel-orgid', admin.whoami.orgId),
    ]) {
      expect((await call).status).toBe(403);
    }
    // Without the header it acts on its own organization, where the home admin is no member.
    await del(globex, `/orgs/me/members/${admin.whoami.userId}`).expect(404);
    expect((await members()).result[0].roles).toEqual(['ORG_OWNER']);
  });

  it('needs a session or token, and the CSRF token on writes', async () => {
    await request(t.app).post(`${M}/orgs/me/members/_search`).send({}).expect(401);
    await admin.agent
      .post(`${M}/orgs/me/members`)
      .send({ userId: admin.whoami.userId, roles: ['ORG_OWNER'] })
      .expect(403);
  });
});

describe('service users calling with a Bearer token', () => {
  // The OAuth token endpoint is built elsewhere; until it is mounted, a verifier that knows one
  // token per service user stands in for it, so the Bearer path and the grants are exercised.
  function tokensFor(users: Record<string, string>) {
    t.ctx.accessTokens = {
      verify: async (token) => {
        const userId = users[token];
        if (!userId) return null;
        const now = Math.floor(Date.now() / 1000);
        return { jti: token, userId, clientId: token, scope: [], aud: ['zitadel'], iat: now, exp: now + 60, management: true };
      },
    };
  }
  const asToken = (token: string) => ({
    get: (path: string) => request(t.app).get(`${M}${path}`).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object = {}) => request(t.app).post(`${M}${path}`).set('Authorization', `Bearer ${token}`).send(body),
  });

  it('Org Owner may read the organization, its users and managers; no role and Project Creator get 403', async () => {
    const owner = await createServiceUser(admin, 'svc-owner');
    const creator = await createServiceUser(admin, 'svc-creator');
    const nobody = await createServiceUser(admin, 'svc-nobody');
    await post(admin, '/orgs/me/members', { userId: owner, roles: ['ORG_OWNER'] }).expect(200);
    await post(admin, '/orgs/me/members', { userId: creator, roles: ['ORG_PROJECT_CREATOR'] }).expect(200);
    tokensFor({ 'owner-token': owner, 'creator-token': creator, 'nobody-token': nobody });

    const org = await asToken('owner-token').get('/orgs/me').expect(200);
    expect(org.body.org.id).toBe(admin.whoami.orgId);
    await asToken('owner-token').get(`/users/${nobody}`).expect(200);
    await asToken('owner-token').post('/orgs/me/members/_search').expect(200);
    for (const token of ['creator-token', 'nobody-token']) {
      const res = await asToken(token).get('/orgs/me').expect(403);
      expect(res.body).toEqual(error(7, 'AUTH-5mWD2', 'No matching permissions found'));
    }
    // The Org Owner service user grants a role itself; it holds from the grantee's next request.
    await asToken('owner-token')
      .post('/orgs/me/members', { userId: nobody, roles: ['ORG_OWNER_VIEWER'] })
      .expect(200);
    await asToken('nobody-token').get('/orgs/me').expect(200);
    await asToken('unknown-token').get('/orgs/me').expect(401);
  });
});
