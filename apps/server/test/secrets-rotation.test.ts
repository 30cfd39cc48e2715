/**
 * Rotation without an outage: several client secrets per service user, the previous ones valid for
 * an overlap the operator chooses, each revocable on its own, and their use counted off the token
 * path and shown. Expiry and the 24-hour window run on a controlled clock (Date only; timers stay
 * real so HTTP keeps working).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hourOf } from '../src/domain/secrets/usage.js';
import { call, createServiceUser } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { tokenRequest, type Client } from './support/tokens.js';

let t: TestApp;
let s: SignedIn;
beforeEach(async () => {
  // Sessions outlast the clock's jumps of an hour.
  t = await createTestApp({ TESSERA_TRUST_PROXY: '1', TESSERA_SESSION_IDLE_MINUTES: String(24 * 60) });
  s = await signIn(t.app);
});
afterEach(async () => {
  vi.useRealTimers();
  await t.cleanup();
});

const HOUR = 3_600_000;
const generate = async (userId: string, body?: object) => {
  const res = await call(s, 'put', `/users/${userId}/secret`, body);
  if (res.status !== 200) throw new Error(`generate: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { clientId: string; clientSecret: string; secretId: string };
};
const list = async (userId: string) => (await call(s, 'post', `/users/${userId}/secrets/_search`, {}).expect(200)).body;
const token = (c: Pick<Client, 'clientId' | 'clientSecret'>, from = '203.0.113.7') => tokenRequest(t.app, c).set('x-forwarded-for', from);
const clockAt = (ms: number) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(ms);
};

describe('generating with an overlap', () => {
  it('keeps the previous secret valid for the chosen time beside the new one, and says so in the list and the activity', async () => {
    const userId = await createServiceUser(s, 'rotating');
    const first = await generate(userId);
    const before = Date.now();
    const second = await generate(userId, { keepPreviousFor: '3600s' });
    await token(first).expect(200);
    await token(second).expect(200);

    const { details, result } = await list(userId);
    expect(details.totalResult).toBe('2');
    expect(result.map((r: { id: string }) => r.id)).toEqual([second.secretId, first.secretId]);
    expect(result[0]).toMatchObject({ hint: second.clientSecret.slice(-4), state: 'SECRET_STATE_ACTIVE', expirationDate: '9999-12-31T23:59:59Z' });
    expect(result[1]).toMatchObject({ hint: first.clientSecret.slice(-4), state: 'SECRET_STATE_EXPIRING' });
    const until = Date.parse(result[1].expirationDate);
    expect(until - before).toBeGreaterThanOrEqual(HOUR);
    expect(until - Date.now()).toBeLessThanOrEqual(HOUR);
    // Never a value or a hash in the list.
    expect(JSON.stringify(result)).not.toContain(first.clientSecret);
    expect(Object.keys(result[1]).sort()).toEqual(['creationDate', 'expirationDate', 'hint', 'id', 'lastUsed', 'state', 'usesLast24h']);

    const changes = (await call(s, 'post', `/users/${userId}/changes/_search`, {}).expect(200)).body.result;
    const minute = new Date(until).toISOString().slice(0, 16).replace('T', ' ');
    expect(changes[0].eventType).toEqual({ key: 'user.machine.secret.set', localizedMessage: `Client secret generated, previous valid until ${minute} UTC` });
    expect(changes[1].eventType.localizedMessage).toBe('Client secret generated');
    const user = (await call(s, 'get', `/users/${userId}`).expect(200)).body.user;
    expect(user.machine).toMatchObject({ hasSecret: true, secretChangeDate: result[0].creationDate });
  });

  it('never lengthens a shorter overlap already running', async () => {
    const userId = await createServiceUser(s, 'shortest');
    await generate(userId);
    await generate(userId, { keepPreviousFor: '60s' });
    await generate(userId, { keepPreviousFor: '86400s' });
    const [newest, middle, oldest] = (await list(userId)).result;
    expect(newest.state).toBe('SECRET_STATE_ACTIVE');
    expect(Date.parse(middle.expirationDate) - Date.now()).toBeGreaterThan(23 * HOUR);
    expect(Date.parse(oldest.expirationDate) - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it("without an overlap (ZITADEL's request: no body, or {}) the others stop at once", async () => {
    const userId = await createServiceUser(s, 'at-once');
    const first = await generate(userId);
    await generate(userId, { keepPreviousFor: '3600s' });
    const third = await generate(userId, {});
    await token(first).expect(401);
    await token(third).expect(200);
    expect((await list(userId)).result.map((r: { id: string }) => r.id)).toEqual([third.secretId]);
  });

  it('holds at most 3 valid secrets at once, also when the generates run in parallel', async () => {
    const userId = await createServiceUser(s, 'crowded');
    await generate(userId);
    const results = await Promise.all(Array.from({ length: 6 }, () => call(s, 'put', `/users/${userId}/secret`, { keepPreviousFor: '3600s' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 400, 400, 400, 400]);
    const refused = results.find((r) => r.status === 400)!.body;
    expect(refused.code).toBe(9);
    expect(refused.details[0].id).toBe('SECRET-TooMany');
    expect(refused.message).toContain('at most 3 valid client secrets');
    expect((await list(userId)).result).toHaveLength(3);
    // Revoking now always works: it leaves one.
    await generate(userId);
    expect((await list(userId)).result).toHaveLength(1);
  });

  it('refuses a malformed or too long overlap with a 400, and an overlap on remove', async () => {
    const userId = await createServiceUser(s, 'strict');
    await generate(userId);
    for (const keepPreviousFor of ['1h', '3600', '-5s', '2592001s', 3600, '']) {
      const res = await call(s, 'put', `/users/${userId}/secret`, { keepPreviousFor }).expect(400);
      expect(res.body.code).toBe(3);
    }
    await call(s, 'delete', `/users/${userId}/secret`, { keepPreviousFor: '60s' }).expect(400);
    expect((await list(userId)).result).toHaveLength(1);
  });
});

describe('revoking one secret', () => {
  it('stops that secret at once and leaves the others working; RemoveMachineSecret removes them all', async () => {
    const userId = await createServiceUser(s, 'revoking');
    const first = await generate(userId);
    const second = await generate(userId, { keepPreviousFor: '86400s' });
    const res = await call(s, 'delete', `/users/${userId}/secrets/${first.secretId}`).expect(200);
    expect(Object.keys(res.body)).toEqual(['details']);
    expect((await token(first).expect(401)).body).toEqual({ error: 'invalid_client', error_description: 'the client secret was revoked' });
    await token(second).expect(200);
    const changes = (await call(s, 'post', `/users/${userId}/changes/_search`, {}).expect(200)).body.result;
    expect(changes[0].eventType).toEqual({ key: 'user.machine.secret.revoked', localizedMessage: 'Client secret revoked' });
    // Listed as revoked until the next rotation.
    const listed = (await list(userId)).result;
    expect(listed.map((r: { state: string }) => r.state)).toEqual(['SECRET_STATE_ACTIVE', 'SECRET_STATE_REVOKED']);
    expect(listed[1].revocationDate).toBe(listed[1].expirationDate);

    expect((await call(s, 'delete', `/users/${userId}/secrets/${first.secretId}`).expect(400)).body.details[0].id).toBe('SECRET-Revoked');
    expect((await call(s, 'delete', `/users/${userId}/secrets/1`).expect(404)).body.details[0].id).toBe('SECRET-NotFound');
    const other = await createServiceUser(s, 'not-its-owner');
    await call(s, 'delete', `/users/${other}/secrets/${second.secretId}`).expect(404);
    await token(second).expect(200);

    const third = await generate(userId, { keepPreviousFor: '60s' });
    expect((await list(userId)).result.map((r: { id: string }) => r.id)).toEqual([third.secretId, second.secretId]);
    await call(s, 'delete', `/users/${userId}/secret`).expect(200);
    expect((await list(userId)).result).toEqual([]);
    await token(second).expect(401);
  });

  it('does not count a job still sending the revoked secret against the throttle of its client and address', async () => {
    const userId = await createServiceUser(s, 'left-behind');
    const old = await generate(userId);
    const fresh = await generate(userId, { keepPreviousFor: '3600s' });
    await call(s, 'delete', `/users/${userId}/secrets/${old.secretId}`).expect(200);
    // Far past the 10 failures per client and address that answer 429 to wrong secrets.
    const statuses = await Promise.all(Array.from({ length: 20 }, () => token(old, '192.0.2.9').then((r) => r.status)));
    expect(statuses).toEqual(Array(20).fill(401));
    await token(fresh, '192.0.2.9').expect(200);
    // A wrong secret still counts: the limit applies to guesses as before.
    const wrong = { clientId: old.clientId, clientSecret: 'w'.repeat(64) };
    const guesses = await Promise.all(Array.from({ length: 12 }, () => token(wrong, '192.0.2.9').then((r) => r.status)));
    expect(guesses.filter((x) => x === 401)).toHaveLength(10);
    await token(fresh, '192.0.2.9').expect(429);
  });
});

describe('expiry, with a controlled clock', () => {
  it('refuses the previous secret once its overlap has passed, lists it as expired, and drops it at the next rotation', async () => {
    const userId = await createServiceUser(s, 'expiring');
    const start = Date.now();
    clockAt(start);
    const first = await generate(userId);
    const second = await generate(userId, { keepPreviousFor: '3600s' });
    clockAt(start + HOUR - 1000);
    await token(first).expect(200);
    clockAt(start + HOUR + 1);
    expect((await token(first).expect(401)).body.error_description).toBe('the client secret has expired');
    await token(second).expect(200);
    const { result } = await list(userId);
    expect(result.map((r: { state: string }) => r.state)).toEqual(['SECRET_STATE_ACTIVE', 'SECRET_STATE_EXPIRED']);

    // The other revoked too: the user has no working secret.
    await call(s, 'delete', `/users/${userId}/secrets/${second.secretId}`).expect(200);
    expect((await call(s, 'get', `/users/${userId}`).expect(200)).body.user.machine.hasSecret).toBe(false);
    const third = await generate(userId, { keepPreviousFor: '3600s' });
    expect((await list(userId)).result.map((r: { id: string }) => r.id)).toEqual([third.secretId]);
  });
});

describe('usage', () => {
  it('counts successful authentications per secret off the token path, with the last time and address', async () => {
    const userId = await createServiceUser(s, 'busy');
    const old = await generate(userId);
    const fresh = await generate(userId, { keepPreviousFor: '3600s' });
    for (let i = 0; i < 7; i++) await token(old, '198.51.100.1').expect(200);
    const lastOld = Date.now();
    await token(fresh, '198.51.100.2').expect(200);
    await token(fresh, '198.51.100.3').expect(200);
    await token({ clientId: old.clientId, clientSecret: 'x'.repeat(64) }, '198.51.100.4').expect(401);
    // Nothing was written by the token requests themselves.
    expect(await t.storage.one('SELECT count(*) AS n FROM machine_secret_uses')).toEqual({ n: 0 });
    expect(await t.storage.one('SELECT count(*) AS n FROM machine_secrets WHERE last_used_at IS NOT NULL')).toEqual({ n: 0 });

    const [newer, older] = (await list(userId)).result;
    expect(newer).toMatchObject({ usesLast24h: '2', lastUsed: { address: '198.51.100.3' } });
    expect(older).toMatchObject({ usesLast24h: '7', lastUsed: { address: '198.51.100.1' } });
    expect(Date.parse(older.lastUsed.date)).toBeLessThanOrEqual(lastOld);
    expect(Date.parse(older.lastUsed.date)).toBeGreaterThan(lastOld - 60_000);
    // Listed again: the same figures, not counted twice.
    expect((await list(userId)).result.map((r: { usesLast24h: string }) => r.usesLast24h)).toEqual(['2', '7']);
  });

  it('counts parallel requests exactly, and forgets hours older than the last 24', async () => {
    const userId = await createServiceUser(s, 'parallel');
    const c = await generate(userId);
    const start = Date.now();
    clockAt(start);
    const statuses = await Promise.all(Array.from({ length: 40 }, () => token(c).then((r) => r.status)));
    expect(statuses.every((x) => x === 200)).toBe(true);
    expect((await list(userId)).result[0].usesLast24h).toBe('40');

    clockAt(start + 23 * HOUR);
    s = await signIn(t.app);
    await token(c).expect(200);
    expect((await list(userId)).result[0].usesLast24h).toBe('41');
    clockAt(start + 24 * HOUR + 1);
    s = await signIn(t.app); // a console session lasts 12 hours at most
    expect((await list(userId)).result[0].usesLast24h).toBe('1');
    // The hour that left the window is deleted at the next flush that writes.
    await token(c).expect(200);
    await list(userId);
    const hours = await t.storage.all<{ hour: number }>('SELECT hour FROM machine_secret_uses ORDER BY hour');
    expect(hours.map((h) => h.hour)).toEqual([hourOf(start + 23 * HOUR), hourOf(start + 24 * HOUR + 1)].filter((h, i, a) => a.indexOf(h) === i));
  });

  it('writes the counts not yet flushed when the app closes', async () => {
    const userId = await createServiceUser(s, 'closing');
    const c = await generate(userId);
    for (let i = 0; i < 3; i++) await token(c).expect(200);
    await t.ctx.secretUsage.close();
    expect(await t.storage.one('SELECT sum(uses) AS n FROM machine_secret_uses')).toEqual({ n: 3 });
  });
});
