import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { call, createServiceUser, grantOrgRoles } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

let t: TestApp;
afterEach(() => t?.cleanup());

async function setup() {
  t = await createTestApp();
  const admin = await signIn(t.app);
  const userId = await createServiceUser(admin, 'pat-holder');
  await grantOrgRoles(t.storage, admin.whoami.orgId, userId, ['ORG_OWNER']);
  return { admin, userId };
}

async function addPat(admin: SignedIn, userId: string, body: object = {}): Promise<{ tokenId: string; token: string }> {
  return (await call(admin, 'post', `/users/${userId}/pats`, body).expect(200)).body;
}

const orgsMe = (token: string) => request(t.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${token}`);

describe('personal access tokens (AddPersonalAccessToken, List…, Get…ByIDs, Remove…)', () => {
  it("gives the token once, keeps only its HMAC, and it reads the organization with the user's roles", async () => {
    const { admin, userId } = await setup();
    const { tokenId, token } = await addPat(admin, userId);
    expect(token).toMatch(/^8[A-Za-z0-9_-]{49}$/);
    const org = await orgsMe(token).expect(200);
    expect(org.body.org.id).toBe(admin.whoami.orgId);
    // Through Express as well as the Bearer path: the users list of its organization.
    await request(t.app).post('/management/v1/users/_search').set('Authorization', `Bearer ${token}`).send({}).expect(200);

    const rows = await t.storage.all('SELECT * FROM personal_access_tokens');
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows).toHaveLength(1);

    const listed = await call(admin, 'post', `/users/${userId}/pats/_search`, {}).expect(200);
    expect(listed.body).toMatchObject({ details: { totalResult: '1' }, result: [{ id: tokenId, expirationDate: '9999-12-31T23:59:59Z' }] });
    expect((await call(admin, 'get', `/users/${userId}/pats/${tokenId}`).expect(200)).body.token.id).toBe(tokenId);
  });

  it('is refused from the next request once removed, after "Revoke Tokens", for a deactivated user and past its expiration', async () => {
    const { admin, userId } = await setup();
    const removed = await addPat(admin, userId);
    await orgsMe(removed.token).expect(200);
    await call(admin, 'delete', `/users/${userId}/pats/${removed.tokenId}`).expect(200);
    expect((await orgsMe(removed.token).expect(401)).body.code).toBe(16);
    await call(admin, 'get', `/users/${userId}/pats/${removed.tokenId}`).expect(404);

    const revoked = await addPat(admin, userId);
    await orgsMe(revoked.token).expect(200);
    await call(admin, 'post', `/users/${userId}/tokens/_revoke`, {}).expect(200);
    await orgsMe(revoked.token).expect(401);

    const deactivated = await addPat(admin, userId);
    await orgsMe(deactivated.token).expect(200);
    await call(admin, 'post', `/users/${userId}/_deactivate`, {}).expect(200);
    await orgsMe(deactivated.token).expect(401);
    await call(admin, 'post', `/users/${userId}/_reactivate`, {}).expect(200);

    const expiring = await addPat(admin, userId, { expirationDate: new Date(Date.now() + 60_000).toISOString() });
    await orgsMe(expiring.token).expect(200);
    await t.storage.command((tx) => tx.run("UPDATE personal_access_tokens SET expiration_date = '2001-01-01T00:00:00Z' WHERE id = ?", [expiring.tokenId]));
    await orgsMe(expiring.token).expect(401);
  });

  it('refuses a forged or altered token, a human user, and an expiration date in the past', async () => {
    const { admin, userId } = await setup();
    const { token } = await addPat(admin, userId);
    const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BA' : 'AA'}`;
    await orgsMe(altered).expect(401);
    await orgsMe(`8${'A'.repeat(49)}`).expect(401);
    const human = await call(admin, 'post', `/users/${admin.whoami.userId}/pats`, {}).expect(400);
    expect(human.body.details[0].id).toBe('USER-NotMachine');
    const past = await call(admin, 'post', `/users/${userId}/pats`, { expirationDate: '2001-01-01T00:00:00Z' }).expect(400);
    expect(past.body.details[0].id).toBe('EXPIRATION-Past');
  });
});
