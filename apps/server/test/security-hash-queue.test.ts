import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { hashPassword, passwordHashes } from '../src/domain/passwords.js';
import { ensureFirstInstance } from '../src/domain/setup.js';
import { HashQueue } from '../src/security/hash-queue.js';
import { openStorage } from '../src/storage/open.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { listen, signInOver, type Answer, type Listening } from './support/listening.js';

let t: TestApp;
let server: Listening;
beforeAll(async () => {
  t = await createTestApp();
  fs.mkdirSync(t.config.consoleDir, { recursive: true });
  fs.writeFileSync(path.join(t.config.consoleDir, 'index.html'), '<!doctype html><title>Tessera</title>');
  server = await listen(t.app);
});
afterAll(async () => {
  await server.close();
  await t.cleanup();
});

/** Milliseconds until the whole answer is in. */
async function timed(url: string, headers: Record<string, string> = {}): Promise<{ ms: number; status: number; text: string }> {
  const start = performance.now();
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { ms: performance.now() - start, status: res.status, text };
}

describe('a burst of sign-ins', () => {
  it('leaves the console page and /healthz answering in under a second', { timeout: 300_000 }, async () => {
    // 60 parallel sign-ins, each a 128 MiB scrypt on libuv's thread pool, which file reads need too.
    const burst = Promise.all(Array.from({ length: 60 }, (_, i) => signInOver(server.url, `someone-${i}`, 'wrong')));
    // Past the first moment, when the refusals go out, and well inside the first hash.
    await new Promise((r) => setTimeout(r, 1000));
    const page = await timed(`${server.url}/`, { accept: 'text/html' });
    const health = await timed(`${server.url}/healthz`);
    const answers = await burst;

    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Tessera</title>');
    expect(page.ms).toBeLessThan(1000);
    expect(health.status).toBe(200);
    expect(health.ms).toBeLessThan(1000);

    // Those beyond the queue were told at once to come back, in the console API's error shape.
    const refused = answers.filter((a) => a.status !== 401);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) expectBusy(a);
  });
});

describe('the one bound on password hashes', () => {
  it(
    'holds sign-ins, hashPassword and the first start alike: at most 2 hash at once (1 on 2 cores), and a full queue refuses',
    { timeout: 300_000 },
    async () => {
      let most = 0;
      const watch = setInterval(() => (most = Math.max(most, passwordHashes.running)), 5);
      const burst = Promise.all(Array.from({ length: 30 }, (_, i) => signInOver(server.url, `burst-${i}`, 'wrong')));
      try {
        while (passwordHashes.waiting < passwordHashes.maxWaiting) await new Promise((r) => setTimeout(r, 5));
        await expect(hashPassword('another password')).rejects.toMatchObject({ kind: 'resource_exhausted', id: 'PASSWORD-HASH-BUSY' });

        const second = loadConfig({ TESSERA_DB: path.join(t.dir, 'second.db'), TESSERA_ADMIN_PASSWORD: 'first start password' });
        const storage = await openStorage(second);
        await expect(ensureFirstInstance(storage, second)).rejects.toMatchObject({ id: 'PASSWORD-HASH-BUSY' });
        expect(await storage.one('SELECT count(*) AS n FROM users')).toEqual({ n: 0 });
        await storage.close();

        const answers = await burst;
        expect(answers.filter((a) => a.status === 401)).toHaveLength(passwordHashes.concurrency + passwordHashes.maxWaiting);
      } finally {
        clearInterval(watch);
      }
      expect(most).toBe(passwordHashes.concurrency);
      expect(passwordHashes.concurrency).toBeLessThanOrEqual(2);
      // Once the burst is over there is room again.
      expect(await hashPassword('another password')).toMatch(/^scrypt\$131072\$8\$1\$/);
    },
  );
});

describe('HashQueue', () => {
  it('runs `concurrency` jobs, lines up `maxWaiting` more, refuses the rest, and starts the next as one ends', async () => {
    const q = new HashQueue(2, 3);
    const ends: (() => void)[] = [];
    const started: number[] = [];
    const job = (n: number) => () =>
      new Promise<number>((resolve) => {
        started.push(n);
        ends.push(() => resolve(n));
      });
    const places = Array.from({ length: 6 }, () => q.enter());
    expect(places.map((p) => p !== undefined)).toEqual([true, true, true, true, true, false]);
    const done = places.slice(0, 5).map((p, n) => p!.run(job(n)));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([q.running, q.waiting]).toEqual([2, 3]);
    ends[0]!();
    expect(await done[0]).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    expect([q.running, q.waiting]).toEqual([2, 2]);
    expect(q.enter()).toBeDefined(); // the finished job's place is free again
  });
});

function expectBusy(a: Answer) {
  expect(a.status).toBe(429);
  expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(a.body).toEqual({
    code: 8,
    message: 'too many sign-ins are being checked right now; try again shortly',
    details: [{ id: 'SESSION-BUSY', message: 'too many sign-ins are being checked right now; try again shortly' }],
  });
}
