import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createServiceUser } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

let t: TestApp;
let s: SignedIn;
beforeEach(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
});
afterEach(() => t.cleanup());

const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const lastEvent = async (userId: string) =>
  (await t.storage.one<{ type: string; payload: string }>('SELECT type, payload FROM events WHERE aggregate_id = ? ORDER BY sequence DESC LIMIT 1', [userId]))!;

describe('PUT /management/v1/users/{userId}/machine', () => {
  it('changes display name, description and token type, answers {details}, and records what changed', async () => {
    const userId = await createServiceUser(s, 'reporter', { name: 'Reporter', description: 'old' });
    const res = await call(s, 'put', `/users/${userId}/machine`, {
      name: 'Nightly reporter',
      description: 'sends the nightly report',
      accessTokenType: 'ACCESS_TOKEN_TYPE_JWT',
    }).expect(200);
    expect(res.body).toEqual({
      details: { sequence: expect.stringMatching(/^\d+$/), changeDate: expect.stringMatching(iso), resourceOwner: s.whoami.orgId },
    });
    const user = await call(s, 'get', `/users/${userId}`).expect(200);
    expect(user.body.user.machine).toEqual({
      name: 'Nightly reporter',
      description: 'sends the nightly report',
      hasSecret: false,
      accessTokenType: 'ACCESS_TOKEN_TYPE_JWT',
    });
    expect(user.body.user.details.sequence).toBe(res.body.details.sequence);
    expect(await lastEvent(userId)).toEqual({
      type: 'user.machine.changed',
      payload: JSON.stringify({ name: 'Nightly reporter', description: 'sends the nightly report', accessTokenType: 'ACCESS_TOKEN_TYPE_JWT' }),
    });
  });

  it('records only the fields that changed, and nothing at all for a repeat of the same state', async () => {
    const userId = await createServiceUser(s, 'repeat', { name: 'Repeat' });
    const first = await call(s, 'put', `/users/${userId}/machine`, { name: 'Repeat', description: 'now described' }).expect(200);
    expect(JSON.parse((await lastEvent(userId)).payload)).toEqual({ description: 'now described' });
    const again = await call(s, 'put', `/users/${userId}/machine`, { name: 'Repeat', description: 'now described' }).expect(200);
    expect(again.body.details.sequence).toBe(first.body.details.sequence);
    expect(await t.storage.one('SELECT count(*) AS n FROM events WHERE aggregate_id = ?', [userId])).toEqual({ n: 2 });
  });

  it('keeps the user findable by its new display name', async () => {
    const userId = await createServiceUser(s, 'renamed', { name: 'Before' });
    await call(s, 'put', `/users/${userId}/machine`, { name: 'Quarterly ledger sync' }).expect(200);
    const search = (displayName: string) =>
      call(s, 'post', '/users/_search', { queries: [{ displayNameQuery: { displayName, method: 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE' } }] });
    expect((await search('LEDGER')).body.result.map((u: { id: string }) => u.id)).toEqual([userId]);
    expect((await search('Before')).body.details.totalResult).toBe('0');
  });

  it('names the bad field in a 400 and refuses unknown fields', async () => {
    const userId = await createServiceUser(s, 'strict');
    const res = await call(s, 'put', `/users/${userId}/machine`, { name: ' ', accessTokenType: 'OPAQUE' }).expect(400);
    expect(res.body.code).toBe(3);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['accessTokenType', 'name']);
    const unknown = await call(s, 'put', `/users/${userId}/machine`, { name: 'x', userName: 'renamed' }).expect(400);
    expect(unknown.body.code).toBe(3);
  });

  it('answers 404 for an unknown user', async () => {
    const res = await call(s, 'put', '/users/123/machine', { name: 'x' }).expect(404);
    expect(res.body).toEqual({ code: 5, message: 'user not found', details: [{ id: 'USER-NotFound', message: 'user not found' }] });
  });

  it('refuses a human user with a clear 400 (FailedPrecondition)', async () => {
    const res = await call(s, 'put', `/users/${s.whoami.userId}/machine`, { name: 'Robot admin' }).expect(400);
    expect(res.body).toEqual({
      code: 9,
      message: 'this is a human user, not a service user',
      details: [{ id: 'USER-NotMachine', message: 'this is a human user, not a service user' }],
    });
  });
});
