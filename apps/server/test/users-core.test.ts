import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServiceUser, generateSecret } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

let t: TestApp;
let s: SignedIn;
beforeEach(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
});
afterEach(() => t.cleanup());

const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('POST /management/v1/users/machine', () => {
  it('creates a service user and answers {userId, details}', async () => {
    const res = await s.agent
      .post('/management/v1/users/machine')
      .set('x-csrf-token', s.csrf)
      .send({ userName: 'ci-runner', name: 'CI runner', description: 'builds', accessTokenType: 'ACCESS_TOKEN_TYPE_JWT' })
      .expect(200);
    expect(res.body).toEqual({
      userId: expect.stringMatching(/^\d+$/),
      details: {
        sequence: expect.stringMatching(/^\d+$/),
        creationDate: expect.stringMatching(iso),
        changeDate: expect.stringMatching(iso),
        resourceOwner: s.whoami.orgId,
      },
    });
    const user = await s.agent.get(`/management/v1/users/${res.body.userId}`).expect(200);
    expect(user.body.user).toMatchObject({
      id: res.body.userId,
      state: 'USER_STATE_ACTIVE',
      userName: 'ci-runner',
      preferredLoginName: 'ci-runner@tessera.localhost',
      machine: { name: 'CI runner', description: 'builds', hasSecret: false, accessTokenType: 'ACCESS_TOKEN_TYPE_JWT' },
    });
  });

  it('refuses a duplicate username, whatever its case, with 409 on the userName field', async () => {
    await createServiceUser(s, 'Build-Bot');
    const res = await s.agent.post('/management/v1/users/machine').set('x-csrf-token', s.csrf).send({ userName: 'build-bot', name: 'x' }).expect(409);
    expect(res.body).toEqual({
      code: 6,
      message: 'a user with this username already exists',
      details: [{ id: 'USER-AlreadyExists', message: 'a user with this username already exists', field: 'userName' }],
    });
  });

  it('names the bad field in a 400', async () => {
    const res = await s.agent.post('/management/v1/users/machine').set('x-csrf-token', s.csrf).send({ userName: 'a b', name: '' }).expect(400);
    expect(res.body.code).toBe(3);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['name', 'userName']);
  });

  it('is refused without a session or token, and without the CSRF token', async () => {
    await request(t.app).post('/management/v1/users/machine').send({ userName: 'x1', name: 'x' }).expect(401);
    await s.agent.post('/management/v1/users/machine').send({ userName: 'x1', name: 'x' }).expect(403);
  });
});

describe('PUT /management/v1/users/{userId}/secret', () => {
  it('returns the secret once and stores only a hash of it', async () => {
    const userId = await createServiceUser(s, 'svc');
    const { clientId, clientSecret } = await generateSecret(s, userId);
    expect(clientId).toBe('svc');
    expect(clientSecret).toMatch(/^[A-Za-z0-9]{64}$/);
    const user = await s.agent.get(`/management/v1/users/${userId}`).expect(200);
    expect(user.body.user.machine.hasSecret).toBe(true);
    expect(JSON.stringify(user.body)).not.toContain(clientSecret);
    const stored = (await t.storage.one<{ hash: Buffer }>('SELECT hash FROM machine_secrets WHERE user_id = ?', [userId]))!.hash;
    expect(stored.toString('latin1')).not.toContain(clientSecret);
    const everything = JSON.stringify(await t.storage.all('SELECT * FROM events'));
    expect(everything).not.toContain(clientSecret);
  });

  it('answers 404 for an unknown user and 400 for a non-numeric id', async () => {
    await s.agent.put('/management/v1/users/123/secret').set('x-csrf-token', s.csrf).expect(404);
    await s.agent.put('/management/v1/users/abc/secret').set('x-csrf-token', s.csrf).expect(400);
  });
});

describe('POST /management/v1/users/_search', () => {
  it('filters by name, pages, and counts the whole result', async () => {
    for (const n of ['alpha-1', 'alpha-2', 'alpha-3', 'beta-1']) await createServiceUser(s, n);
    const res = await s.agent
      .post('/management/v1/users/_search')
      .set('x-csrf-token', s.csrf)
      .send({
        query: { offset: '0', limit: 2, asc: true },
        sortingColumn: 'USER_FIELD_NAME_USER_NAME',
        queries: [{ typeQuery: { type: 'TYPE_MACHINE' } }, { userNameQuery: { userName: 'ALPHA', method: 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE' } }],
      })
      .expect(200);
    expect(res.body.details.totalResult).toBe('3');
    expect(res.body.result.map((u: { userName: string }) => u.userName)).toEqual(['alpha-1', 'alpha-2']);
  });

  it('treats LIKE wildcards in a search as plain characters', async () => {
    await createServiceUser(s, 'plain');
    const res = await s.agent
      .post('/management/v1/users/_search')
      .set('x-csrf-token', s.csrf)
      .send({ queries: [{ userNameQuery: { userName: '%', method: 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE' } }] })
      .expect(200);
    expect(res.body.details.totalResult).toBe('0');
  });

  it('rejects unknown fields and out-of-range limits', async () => {
    await s.agent.post('/management/v1/users/_search').set('x-csrf-token', s.csrf).send({ nope: 1 }).expect(400);
    await s.agent
      .post('/management/v1/users/_search')
      .set('x-csrf-token', s.csrf)
      .send({ query: { limit: -1 } })
      .expect(400);
  });
});
