import { afterEach, describe, expect, it } from 'vitest';
import { FailureLimiter } from '../src/security/failure-limiter.js';
import type { MemoryGate } from '../src/security/attempt-gate.js';
import { inMemoryRequest } from './support/in-memory-request.js';
import { createTestApp, TEST_ENGINE, type TestApp } from './support/test-app.js';

const WINDOW = 15 * 60_000;
const limiters: FailureLimiter[] = [];
const limiter = (max: number, keys: number) => {
  const l = new FailureLimiter(max, WINDOW, keys);
  limiters.push(l);
  return l;
};
afterEach(() => {
  for (const l of limiters.splice(0)) l.close();
});

describe('reserving attempts', () => {
  it('counts an attempt when reserved, and gives it back on release', () => {
    const l = limiter(2, 10);
    const t0 = 1_000_000;
    const a = l.reserve('k', t0);
    l.reserve('k', t0 + 1);
    expect(l.retryAfter('k', t0 + 2)).toBeGreaterThan(0);
    l.release('k', a);
    expect(l.retryAfter('k', t0 + 2)).toBe(0);
    l.release('k', t0 + 1);
    expect(l.size).toBe(0);
  });

  it('forgets attempts once the window has passed', () => {
    const l = limiter(1, 10);
    l.reserve('k', 0);
    expect(l.retryAfter('k', WINDOW - 1)).toBe(1);
    expect(l.retryAfter('k', WINDOW)).toBe(0);
  });
});

describe('bounded memory', () => {
  it('holds at most maxKeys keys, forgetting the one counted least recently', () => {
    const l = limiter(3, 3);
    const now = Date.now();
    l.fail('a', now);
    l.fail('b', now);
    l.fail('c', now);
    l.fail('a', now); // a is now the most recently counted
    l.fail('d', now); // b goes
    expect(l.size).toBe(3);
    l.fail('a', now);
    expect(l.retryAfter('a', now)).toBeGreaterThan(0); // a kept all three of its counts
    l.fail('b', now);
    l.fail('b', now);
    expect(l.retryAfter('b', now)).toBe(0); // b started over
  });

  // In memory only: the cap bounds one process's maps. PostgreSQL's throttle rows go when their window ends.
  it.skipIf(TEST_ENGINE === 'pg')("keeps the token endpoint's throttles at their cap under a flood from 25,000 addresses", { timeout: 120_000 }, async () => {
    const t: TestApp = await createTestApp({ TESSERA_TRUST_PROXY: '127.0.0.1' });
    try {
      const send = (from: string, clientId = 'nobody') =>
        inMemoryRequest(
          t.app,
          'POST',
          '/oauth/v2/token',
          { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from },
          Buffer.from(`grant_type=client_credentials&scope=openid&client_id=${clientId}&client_secret=wrong`),
        );
      for (let n = 0; n < 25_000; n++) {
        expect((await send(`10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`)).status).toBe(401);
      }
      const { pair, address } = t.ctx.clientAuthGate as MemoryGate;
      expect(address.size).toBe(20_000);
      expect(pair.size).toBe(20_000);
      // The newest counts are the ones kept: the last address's one failure still counts toward its 100.
      const last = '10.0.97.167';
      for (let i = 0; i < 99; i++) expect((await send(last, `c-${i}`)).status).toBe(401);
      expect((await send(last, 'c-x')).status).toBe(429);
    } finally {
      await t.cleanup();
    }
  });

  it('keeps keys small: client_ids longer than any username (200 characters) share one count', async () => {
    const t: TestApp = await createTestApp();
    try {
      const prefix = 'x'.repeat(200);
      for (let i = 0; i < 10; i++) {
        const body = Buffer.from(`grant_type=client_credentials&scope=openid&client_id=${prefix}${'y'.repeat(4000)}${i}&client_secret=wrong`);
        const res = await inMemoryRequest(t.app, 'POST', '/oauth/v2/token', { 'content-type': 'application/x-www-form-urlencoded' }, body);
        expect(res.status).toBe(401);
      }
      const body = Buffer.from(`grant_type=client_credentials&scope=openid&client_id=${prefix}z&client_secret=wrong`);
      expect((await inMemoryRequest(t.app, 'POST', '/oauth/v2/token', { 'content-type': 'application/x-www-form-urlencoded' }, body)).status).toBe(429);
    } finally {
      await t.cleanup();
    }
  });
});
