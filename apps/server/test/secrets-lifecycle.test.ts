import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashClientSecret } from '../src/domain/secrets/hash.js';
import { call, createServiceUser, generateSecret } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

let t: TestApp;
let s: SignedIn;
beforeEach(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
});
afterEach(() => t.cleanup());

const verifies = (secret: string, hash: Buffer) => hashClientSecret(t.ctx.secretKey.current.key, secret).equals(hash);
const storedHash = async (userId: string) => (await t.storage.one<{ hash: Buffer }>('SELECT hash FROM machine_secrets WHERE user_id = ?', [userId]))?.hash;

describe('PUT /management/v1/users/{userId}/secret', () => {
  it('answers {clientId, clientSecret, details} with the username as client id', async () => {
    const userId = await createServiceUser(s, 'Mixed.Case-Bot');
    const res = await call(s, 'put', `/users/${userId}/secret`).expect(200);
    expect(res.body).toEqual({
      clientId: 'Mixed.Case-Bot',
      clientSecret: expect.stringMatching(/^[A-Za-z0-9]{64}$/),
      secretId: expect.stringMatching(/^\d+$/),
      details: { sequence: expect.stringMatching(/^\d+$/), changeDate: expect.any(String), resourceOwner: s.whoami.orgId },
    });
    expect(res.headers['cache-control']).toBe('no-store');
    const user = await call(s, 'get', `/users/${userId}`).expect(200);
    expect(user.body.user.machine.secretChangeDate).toBe(res.body.details.changeDate);
  });

  it('replaces the old secret at once: only the newest one verifies', async () => {
    const userId = await createServiceUser(s, 'rotating');
    const first = await generateSecret(s, userId);
    expect(verifies(first.clientSecret, (await storedHash(userId))!)).toBe(true);
    const second = await generateSecret(s, userId);
    expect(second.clientSecret).not.toBe(first.clientSecret);
    expect(verifies(first.clientSecret, (await storedHash(userId))!)).toBe(false);
    expect(verifies(second.clientSecret, (await storedHash(userId))!)).toBe(true);
    expect(await t.storage.one('SELECT count(*) AS n FROM machine_secrets WHERE user_id = ?', [userId])).toEqual({ n: 1 });
  });

  it('refuses a human user', async () => {
    const res = await call(s, 'put', `/users/${s.whoami.userId}/secret`).expect(400);
    expect(res.body.details[0].id).toBe('USER-NotMachine');
  });
});

describe('DELETE /management/v1/users/{userId}/secret', () => {
  it('removes the secret, answers {details} and records it', async () => {
    const userId = await createServiceUser(s, 'unsecret');
    await generateSecret(s, userId);
    const res = await call(s, 'delete', `/users/${userId}/secret`).expect(200);
    expect(Object.keys(res.body)).toEqual(['details']);
    expect(await storedHash(userId)).toBeUndefined();
    const user = await call(s, 'get', `/users/${userId}`).expect(200);
    expect(user.body.user.machine).toEqual({ name: 'unsecret display', description: '', hasSecret: false, accessTokenType: 'ACCESS_TOKEN_TYPE_BEARER' });
    expect(user.body.user.details.sequence).toBe(res.body.details.sequence);
    const last = await t.storage.one<{ type: string }>('SELECT type FROM events WHERE aggregate_id = ? ORDER BY sequence DESC LIMIT 1', [userId]);
    expect(last?.type).toBe('user.machine.secret.removed');
  });

  it('answers FailedPrecondition with a readable message when there is no secret', async () => {
    const userId = await createServiceUser(s, 'never-had-one');
    const res = await call(s, 'delete', `/users/${userId}/secret`).expect(400);
    expect(res.body).toEqual({
      code: 9,
      message: 'this service user has no client secret to remove',
      details: [{ id: 'USER-NoSecret', message: 'this service user has no client secret to remove' }],
    });
  });

  it('answers 404 for an unknown user, 400 for a bad id and for a human', async () => {
    expect((await call(s, 'delete', '/users/31337/secret').expect(404)).body.code).toBe(5);
    expect((await call(s, 'delete', '/users/not-an-id/secret').expect(400)).body.details[0].field).toBe('userId');
    expect((await call(s, 'delete', `/users/${s.whoami.userId}/secret`).expect(400)).body.details[0].id).toBe('USER-NotMachine');
  });
});
