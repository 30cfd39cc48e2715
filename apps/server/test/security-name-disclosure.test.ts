import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg } from './support/humans.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { accessToken, grantOrgRoles } from './support/tokens.js';

// What SECURITY.md says crosses organizations: usernames (they are OAuth client_ids, so unique
// in the instance) and organization names (unique, as in ZITADEL) answer 409 whoever holds them.
// A manager of one organization learns that a name exists elsewhere, and nothing more.

const M = '/management/v1';
let t: TestApp;
let token: string;
let orgB: string;

beforeAll(async () => {
  t = await createTestApp();
  const admin = await signIn(t.app);
  orgB = await createOrg(admin, 'Org B');
  const made = await admin.agent
    .post(`${M}/users/machine`)
    .set('x-csrf-token', admin.csrf)
    .set('x-zitadel-orgid', orgB)
    .send({ userName: 'b-owner', name: 'B owner' })
    .expect(200);
  const userId = made.body.userId as string;
  const secret = await admin.agent.put(`${M}/users/${userId}/secret`).set('x-csrf-token', admin.csrf).set('x-zitadel-orgid', orgB).expect(200);
  await grantOrgRoles(t.storage, orgB, userId, ['ORG_OWNER']);
  token = await accessToken(t.app, { userId, clientId: 'b-owner', clientSecret: secret.body.clientSecret });
});
afterAll(() => t?.cleanup());

const asB = (method: 'post' | 'put', path: string, body: object) => request(t.app)[method](`${M}${path}`).set('Authorization', `Bearer ${token}`).send(body);

describe("a manager of organization B, about other organizations' names", () => {
  it('learns that a username exists elsewhere, in any case, and nothing else about it', async () => {
    const elsewhere = await asB('post', '/users/machine', { userName: 'ADMIN', name: 'x' }).expect(409);
    const ownOrg = await asB('post', '/users/machine', { userName: 'B-OWNER', name: 'x' }).expect(409);
    expect(elsewhere.body).toEqual(ownOrg.body); // the same answer as a name taken in its own organization
    expect(elsewhere.body.details).toEqual([{ id: 'USER-AlreadyExists', message: 'a user with this username already exists', field: 'userName' }]);
    await asB('post', '/users/machine', { userName: 'admin-2', name: 'x' }).expect(200);
  });

  it('learns that an organization name exists elsewhere, in any case', async () => {
    const res = await asB('put', '/orgs/me', { name: 'TESSERA' }).expect(409);
    expect(res.body.details).toEqual([{ id: 'ORG-AlreadyExists', message: 'an organization with this name already exists', field: 'name' }]);
    const tessera = await t.storage.one<{ id: string }>("SELECT id FROM orgs WHERE name = 'Tessera'");
    expect(JSON.stringify(res.body)).not.toContain(tessera!.id);
  });
});
