import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, signIn, type TestApp } from './support/test-app.js';
import { createClient } from './support/tokens.js';
import { listen, signInOver, tally, tokenOver, type Answer, type Listening } from './support/listening.js';

// Every request below comes from 127.0.0.1 over a real socket, with no proxy trust: one address.
const ADDRESS = '127.0.0.1';

let t: TestApp;
let server: Listening;
beforeEach(async () => {
  t = await createTestApp();
  server = await listen(t.app);
});
afterEach(async () => {
  await server.close();
  await t.cleanup();
});

const times = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

function expectRefused(a: Answer) {
  expect(a.status).toBe(429);
  expect(Number(a.retryAfter)).toBeGreaterThan(0);
  expect(a.body.code).toBe(8);
  expect(a.setCookie).toBeNull();
}

describe('console sign-in under parallel requests', () => {
  // scrypt (N=2^17) takes about a second and a half here, and the limit must hold while it runs.
  it('checks exactly 5 of 12 parallel wrong passwords from one address; the other 7 are 429', { timeout: 120_000 }, async () => {
    const answers = await times(12, (i) => signInOver(server.url, 'admin', `wrong-${i}`));
    expect(tally(answers)).toEqual({ 401: 5, 429: 7 });
    for (const a of answers.filter((x) => x.status === 429)) {
      expectRefused(a);
      expect(a.body.details?.[0]?.id).toBe('SESSION-THROTTLED');
    }
    expectRefused(await signInOver(server.url, 'admin', ADMIN_PASSWORD));
  });

  it('does not let the right password in past the limit when it comes in a burst of wrong ones', { timeout: 120_000 }, async () => {
    const wrong = times(19, (i) => signInOver(server.url, 'admin', `wrong-${i}`));
    // The right one a moment later, while the first wrong ones are still being hashed.
    await sleep(200);
    const right = await signInOver(server.url, 'admin', ADMIN_PASSWORD);
    expect(tally(await wrong)).toEqual({ 401: 5, 429: 14 });
    expectRefused(right);
  });

  it('checks at most 50 of 80 parallel attempts with different usernames from one address', { timeout: 300_000 }, async () => {
    const answers = await times(80, (i) => signInOver(server.url, `user-${i}`, 'wrong'));
    const checked = answers.filter((a) => a.status === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(50);
    for (const a of answers.filter((x) => x.status !== 401)) expectRefused(a);

    // Only the checked attempts count: with 49 in all, exactly one more may be checked.
    await t.ctx.loginGate.fail('address', ADDRESS, 49 - checked);
    expect(tally(await times(2, (i) => signInOver(server.url, `late-${i}`, 'wrong')))).toEqual({ 401: 1, 429: 1 });
  });

  it('counts every attempt toward the 50 per address before it is checked, across usernames', { timeout: 120_000 }, async () => {
    // As after 45 failures from this address earlier in the window.
    await t.ctx.loginGate.fail('address', ADDRESS, 45);
    const answers = await times(10, (i) => signInOver(server.url, `name-${i}`, 'wrong'));
    expect(tally(answers)).toEqual({ 401: 5, 429: 5 });
    for (const a of answers.filter((x) => x.status === 429)) expect(a.body.details?.[0]?.id).toBe('SESSION-THROTTLED');
  });
});

describe('client authentication under parallel requests', () => {
  // The check and the count run in one synchronous turn (an HMAC, no await between them), so no
  // request can pass the check while another is being verified. These keep it that way.
  it('checks exactly 10 of 30 parallel wrong secrets for one client_id from one address', async () => {
    const answers = await times(30, (i) => tokenOver(server.url, 'svc', `wrong-${i}`));
    expect(tally(answers)).toEqual({ 401: 10, 429: 20 });
    for (const a of answers.filter((x) => x.status === 429)) expect(a.body.error).toBe('slow_down');
  });

  it('never throttles a burst of right secrets: 30 parallel token requests of one client all get tokens', async () => {
    const c = await createClient(await signIn(t.app), 'burst-client');
    const answers = await times(30, () => tokenOver(server.url, c.clientId, c.clientSecret));
    expect(tally(answers)).toEqual({ 200: 30 });
  });

  it('checks exactly 100 of 130 parallel attempts with different client_ids from one address', async () => {
    const answers = await times(130, (i) => tokenOver(server.url, `svc-${i}`, 'wrong'));
    expect(tally(answers)).toEqual({ 401: 100, 429: 30 });
  });
});
