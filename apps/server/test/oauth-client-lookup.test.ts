import { afterEach, describe, expect, it } from 'vitest';
import { clientLookup } from '../src/oauth/client-lookup.js';
import type { Storage } from '../src/storage/port.js';
import { call } from './support/service-users.js';
import { createTestApp, signIn, TEST_ENGINE, type TestApp } from './support/test-app.js';
import { createClient } from './support/tokens.js';

let t: TestApp;
afterEach(() => t?.cleanup());

/** The storage, counting the reads made through it. */
function counting(storage: Storage): { storage: Storage; reads: () => number } {
  let reads = 0;
  const counted = Object.create(storage) as Storage;
  counted.one = (text, params) => (reads++, storage.one(text, params));
  counted.all = (text, params) => (reads++, storage.all(text, params));
  return { storage: counted, reads: () => reads };
}

describe('client lookup', () => {
  it('answers each of 40 parallel lookups with its own client, however many share a statement', async () => {
    t = await createTestApp();
    const admin = await signIn(t.app);
    const clients = [];
    for (let i = 1; i <= 4; i++) clients.push(await createClient(admin, `lookup-${i}`));
    await call(admin, 'post', '/users/machine', { userName: 'lookup-nosecret', name: 'x' }).expect(200);
    const { storage, reads } = counting(t.storage);
    const lookup = clientLookup(storage);
    await lookup('warm-up'); // picks the decoy

    // Each name with what it must find: a client's id, or nothing (unknown, human, NUL, empty).
    const cases: [string, string | undefined][] = [];
    for (let i = 0; i < 5; i++) {
      for (const c of clients) cases.push([i % 2 ? c.clientId.toUpperCase() : c.clientId, c.userId]);
      cases.push([`nobody-${i}`, undefined], ['admin', undefined]);
    }
    cases.push(['lookup-1\u0000', undefined], ['', undefined]);
    const before = reads();
    const answers = await Promise.all(cases.map(([name]) => lookup(name)));

    expect(answers.map((a) => a.result?.id)).toEqual(cases.map(([, id]) => id));
    // SQLite reads in this process, one statement each; PostgreSQL takes the turn's lookups 16 at a time.
    expect(reads() - before).toBe(TEST_ENGINE === 'pg' ? Math.ceil(cases.length / 16) : cases.length);
    expect((await lookup('lookup-nosecret')).result).toMatchObject({ username: 'lookup-nosecret', secrets: [] });
  });

  // PostgreSQL only: on SQLite the counts live in memory (security/attempt-gate.ts MemoryGate), never in a statement.
  it.skipIf(TEST_ENGINE !== 'pg')('carries a throttle count beside the row of the lookup that asked for it, and no other', async () => {
    t = await createTestApp();
    const admin = await signIn(t.app);
    await createClient(admin, 'lookup-counted');
    const now = Date.now();
    await t.storage.run('INSERT INTO throttles (key, count, window_end) VALUES (?, 3, ?)', ['test:pair:counted', now + 60_000]);
    const lookup = clientLookup(t.storage);
    await lookup('warm-up');

    const [counted, other, plain] = await Promise.all([
      lookup('lookup-counted', { pair: 'test:pair:counted', address: 'test:address:a', since: now }),
      lookup('nobody', { pair: 'test:pair:other', address: 'test:address:a', since: now }),
      lookup('lookup-counted'),
    ]);
    expect(JSON.parse(counted.column!)).toEqual([['test:pair:counted', 3, now + 60_000]]);
    expect(other.column).toBeNull();
    expect(plain.column).toBeUndefined();
    expect(counted.result?.username).toBe('lookup-counted');
    expect(other.result).toBeUndefined();
  });
});
