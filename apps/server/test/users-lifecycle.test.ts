import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deactivateUser, removeUser } from '../src/domain/users/lifecycle.js';
import { acceptTokens, call, createServiceUser, generateSecret, grantOrgRoles } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

let t: TestApp;
let s: SignedIn;
beforeEach(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
});
afterEach(() => t.cleanup());

const validAfter = async (userId: string) =>
  (await t.storage.one<{ tokens_valid_after: number }>('SELECT tokens_valid_after FROM users WHERE id = ?', [userId]))!.tokens_valid_after;
const makeInstanceOwner = (userId: string) =>
  t.storage.command((tx) =>
    tx.run(`INSERT INTO instance_members (user_id, roles, created_at) VALUES (?, '["IAM_OWNER"]', ?)`, [userId, new Date().toISOString()]),
  );
/** A command run by Tessera itself (no signed-in editor), as a maintenance task would. */
const system = { userId: null, instanceOwner: true };
const precondition = (id: string, message: string) => ({ code: 9, message, details: [{ id, message }] });

describe('POST /users/{userId}/_deactivate and /_reactivate', () => {
  it('deactivates, refuses every earlier token from then on, and reactivates without lifting that', async () => {
    const userId = await createServiceUser(s, 'batch');
    const before = Date.now();
    const res = await call(s, 'post', `/users/${userId}/_deactivate`).expect(200);
    expect(Object.keys(res.body)).toEqual(['details']);
    const cutoff = await validAfter(userId);
    expect(cutoff).toBeGreaterThanOrEqual(before);
    expect(cutoff).toBeLessThanOrEqual(Date.now());
    expect((await call(s, 'get', `/users/${userId}`)).body.user.state).toBe('USER_STATE_INACTIVE');

    await call(s, 'post', `/users/${userId}/_reactivate`, {}).expect(200);
    expect((await call(s, 'get', `/users/${userId}`)).body.user.state).toBe('USER_STATE_ACTIVE');
    // ZITADEL #8489: tokens from before the deactivation must not come back to life.
    expect(await validAfter(userId)).toBe(cutoff);
  });

  it('answers FailedPrecondition when the user is already in that state', async () => {
    const userId = await createServiceUser(s, 'twice');
    const reactivate = await call(s, 'post', `/users/${userId}/_reactivate`).expect(400);
    expect(reactivate.body).toEqual(precondition('USER-NotInactive', 'user is not deactivated'));
    await call(s, 'post', `/users/${userId}/_deactivate`).expect(200);
    const again = await call(s, 'post', `/users/${userId}/_deactivate`).expect(400);
    expect(again.body).toEqual(precondition('USER-AlreadyInactive', 'user is already deactivated'));
  });

  it('will not let the signed-in administrator deactivate themself', async () => {
    const res = await call(s, 'post', `/users/${s.whoami.userId}/_deactivate`).expect(400);
    expect(res.body).toEqual(precondition('USER-Self', 'you cannot deactivate yourself'));
  });

  it('refuses a body with fields, and an unknown user', async () => {
    const userId = await createServiceUser(s, 'bodied');
    expect((await call(s, 'post', `/users/${userId}/_deactivate`, { force: true }).expect(400)).body.code).toBe(3);
    expect((await call(s, 'post', '/users/42/_deactivate').expect(404)).body.code).toBe(5);
    expect((await call(s, 'post', '/users/42/_reactivate').expect(404)).body.code).toBe(5);
  });
});

describe('users/_search by state', () => {
  const names = async (queries: object[]) =>
    (await call(s, 'post', '/users/_search', { sortingColumn: 'USER_FIELD_NAME_USER_NAME', query: { asc: true }, queries }).expect(200)).body.result.map(
      (u: { userName: string }) => u.userName,
    );

  it("answers ZITADEL's stateQuery: only the users in that state, with the other queries still applied", async () => {
    await createServiceUser(s, 'state-on');
    const off = await createServiceUser(s, 'state-off');
    await createServiceUser(s, 'other-on');
    await call(s, 'post', `/users/${off}/_deactivate`).expect(200);
    const machine = { typeQuery: { type: 'TYPE_MACHINE' } };

    expect(await names([machine, { stateQuery: { state: 'USER_STATE_ACTIVE' } }])).toEqual(['other-on', 'state-on']);
    expect(await names([machine, { stateQuery: { state: 'USER_STATE_INACTIVE' } }])).toEqual(['state-off']);
    expect(await names([{ stateQuery: { state: 'USER_STATE_ACTIVE' } }, { userNameQuery: { userName: 'state-' } }])).toEqual(['state-on']);
    // States Tessera never gives a user are valid questions with no answers.
    expect(await names([{ stateQuery: { state: 'USER_STATE_LOCKED' } }])).toEqual([]);
  });

  it('refuses an unknown state or a stateQuery without one with 400 InvalidArgument', async () => {
    for (const stateQuery of [{ state: 'USER_STATE_SLEEPING' }, {}, { state: 'USER_STATE_ACTIVE', extra: 1 }]) {
      const res = await call(s, 'post', '/users/_search', { queries: [{ stateQuery }] }).expect(400);
      expect(res.body.code).toBe(3);
    }
  });
});

describe('DELETE /users/{userId}', () => {
  it('removes the user, its secret and memberships, and keeps its events as the audit trail', async () => {
    const userId = await createServiceUser(s, 'doomed');
    await generateSecret(s, userId);
    await grantOrgRoles(t.storage, s.whoami.orgId, userId, ['ORG_OWNER_VIEWER']);
    const res = await call(s, 'delete', `/users/${userId}`).expect(200);
    expect(Object.keys(res.body)).toEqual(['details']);
    expect(res.body.details.resourceOwner).toBe(s.whoami.orgId);
    await call(s, 'get', `/users/${userId}`).expect(404);
    const count = async (table: string) => (await t.storage.one<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE user_id = ?`, [userId]))!.n;
    expect([await count('machine_secrets'), await count('org_members')]).toEqual([0, 0]);
    const events = await t.storage.all<{ type: string }>('SELECT type FROM events WHERE aggregate_id = ? ORDER BY sequence', [userId]);
    expect(events.map((e) => e.type)).toEqual(['user.machine.added', 'user.machine.secret.set', 'user.removed']);
    // The name is free again.
    await createServiceUser(s, 'doomed');
  });

  it('answers 404 for an unknown user, and for a user deleted a moment ago', async () => {
    const userId = await createServiceUser(s, 'gone');
    await call(s, 'delete', `/users/${userId}`).expect(200);
    expect((await call(s, 'delete', `/users/${userId}`).expect(404)).body.code).toBe(5);
  });

  it('will not let the administrator delete themself', async () => {
    const res = await call(s, 'delete', `/users/${s.whoami.userId}`).expect(400);
    expect(res.body).toEqual(precondition('USER-Self', 'you cannot delete yourself'));
  });

  it('lets only an instance owner delete an instance owner', async () => {
    const token = acceptTokens(t);
    const robot = await createServiceUser(s, 'robot-owner');
    await grantOrgRoles(t.storage, s.whoami.orgId, robot, ['ORG_OWNER']);
    const deleteAdmin = () => s.agent.delete(`/management/v1/users/${s.whoami.userId}`).set('Authorization', `Bearer ${token(robot)}`);

    // An organization's owner holds user.delete, but the instance's owner is out of its reach.
    const denied = await deleteAdmin().expect(403);
    expect(denied.body).toEqual({
      code: 7,
      message: 'only an instance owner may delete an instance owner',
      details: [{ id: 'AUTH-5mWD2', message: 'only an instance owner may delete an instance owner' }],
    });
    await makeInstanceOwner(robot);
    await deleteAdmin().expect(200);
  });

  it('never deletes or deactivates the last active instance owner', async () => {
    const orgId = s.whoami.orgId;
    const admin = s.whoami.userId;
    await expect(removeUser(t.storage, orgId, admin, system)).rejects.toThrow('the last instance owner cannot be deleted');
    await expect(deactivateUser(t.storage, orgId, admin, system)).rejects.toThrow('the last instance owner cannot be deactivated');
  });

  it('does not count a deactivated instance owner as another one', async () => {
    const second = await createServiceUser(s, 'second-owner');
    await makeInstanceOwner(second);
    await call(s, 'post', `/users/${second}/_deactivate`).expect(200);
    await expect(removeUser(t.storage, s.whoami.orgId, s.whoami.userId, system)).rejects.toThrow('the last instance owner cannot be deleted');
    await call(s, 'post', `/users/${second}/_reactivate`).expect(200);
    expect((await removeUser(t.storage, s.whoami.orgId, s.whoami.userId, system)).resourceOwner).toBe(s.whoami.orgId);
  });
});

describe('POST /users/{userId}/tokens/_revoke', () => {
  it('refuses every token issued so far and records it', async () => {
    const userId = await createServiceUser(s, 'leaky');
    const before = Date.now();
    const res = await call(s, 'post', `/users/${userId}/tokens/_revoke`).expect(200);
    expect(Object.keys(res.body)).toEqual(['details']);
    expect(await validAfter(userId)).toBeGreaterThanOrEqual(before);
    const last = await t.storage.one<{ type: string }>('SELECT type FROM events WHERE aggregate_id = ? ORDER BY sequence DESC LIMIT 1', [userId]);
    expect(last?.type).toBe('user.token.revoked_all');
    // The user stays active; only its tokens end.
    expect((await call(s, 'get', `/users/${userId}`)).body.user.state).toBe('USER_STATE_ACTIVE');
  });

  it('never moves the cut-off backwards', async () => {
    const userId = await createServiceUser(s, 'future');
    const future = Date.now() + 3_600_000;
    await t.storage.command((tx) => tx.run('UPDATE users SET tokens_valid_after = ? WHERE id = ?', [future, userId]));
    await call(s, 'post', `/users/${userId}/tokens/_revoke`).expect(200);
    expect(await validAfter(userId)).toBe(future);
  });

  it('answers 404 for an unknown user and 400 for a human', async () => {
    expect((await call(s, 'post', '/users/77/tokens/_revoke').expect(404)).body.code).toBe(5);
    const human = await call(s, 'post', `/users/${s.whoami.userId}/tokens/_revoke`).expect(400);
    expect(human.body).toEqual(precondition('USER-NotMachine', 'this is a human user, not a service user'));
  });
});
