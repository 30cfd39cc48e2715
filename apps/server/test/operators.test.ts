import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptTokens, call, createServiceUser } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

// More than one human operator: an instance owner creates a colleague with a password shown once,
// the colleague must replace it before anything else, and may be made an instance owner in turn.

let t: TestApp;
let admin: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app);
}, 60_000);
afterAll(() => t?.cleanup());

const addHuman = (body: object) => call(admin, 'post', '/users/human', body);
const changePassword = (s: SignedIn, body: object) => s.agent.put('/auth/v1/users/me/password').set('x-csrf-token', s.csrf).send(body);
const members = (s: SignedIn) => s.agent.post('/admin/v1/members/_search').set('x-csrf-token', s.csrf).send({});
const detailOf = (res: request.Response) => (res.body as { details: { id: string }[] }).details[0]!.id;

describe('human operators', () => {
  it('creates an operator whose generated password is shown once and must be replaced at the first sign-in', { timeout: 60_000 }, async () => {
    const res = await addHuman({ userName: 'ada', profile: { firstName: 'Ada', lastName: 'Lovelace' }, email: { email: 'ada@example.com' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { userId, initialPassword } = res.body as { userId: string; initialPassword: string };
    expect(initialPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    expect((await call(admin, 'get', `/users/${userId}`)).body.user).toMatchObject({
      userName: 'ada',
      human: { profile: { displayName: 'Ada Lovelace' }, passwordChangeRequired: true },
    });
    // Never stored in plaintext, never answered again.
    expect(JSON.stringify(await t.storage.one('SELECT * FROM users WHERE id = ?', [userId]))).not.toContain(initialPassword);

    const ada = await signIn(t.app, 'ada', initialPassword);
    expect(ada.whoami).toMatchObject({ userName: 'ada', displayName: 'Ada Lovelace', passwordChangeRequired: true, instanceOwner: false });
    const elsewhere = await signIn(t.app, 'ada', initialPassword);
    // Until then nothing else is allowed, whatever roles they hold: only the auth API about themselves.
    await call(admin, 'post', '/orgs/me/members', { userId, roles: ['ORG_OWNER'] }).expect(200);
    const refused = await ada.agent.get('/management/v1/orgs/me');
    expect(refused.status).toBe(400);
    expect(detailOf(refused)).toBe('USER-PasswordChangeRequired');
    expect((await ada.agent.get('/auth/v1/users/me').expect(200)).body.user).toMatchObject({ id: userId, userName: 'ada' });

    // The current password proves it is them; a new one must be new and long enough.
    for (const [body, id] of [
      [{ oldPassword: 'not it at all', newPassword: 'a fine new password' }, 'USER-PasswordWrong'],
      [{ oldPassword: initialPassword, newPassword: initialPassword }, 'USER-PasswordUnchanged'],
      [{ oldPassword: initialPassword, newPassword: 'short' }, 'INVALID_ARGUMENT'],
      [{ oldPassword: initialPassword }, 'INVALID_ARGUMENT'],
    ] as const) {
      const r = await changePassword(ada, body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(detailOf(r)).toBe(id);
    }
    const changed = await changePassword(ada, { oldPassword: initialPassword, newPassword: 'ada chooses her own' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);

    // This session goes on, now with every right its roles give; the other one has ended.
    expect((await ada.agent.get('/api/session').expect(200)).body).toMatchObject({ passwordChangeRequired: false });
    await ada.agent.get('/management/v1/orgs/me').expect(200);
    await elsewhere.agent.get('/api/session').expect(401);
    await expect(signIn(t.app, 'ada', initialPassword)).rejects.toThrow(/401/);
    expect((await signIn(t.app, 'ada', 'ada chooses her own')).whoami.passwordChangeRequired).toBe(false);
    expect((await call(admin, 'post', `/users/${userId}/changes/_search`, {})).body.result.map((c: { eventType: { key: string } }) => c.eventType.key)).toEqual(
      ['user.human.password.changed', 'user.human.added'],
    );
  });

  it('takes a password chosen by the creator, and refuses bad or duplicate input in the gateway shape', { timeout: 60_000 }, async () => {
    const res = await addHuman({ userName: 'grace', profile: { displayName: 'Grace Hopper' }, initialPassword: 'given by the admin' });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('initialPassword');
    expect((await signIn(t.app, 'grace', 'given by the admin')).whoami.passwordChangeRequired).toBe(true);

    const cases: [object, number, string][] = [
      [{ userName: 'GRACE', profile: { displayName: 'Again' } }, 409, 'USER-AlreadyExists'],
      [{ userName: 'no-name', profile: {} }, 400, 'INVALID_ARGUMENT'],
      [{ userName: 'no-profile' }, 400, 'INVALID_ARGUMENT'],
      [{ userName: 'short-pw', profile: { displayName: 'S' }, initialPassword: '1234567' }, 400, 'INVALID_ARGUMENT'],
      [{ userName: 'bad email', profile: { displayName: 'B' } }, 400, 'INVALID_ARGUMENT'],
      [{ userName: 'email', profile: { displayName: 'E' }, email: { email: 'not an address' } }, 400, 'INVALID_ARGUMENT'],
      [{ userName: 'extra', profile: { displayName: 'X' }, isAdmin: true }, 400, 'INVALID_ARGUMENT'],
    ];
    for (const [body, status, id] of cases) {
      const r = await addHuman(body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(detailOf(r), JSON.stringify(body)).toBe(id);
    }
    // Two creates of one name at once: one user.
    const racing = await Promise.all([0, 1, 2].map(() => addHuman({ userName: 'twin', profile: { displayName: 'Twin' } })));
    expect(racing.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });

  it('makes an operator an instance owner, and never leaves the instance without an active one', { timeout: 60_000 }, async () => {
    const { userId, initialPassword } = (await addHuman({ userName: 'linus', profile: { displayName: 'Linus' } })).body as {
      userId: string;
      initialPassword: string;
    };
    const linus = await signIn(t.app, 'linus', initialPassword);
    await changePassword(linus, { oldPassword: initialPassword, newPassword: 'linus has his own' }).expect(200);
    // Not yet an instance member: the admin API is closed to him.
    expect((await members(linus)).status).toBe(403);

    const unknownRole = await admin.agent
      .post('/admin/v1/members')
      .set('x-csrf-token', admin.csrf)
      .send({ userId, roles: ['IAM_GOD'] });
    expect([unknownRole.status, detailOf(unknownRole)]).toEqual([400, 'IAM-MEMBER-RoleUnknown']);
    await admin.agent
      .post('/admin/v1/members')
      .set('x-csrf-token', admin.csrf)
      .send({ userId, roles: ['IAM_OWNER'] })
      .expect(200);
    const again = await admin.agent
      .post('/admin/v1/members')
      .set('x-csrf-token', admin.csrf)
      .send({ userId, roles: ['IAM_OWNER'] });
    expect([again.status, detailOf(again)]).toEqual([409, 'IAM-MEMBER-AlreadyExists']);

    // From his very next request he is one, with a session he already had.
    const list = (await members(linus).expect(200)).body as { result: { userId: string; roles: string[]; userType: string }[] };
    expect(list.result.map((m) => [m.userId, m.roles, m.userType])).toEqual(
      expect.arrayContaining([
        [userId, ['IAM_OWNER'], 'TYPE_HUMAN'],
        [admin.whoami.userId, ['IAM_OWNER'], 'TYPE_HUMAN'],
      ]),
    );
    expect((await linus.agent.get('/api/session')).body.instanceOwner).toBe(true);

    // Linus removes the admin's instance role; then he is the last owner and cannot remove his own.
    await linus.agent.delete(`/admin/v1/members/${admin.whoami.userId}`).set('x-csrf-token', linus.csrf).expect(200);
    const last = await linus.agent.delete(`/admin/v1/members/${userId}`).set('x-csrf-token', linus.csrf);
    expect([last.status, detailOf(last)]).toEqual([400, 'IAM-MEMBER-LastOwner']);
    const demote = await linus.agent
      .put(`/admin/v1/members/${userId}`)
      .set('x-csrf-token', linus.csrf)
      .send({ roles: ['IAM_OWNER'] });
    expect([demote.status, detailOf(demote)]).toEqual([400, 'IAM-MEMBER-RolesNotChanged']);
    // And the admin, no longer an instance owner, is refused the instance's API.
    expect((await members(admin)).status).toBe(403);
    await linus.agent
      .post('/admin/v1/members')
      .set('x-csrf-token', linus.csrf)
      .send({ userId: admin.whoami.userId, roles: ['IAM_OWNER'] })
      .expect(200);
    expect((await members(admin)).status).toBe(200);
  });

  it('counts wrong current passwords like failed sign-ins, also in parallel', { timeout: 90_000 }, async () => {
    const { initialPassword } = (await addHuman({ userName: 'mallory', profile: { displayName: 'Mallory' } })).body as { initialPassword: string };
    const mallory = await signIn(t.app, 'mallory', initialPassword);
    // Five wrong guesses at the pair's limit; the rest are refused before any hash is computed.
    const guesses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => changePassword(mallory, { oldPassword: `guess number ${i}`, newPassword: 'whatever it may be' })),
    );
    expect(guesses.map((r) => r.status).sort()).toEqual([400, 400, 400, 400, 400, 429, 429, 429]);
    expect(guesses.find((r) => r.status === 429)!.headers['retry-after']).toMatch(/^\d+$/);
    // The right one is refused too while the throttle holds, and so is signing in as mallory.
    expect((await changePassword(mallory, { oldPassword: initialPassword, newPassword: 'whatever it may be' })).status).toBe(429);
    expect((await request(t.app).post('/api/session').send({ username: 'mallory', password: initialPassword })).status).toBe(429);
  });

  it('answers a service user that it has no password, and tells it who it is', async () => {
    const token = acceptTokens(t);
    const userId = await createServiceUser(admin, 'robot-me');
    const bearer = { Authorization: `Bearer ${token(userId)}` };
    expect((await request(t.app).get('/auth/v1/users/me').set(bearer).expect(200)).body.user).toMatchObject({
      id: userId,
      machine: { name: 'robot-me display' },
    });
    const r = await request(t.app).put('/auth/v1/users/me/password').set(bearer).send({ oldPassword: 'x', newPassword: 'long enough now' });
    expect([r.status, detailOf(r)]).toEqual([400, 'USER-NotHuman']);
    expect((await request(t.app).get('/auth/v1/users/me')).status).toBe(401);
  });

  it('keeps the first administrator free to work: no change is asked of a password they chose', () => {
    expect(admin.whoami.passwordChangeRequired).toBe(false);
  });
});
