import fs from 'node:fs';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../src/storage/migrate.js';
import { ADMIN_PASSWORD, createTestApp, signIn, type TestApp } from './support/test-app.js';

let t: TestApp;
afterEach(() => t?.cleanup());

describe('storage and first start', () => {
  it('applies migrations once; running them again changes nothing', async () => {
    t = await createTestApp();
    // Every numbered file SQLite runs in migrations/, whichever parts have added theirs.
    const files = fs.readdirSync(new URL('../src/storage/migrations/', import.meta.url)).filter((f) => /^\d{3}_.*\.sql$/.test(f) && !f.endsWith('.pg.sql'));
    expect(t.db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(files.sort().map((f) => Number(f.slice(0, 3))));
    expect(migrate(t.db)).toEqual([]);
    expect(t.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(t.db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('creates the first organization and administrator once, and never re-seeds', async () => {
    t = await createTestApp({ TESSERA_ORG_NAME: 'Acme' });
    const orgs = () => t.db.prepare('SELECT name FROM orgs').pluck().all();
    expect(orgs()).toEqual(['Acme']);
    const events = t.db.prepare('SELECT count(*) FROM events').pluck().get();
    t = await t.restart();
    expect(orgs()).toEqual(['Acme']);
    expect(t.db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(events);
    const hash = t.db.prepare("SELECT password_hash FROM users WHERE username = 'admin'").pluck().get() as string;
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(hash).not.toContain(ADMIN_PASSWORD);
  });

  it('answers /healthz and /readyz', async () => {
    t = await createTestApp();
    await request(t.app).get('/healthz').expect(200, { status: 'ok' });
    await request(t.app).get('/readyz').expect(200, { status: 'ok', database: 'ok' });
  });
});

describe('console sign-in', () => {
  it('signs in, says who is signed in, and signs out', async () => {
    t = await createTestApp();
    const { agent, csrf, whoami } = await signIn(t.app);
    expect(whoami).toMatchObject({ userName: 'admin', orgName: 'Tessera', instanceOwner: true });
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await agent.get('/api/session').expect(200);
    await agent.delete('/api/session').set('x-csrf-token', csrf).expect(204);
    const after = await agent.get('/api/session').expect(401);
    expect(after.body).toMatchObject({ code: 16 });
  });

  it('sets a strict, HttpOnly cookie and a new session id at sign-in', async () => {
    t = await createTestApp();
    const first = await request(t.app).post('/api/session').send({ username: 'admin', password: 'wrong' });
    expect(first.status).toBe(401);
    const res = await request(t.app)
      .post('/api/session')
      .set('Cookie', 'tessera.sid=s%3Afixated.sig')
      .send({ username: 'ADMIN', password: ADMIN_PASSWORD })
      .expect(200);
    const cookie = res.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/^tessera\.sid=/);
    expect(cookie).not.toContain('fixated');
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('marks the cookie Secure when the issuer is https', async () => {
    // The issuer alone decides: behind a TLS terminator Tessera itself sees plain HTTP.
    t = await createTestApp({ TESSERA_ISSUER: 'https://id.example.com' });
    const res = await request(t.app).post('/api/session').send({ username: 'admin', password: ADMIN_PASSWORD }).expect(200);
    expect(res.headers['set-cookie']![0]).toMatch(/; Secure/);
  });

  it('gives one generic answer for an unknown user and a wrong password', async () => {
    t = await createTestApp();
    const unknown = await request(t.app).post('/api/session').send({ username: 'nobody', password: 'x' });
    const wrong = await request(t.app).post('/api/session').send({ username: 'admin', password: 'x' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.message).toBe('username or password is incorrect');
  });

  it('throttles repeated failures with 429 and Retry-After, even for the right password', { timeout: 120_000 }, async () => {
    t = await createTestApp();
    for (let i = 0; i < 5; i++) {
      await request(t.app)
        .post('/api/session')
        .send({ username: 'admin', password: `wrong${i}` })
        .expect(401);
    }
    const res = await request(t.app).post('/api/session').send({ username: 'admin', password: ADMIN_PASSWORD });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ code: 8 });
  });

  it('refuses sign-in that is not JSON (what a cross-site form would send)', async () => {
    t = await createTestApp();
    const res = await request(t.app).post('/api/session').type('form').send({ username: 'admin', password: ADMIN_PASSWORD });
    expect(res.status).toBe(400);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    t = await createTestApp();
    const { agent, csrf } = await signIn(t.app);
    await agent.delete('/api/session').expect(403);
    await agent.delete('/api/session').set('x-csrf-token', 'forged').expect(403);
    await agent.get('/api/session').expect(200); // still signed in
    await agent.delete('/api/session').set('x-csrf-token', csrf).expect(204);
  });

  it('keeps the session across an app restart on the same database', async () => {
    t = await createTestApp();
    const { agent } = await signIn(t.app);
    const res = await agent.get('/api/session').expect(200);
    const cookie = res.request.cookies;
    t = await t.restart();
    await request(t.app).get('/api/session').set('Cookie', cookie).expect(200);
  });

  it('ends a session after the idle timeout', async () => {
    t = await createTestApp();
    const { agent } = await signIn(t.app);
    t.db.prepare('UPDATE sessions SET expires_at = ?').run(Date.now() - 1);
    await agent.get('/api/session').expect(401);
  });

  it('moves the idle deadline in the database once a minute at most, not with every request', async () => {
    t = await createTestApp();
    const { agent } = await signIn(t.app);
    const stored = () => t.db.prepare('SELECT expires_at FROM sessions').pluck().get() as number;
    const signedIn = stored();
    for (let i = 0; i < 5; i++) await agent.get('/management/v1/orgs/me').expect(200);
    expect(stored()).toBe(signedIn);
    // Two minutes on (as if the row had been written then): the next request moves it to a full idle period from now.
    t.db.prepare('UPDATE sessions SET expires_at = ?').run(signedIn - 120_000);
    const before = Date.now();
    await agent.get('/management/v1/orgs/me').expect(200);
    expect(stored()).toBeGreaterThanOrEqual(before + t.config.sessionIdleMs - 1_000);
  });
});
