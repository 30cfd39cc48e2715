import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { accessToken, createClient, grantOrgRoles, tokenRequest, type Client } from './support/tokens.js';

// Rotating or removing a leaked client secret must be able to cut off the tokens it already got:
// otherwise they keep working for their whole lifetime (12 h by default). Tessera's extension to
// ZITADEL's GenerateMachineSecret and RemoveMachineSecret: a JSON body {"revokeTokens": true}.
// Without it, both keep ZITADEL's behaviour: tokens issued so far stay valid.

const M = '/management/v1';
let t: TestApp;
let s: SignedIn;
beforeEach(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
});
afterEach(() => t.cleanup());

/** A service user that may read its organization, and a token it got with its current secret. */
async function machineWithToken(name: string): Promise<Client & { token: string }> {
  const c = await createClient(s, name);
  await grantOrgRoles(t.storage, s.whoami.orgId, c.userId, ['ORG_OWNER']);
  return { ...c, token: await accessToken(t.app, c) };
}

const orgsMe = (token: string) => request(t.app).get(`${M}/orgs/me`).set('Authorization', `Bearer ${token}`);
const eventTypes = async (userId: string) =>
  (await t.storage.all<{ type: string }>('SELECT type FROM events WHERE aggregate_id = ? ORDER BY sequence', [userId])).map((e) => e.type);

describe('DELETE /users/{userId}/secret with revokeTokens', () => {
  it('refuses the tokens issued so far when asked, in the same command as the removal', async () => {
    const m = await machineWithToken('leaked-remove');
    await orgsMe(m.token).expect(200);
    const res = await call(s, 'delete', `/users/${m.userId}/secret`, { revokeTokens: true }).expect(200);
    expect(Object.keys(res.body)).toEqual(['details']);
    const refused = await orgsMe(m.token).expect(401);
    expect(refused.body.code).toBe(16);
    expect((await eventTypes(m.userId)).slice(-2)).toEqual(['user.token.revoked_all', 'user.machine.secret.removed']);
    // The answer's details are the user's latest change.
    expect((await call(s, 'get', `/users/${m.userId}`)).body.user.details.sequence).toBe(res.body.details.sequence);
  });

  it("keeps ZITADEL's behaviour when not asked: no body, an empty one, or false", async () => {
    for (const [name, body] of [
      ['no-body', undefined],
      ['empty-body', {}],
      ['false-body', { revokeTokens: false }],
    ] as const) {
      const m = await machineWithToken(`kept-${name}`);
      await call(s, 'delete', `/users/${m.userId}/secret`, body).expect(200);
      await orgsMe(m.token).expect(200);
      expect(await eventTypes(m.userId)).not.toContain('user.token.revoked_all');
      expect((await tokenRequest(t.app, m)).status).toBe(401); // the secret itself is gone either way
    }
  });

  it('revokes nothing when the removal fails: one transaction', async () => {
    const m = await machineWithToken('no-secret-left');
    await call(s, 'delete', `/users/${m.userId}/secret`).expect(200);
    const res = await call(s, 'delete', `/users/${m.userId}/secret`, { revokeTokens: true }).expect(400);
    expect(res.body.details[0].id).toBe('USER-NoSecret');
    await orgsMe(m.token).expect(200);
    expect(await eventTypes(m.userId)).not.toContain('user.token.revoked_all');
  });
});

describe('PUT /users/{userId}/secret with revokeTokens', () => {
  it('refuses the old tokens when asked; tokens from the new secret work', async () => {
    const m = await machineWithToken('leaked-rotate');
    const res = await call(s, 'put', `/users/${m.userId}/secret`, { revokeTokens: true }).expect(200);
    expect(res.body.clientSecret).toMatch(/^[A-Za-z0-9]{64}$/);
    await orgsMe(m.token).expect(401);
    const fresh = await accessToken(t.app, { ...m, clientSecret: res.body.clientSecret });
    await orgsMe(fresh).expect(200);
    expect((await eventTypes(m.userId)).slice(-2)).toEqual(['user.token.revoked_all', 'user.machine.secret.set']);
  });

  it("keeps ZITADEL's behaviour when not asked: old tokens stay valid, the old secret does not", async () => {
    const m = await machineWithToken('routine-rotate');
    await call(s, 'put', `/users/${m.userId}/secret`, {}).expect(200);
    await call(s, 'put', `/users/${m.userId}/secret`).expect(200);
    await orgsMe(m.token).expect(200);
    expect((await tokenRequest(t.app, m)).status).toBe(401);
    expect(await eventTypes(m.userId)).not.toContain('user.token.revoked_all');
  });
});

describe('the option over a Bearer call, as a machine scripts it', () => {
  it('is honoured on the Bearer path too', async () => {
    const operator = await machineWithToken('secret-operator');
    const removed = await machineWithToken('bearer-removed');
    const rotated = await machineWithToken('bearer-rotated');
    const kept = await machineWithToken('bearer-kept');
    const as = (method: 'put' | 'delete', userId: string, body?: object) => {
      const req = request(t.app)[method](`${M}/users/${userId}/secret`).set('Authorization', `Bearer ${operator.token}`);
      return body ? req.send(body) : req;
    };
    await as('delete', removed.userId, { revokeTokens: true }).expect(200);
    await as('put', rotated.userId, { revokeTokens: true }).expect(200);
    await as('delete', kept.userId).expect(200);
    await orgsMe(removed.token).expect(401);
    await orgsMe(rotated.token).expect(401);
    await orgsMe(kept.token).expect(200);
    await orgsMe(operator.token).expect(200);
  });
});

describe('bad values', () => {
  it('answers 400 in the gateway shape and changes nothing', async () => {
    const m = await machineWithToken('bad-option');
    for (const [method, body] of [
      ['delete', { revokeTokens: 'true' }],
      ['delete', { revokeTokens: 1 }],
      ['put', { revokeTokens: null }],
      ['put', { revokeToken: true }],
    ] as const) {
      const res = await call(s, method, `/users/${m.userId}/secret`, body).expect(400);
      expect(res.body).toMatchObject({ code: 3, details: [expect.objectContaining({ id: 'INVALID_ARGUMENT' })] });
    }
    await orgsMe(m.token).expect(200);
    expect((await tokenRequest(t.app, m)).status).toBe(200);
  });
});
