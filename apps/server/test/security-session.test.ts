import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { HUMAN_PASSWORD, insertHuman } from './support/humans.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';

// What foundation.test.ts leaves out about console sessions: replaying a cookie after sign-out,
// the absolute lifetime, CSRF tokens bound to their session, and users who lose their access.

let t: TestApp;
afterEach(() => t?.cleanup());

const cookieOf = (res: request.Response) => res.headers['set-cookie']![0]!.split(';')[0]!;

describe('console sessions', () => {
  it('refuses a cookie saved before sign-out when it is replayed after it', async () => {
    t = await createTestApp();
    const res = await request(t.app).post('/api/session').send({ username: 'admin', password: 'correct horse battery staple' }).expect(200);
    const cookie = cookieOf(res);
    const csrf = res.body.csrfToken as string;
    await request(t.app).get('/api/session').set('Cookie', cookie).expect(200);
    await request(t.app).delete('/api/session').set('Cookie', cookie).set('x-csrf-token', csrf).expect(204);
    // Not the browser forgetting it: the server no longer knows the session.
    expect(t.db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0);
    const replay = await request(t.app).get('/api/session').set('Cookie', cookie).expect(401);
    expect(replay.body).toMatchObject({ code: 16 });
    await request(t.app).get('/management/v1/orgs/me').set('Cookie', cookie).expect(401);
    await request(t.app).post('/management/v1/users/machine').set('Cookie', cookie).set('x-csrf-token', csrf).send({ userName: 'replayed', name: 'x' }).expect(401);
  });

  it('ends a session at its absolute limit (TESSERA_SESSION_MAX_HOURS), however active it has been', async () => {
    t = await createTestApp({ TESSERA_SESSION_MAX_HOURS: '12' });
    const { agent } = await signIn(t.app);
    await agent.get('/api/session').expect(200);
    const signedIn = (hoursAgo: number) =>
      t.db.prepare("UPDATE sessions SET data = json_set(data, '$.signedInAt', ?)").run(Date.now() - hoursAgo * 3_600_000);
    signedIn(11.9);
    await agent.get('/api/session').expect(200);
    signedIn(12.1);
    await agent.get('/api/session').expect(401);
    await agent.get('/management/v1/orgs/me').expect(401);
    expect(t.db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0);
  });

  it("binds the CSRF token to its session: another session's token is refused", async () => {
    t = await createTestApp();
    const first = await signIn(t.app);
    const second = await signIn(t.app);
    expect(second.csrf).not.toBe(first.csrf);
    const create = (s: typeof first, csrf: string, userName: string) =>
      s.agent.post('/management/v1/users/machine').set('x-csrf-token', csrf).send({ userName, name: 'x' });
    await create(first, second.csrf, 'crossed-a').expect(403);
    await create(second, first.csrf, 'crossed-b').expect(403);
    await create(first, first.csrf, 'own-token').expect(200);
  });

  it('stops serving the session of a user who was deactivated, at the next request', async () => {
    t = await createTestApp();
    const admin = await signIn(t.app);
    await insertHuman(t.storage, admin.whoami.orgId, 'operator');
    const operator = await signIn(t.app, 'operator', HUMAN_PASSWORD);
    await operator.agent.get('/api/session').expect(200);
    t.db.prepare("UPDATE users SET state = 'USER_STATE_INACTIVE' WHERE username = 'operator'").run();
    await operator.agent.get('/api/session').expect(401);
    await operator.agent.get('/management/v1/orgs/me').expect(401);
    // A deactivated user cannot simply sign in again either.
    await request(t.app).post('/api/session').send({ username: 'operator', password: HUMAN_PASSWORD }).expect(401);
    await admin.agent.get('/api/session').expect(200);
  });
});
