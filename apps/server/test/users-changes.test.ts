import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectChanges } from './support/changes.js';
import { call, createServiceUser, generateSecret } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

let t: TestApp;
let s: SignedIn;
beforeEach(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
});
afterEach(() => t.cleanup());

/** A user with one of every change the console can make. */
async function busyUser(): Promise<string> {
  const userId = await createServiceUser(s, 'busy');
  await call(s, 'put', `/users/${userId}/machine`, { name: 'Busy bee' }).expect(200);
  await generateSecret(s, userId);
  await call(s, 'delete', `/users/${userId}/secret`).expect(200);
  await call(s, 'post', `/users/${userId}/tokens/_revoke`).expect(200);
  await call(s, 'post', `/users/${userId}/_deactivate`).expect(200);
  await call(s, 'post', `/users/${userId}/_reactivate`).expect(200);
  return userId;
}

describe('POST /management/v1/users/{userId}/changes/_search', () => {
  it('lists every change newest first, with readable messages and the editor', async () => {
    const userId = await busyUser();
    const res = await call(s, 'post', `/users/${userId}/changes/_search`, {}).expect(200);
    expect(expectChanges(res.body, s)).toEqual([
      { key: 'user.reactivated', localizedMessage: 'User reactivated' },
      { key: 'user.deactivated', localizedMessage: 'User deactivated' },
      { key: 'user.token.revoked_all', localizedMessage: 'All tokens revoked' },
      { key: 'user.machine.secret.removed', localizedMessage: 'Client secret removed' },
      { key: 'user.machine.secret.set', localizedMessage: 'Client secret generated' },
      { key: 'user.machine.changed', localizedMessage: 'Service user changed' },
      { key: 'user.machine.added', localizedMessage: 'Service user created' },
    ]);
  });

  it('pages with limit and the sequence cursor, in both directions', async () => {
    const userId = await busyUser();
    const page1 = await call(s, 'post', `/users/${userId}/changes/_search`, { query: { limit: 3 } }).expect(200);
    expect(page1.body.result).toHaveLength(3);
    const cursor = page1.body.result[2].sequence;
    const page2 = await call(s, 'post', `/users/${userId}/changes/_search`, { query: { limit: '3', sequence: cursor } }).expect(200);
    expect(page2.body.result.map((c: { eventType: { key: string } }) => c.eventType.key)).toEqual([
      'user.machine.secret.removed',
      'user.machine.secret.set',
      'user.machine.changed',
    ]);
    const oldest = await call(s, 'post', `/users/${userId}/changes/_search`, { query: { asc: true, limit: 2 } }).expect(200);
    expect(oldest.body.result.map((c: { eventType: { key: string } }) => c.eventType.key)).toEqual(['user.machine.added', 'user.machine.changed']);
  });

  it('shows who the editor was: Tessera itself, or a user since deleted', async () => {
    const userId = await createServiceUser(s, 'orphan');
    const admin = await call(s, 'post', `/users/${s.whoami.userId}/changes/_search`, {}).expect(200);
    expect(admin.body.result).toEqual([
      expect.objectContaining({ eventType: { key: 'user.human.added', localizedMessage: 'User created' }, editorId: '', editorDisplayName: 'System' }),
    ]);
    await t.storage.command((tx) => tx.run("UPDATE events SET editor_user_id = '999' WHERE aggregate_id = ?", [userId]));
    const orphan = await call(s, 'post', `/users/${userId}/changes/_search`, {}).expect(200);
    expect(orphan.body.result[0]).toMatchObject({ editorId: '999', editorDisplayName: 'Deleted user' });
  });

  it('gives an unknown event type a readable message rather than none', async () => {
    const userId = await createServiceUser(s, 'novel');
    await t.storage.command((tx) =>
      tx.run("INSERT INTO events (created_at, type, aggregate_type, aggregate_id, resource_owner) VALUES (?, 'user.metadata.set', 'user', ?, ?)", [
        new Date().toISOString(),
        userId,
        s.whoami.orgId,
      ]),
    );
    const res = await call(s, 'post', `/users/${userId}/changes/_search`, {}).expect(200);
    expect(res.body.result[0].eventType).toEqual({ key: 'user.metadata.set', localizedMessage: 'User metadata set' });
  });

  it('answers 404 for an unknown user and 400 for a bad query', async () => {
    expect((await call(s, 'post', '/users/5/changes/_search', {}).expect(404)).body.code).toBe(5);
    const userId = await createServiceUser(s, 'queried');
    const bad = await call(s, 'post', `/users/${userId}/changes/_search`, { query: { limit: 5000 } }).expect(400);
    expect(bad.body.details).toEqual([{ id: 'INVALID_ARGUMENT', field: 'query.limit', message: 'query.limit: must be at most 1000' }]);
  });
});
