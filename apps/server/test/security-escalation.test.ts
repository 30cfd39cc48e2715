import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg } from './support/humans.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { accessToken, createClient, grantOrgRoles, type Client } from './support/tokens.js';

// Privilege escalation across organizations and roles, by a machine with a real token from
// /oauth/v2/token (the authorization matrix covers the console's operators role by role).

const M = '/management/v1';
let t: TestApp;
let admin: SignedIn;
let homeOrg: string;
let otherOrg: string;
let otherUser: string;
let owner: Client;
let ownerToken: string;
let managerToken: string;
let manager: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app);
  homeOrg = admin.whoami.orgId;
  otherOrg = await createOrg(admin, 'Other Org');
  const made = await admin.agent
    .post(`${M}/users/machine`)
    .set('x-csrf-token', admin.csrf)
    .set('x-zitadel-orgid', otherOrg)
    .send({ userName: 'other-org-robot', name: 'Other robot' })
    .expect(200);
  otherUser = made.body.userId as string;
  owner = await createClient(admin, 'home-owner');
  await grantOrgRoles(t.storage, homeOrg, owner.userId, ['ORG_OWNER']);
  ownerToken = await accessToken(t.app, owner);
  manager = await createClient(admin, 'home-user-manager');
  await grantOrgRoles(t.storage, homeOrg, manager.userId, ['ORG_USER_MANAGER']);
  managerToken = await accessToken(t.app, manager);
});
afterAll(() => t?.cleanup());

const as = (token: string) => ({
  get: (path: string) => request(t.app).get(`${M}${path}`).set('Authorization', `Bearer ${token}`),
  send: (method: 'post' | 'put' | 'delete', path: string, body?: object) => {
    const req = request(t.app)
      [method](path.startsWith('/admin') ? path : `${M}${path}`)
      .set('Authorization', `Bearer ${token}`);
    return body ? req.send(body) : req;
  },
});

const snapshot = async () => ({
  events: (await t.storage.one<{ n: number }>('SELECT count(*) AS n FROM events'))!.n,
  members: await t.storage.all('SELECT org_id, user_id, roles FROM org_members ORDER BY org_id, user_id'),
  instance: await t.storage.all('SELECT user_id, roles FROM instance_members ORDER BY user_id'),
  secrets: await t.storage.all('SELECT user_id FROM machine_secrets ORDER BY user_id'),
});

describe('an Org Owner service user, with its own token', () => {
  it("sees another organization's user exactly as a user that does not exist", async () => {
    const foreign = await as(ownerToken).get(`/users/${otherUser}`).expect(404);
    const missing = await as(ownerToken).get('/users/1').expect(404);
    expect(foreign.body).toEqual(missing.body);
  });

  it('cannot name another organization in x-zitadel-orgid, whether it exists or not', async () => {
    const real = await as(ownerToken).get('/orgs/me').set('x-zitadel-orgid', otherOrg).expect(403);
    const fake = await as(ownerToken).get('/orgs/me').set('x-zitadel-orgid', '12345').expect(403);
    expect(real.body).toEqual(fake.body);
  });

  it('changes nothing in another organization, and reaches no instance-level call', async () => {
    const before = await snapshot();
    const attempts = [
      as(ownerToken).send('put', `/users/${otherUser}/secret`),
      as(ownerToken).send('delete', `/users/${otherUser}`),
      as(ownerToken).send('post', `/users/${otherUser}/_deactivate`),
      as(ownerToken).send('put', `/users/${otherUser}/machine`, { name: 'Taken over' }),
      as(ownerToken).send('post', '/orgs/me/members', { userId: otherUser, roles: ['ORG_OWNER'] }),
      as(ownerToken).send('post', '/users/machine', { userName: 'planted', name: 'x' }).set('x-zitadel-orgid', otherOrg),
      as(ownerToken).send('post', '/orgs', { name: 'Shadow Org' }),
      as(ownerToken).send('post', '/admin/v1/orgs/_search', {}),
      as(ownerToken).send('post', '/orgs/me/members', { userId: owner.userId, roles: ['IAM_OWNER'] }),
    ];
    const statuses = [];
    for (const a of attempts) statuses.push((await a).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 403, 403, 403, 400]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('a User Manager service user, with its own token', () => {
  it('cannot grant itself or anyone a manager role, nor change its own grant', async () => {
    const before = await snapshot();
    await as(managerToken)
      .send('post', '/orgs/me/members', { userId: manager.userId, roles: ['ORG_OWNER'] })
      .expect(403);
    await as(managerToken)
      .send('put', `/orgs/me/members/${manager.userId}`, { roles: ['ORG_OWNER'] })
      .expect(403);
    await as(managerToken).send('delete', `/orgs/me/members/${owner.userId}`).expect(403);
    expect(await snapshot()).toEqual(before);
    // What the role does allow still works: it is the permission that stops it, not a broken token.
    await as(managerToken).get(`/users/${owner.userId}`).expect(200);
  });

  it("may replace a peer's secret, as ZITADEL's user.write allows, and the audit trail names who did", async () => {
    // A known consequence of ZITADEL's role model, documented in SECURITY.md: a User Manager can
    // generate a new secret for any service user of its organization, the Org Owner's included.
    const res = await as(managerToken).send('put', `/users/${owner.userId}/secret`).expect(200);
    expect(res.body.clientId).toBe(owner.clientId);
    const last = await t.storage.one('SELECT type, editor_user_id FROM events WHERE aggregate_id = ? ORDER BY sequence DESC LIMIT 1', [owner.userId]);
    expect(last).toEqual({ type: expect.stringContaining('secret'), editor_user_id: manager.userId });
    // The owner's old secret stopped working at once.
    await request(t.app)
      .post('/oauth/v2/token')
      .type('form')
      .send(`grant_type=client_credentials&scope=openid&client_id=${owner.clientId}&client_secret=${owner.clientSecret}`)
      .expect(401);
  });
});
