import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { HUMAN_PASSWORD, insertHuman } from './support/humans.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';

// What foundation.test.ts leaves out about console sessions: replaying a cookie after sign-out,
// the absolute lifetime, CSRF tokens bound to their session, and users who lose their access.

let t: TestApp;
afterEach(() => t?.cleanup());

const sessionCount = async () => (await t.storage.one<{ n: number }>('SELECT count(*) AS n FROM sessions'))!.n;
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
    expect(await sessionCount()).toBe(0);
    const replay = await request(t.app).get('/api/session').set('Cookie', cookie).expect(401);
    expect(replay.body).toMatchObject({ code: 16 });
    await request(t.app).get('/management/v1/orgs/me').set('Cookie', cookie).expect(401);
    await request(t.app)
      .post('/management/v1/users/machine')
      .set('Cookie', cookie)
      .set('x-csrf-token', csrf)
      .send({ userName: 'replayed', name: 'x' })
      .expect(401);
  });

  it('ends a session at its absolute limit (TESSERA_SESSION_MAX_HOURS), however active it has been', async () => {
    t = await createTestApp({ TESSERA_SESSION_MAX_HOURS: '12' });
    const { agent } = await signIn(t.app);
    await agent.get('/api/session').expect(200);
    const signedIn = (hoursAgo: number) =>
      t.storage.command(async (tx) => {
        const rows = await tx.all<{ sid_hash: string; data: string }>('SELECT sid_hash, data FROM sessions');
        expect(rows).toHaveLength(1);
        for (const row of rows) {
          const data = { ...JSON.parse(row.data), signedInAt: Date.now() - hoursAgo * 3_600_000 };
          await tx.run('UPDATE sessions SET data = ? WHERE sid_hash = ?', [JSON.stringify(data), row.sid_hash]);
        }
      });
    await signedIn(11.9);
    await agent.get('/api/session').expect(200);
    await signedIn(12.1);
    await agent.get('/api/session').expect(401);
    await agent.get('/management/v1/orgs/me').expect(401);
    expect(await sessionCount()).toBe(0);
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
    await t.storage.command((tx) => tx.run("UPDATE users SET state = 'USER_STATE_INACTIVE' WHERE username = 'operator'"));
    await operator.agent.get('/api/session').expect(401);
    await operator.agent.get('/management/v1/orgs/me').expect(401);
    // A deactivated user cannot simply sign in again either.
    await request(t.app).post('/api/session').send({ username: 'operator', password: HUMAN_PASSWORD }).expect(401);
    await admin.agent.get('/api/session').expect(200);
  });
});
