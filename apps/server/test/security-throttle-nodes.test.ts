import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, signInOver, tally, tokenOver, type Listening } from './support/listening.js';
import { createTestApp, ADMIN_PASSWORD, type TestApp } from './support/test-app.js';

// PostgreSQL only: two apps on one database are two nodes, and the failure counts they share live
// in its throttles table. On SQLite one process serves, and its counts live in memory.
const run = process.env.TESSERA_TEST_ENGINE === 'pg' ? describe : describe.skip;

const times = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

run('failure limits shared by two nodes', () => {
  let a: TestApp;
  let b: TestApp;
  let nodes: Listening[];
  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp({ TESSERA_DATABASE_URL: a.config.databaseUrl! });
    nodes = [await listen(a.app), await listen(b.app)];
  });
  afterAll(async () => {
    for (const n of nodes ?? []) await n.close();
    await b?.cleanup();
    await a?.cleanup();
  });

  it('checks exactly 10 of 30 parallel wrong secrets for one client_id, spread over both nodes', async () => {
    const answers = await times(30, (i) => tokenOver(nodes[i % 2]!.url, 'svc-spread', `wrong-${i}`));
    expect(tally(answers)).toEqual({ 401: 10, 429: 20 });
  });

  it('checks exactly 5 of 12 parallel wrong passwords for one user, spread over both nodes, and then refuses the right one', { timeout: 120_000 }, async () => {
    const answers = await times(12, (i) => signInOver(nodes[i % 2]!.url, 'admin', `wrong-${i}`));
    expect(tally(answers)).toEqual({ 401: 5, 429: 7 });
    expect((await signInOver(nodes[0]!.url, 'admin', ADMIN_PASSWORD)).status).toBe(429);
    expect((await signInOver(nodes[1]!.url, 'admin', ADMIN_PASSWORD)).status).toBe(429);
  });
});
