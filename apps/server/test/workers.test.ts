import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerOrgMe, ConsoleSession, requestToken } from './support/cluster.js';
import { signInOver, tally, tokenOver } from './support/listening.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { dropDatabase, freshDatabase } from './support/pg-server.js';
import { ADMIN_PASSWORD } from './support/test-app.js';

/**
 * TESSERA_WORKERS=2 on one SQLite file, as the built server runs it: a primary and two node:cluster
 * workers sharing the port. What one process guarantees must hold across the workers: the failure
 * limits, a change made through one worker seen by the other, every acknowledged write kept when a
 * worker is killed, and one SIGTERM stopping them all.
 */
const METRICS_TOKEN = 'm'.repeat(40);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const times = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

/** The live processes whose parent is pid (Linux's /proc). */
function childrenOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`);

/** The worker (pid) that wrote the access line of each request id, from the JSON log on stdout. */
function answeredBy(server: ServerProcess): Map<string, number> {
  const byId = new Map<string, number>();
  for (const line of server.stdout().split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { reqId?: string; pid: number };
    if (entry.reqId) byId.set(entry.reqId, entry.pid);
  }
  return byId;
}

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function ok<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('two workers on one SQLite file (TESSERA_WORKERS=2)', () => {
  let dir: string;
  let server: ServerProcess;
  let session: ConsoleSession;
  let base: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-workers-'));
    server = await startServerProcess(path.join(dir, 'tessera.db'), { TESSERA_WORKERS: '2', TESSERA_LOG_LEVEL: 'info', TESSERA_METRICS_TOKEN: METRICS_TOKEN });
    base = server.base;
    ({ session } = await ConsoleSession.signIn(base));
  }, 60_000);
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function serviceUser(name: string) {
    const { userId } = await ok<{ userId: string }>(await session.call(base, 'POST', '/users/machine', { userName: name, name }));
    const { clientId, clientSecret } = await ok<{ clientId: string; clientSecret: string }>(await session.call(base, 'PUT', `/users/${userId}/secret`));
    await ok(await session.call(base, 'POST', '/orgs/me/members', { userId, roles: ['ORG_OWNER'] }));
    return { userId, clientId, clientSecret };
  }

  it('runs a primary and two workers, and both workers answer', async () => {
    expect(childrenOf(server.child.pid!)).toHaveLength(2);
    const ids = Array.from({ length: 20 }, (_, i) => `spread-${i}`);
    await times(20, (i) => fetch(`${base}/healthz`, { headers: { 'x-request-id': ids[i]! } }).then((r) => r.text()));
    await sleep(200);
    const pids = new Set(ids.map((id) => answeredBy(server).get(id)));
    expect(pids.size).toBe(2);
  });

  it('checks exactly 10 of 30 parallel wrong secrets for one client_id spread over the workers, and one scrape counts them all', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `guess-${i}`);
    const answers = await times(30, (i) => tokenOver(base, 'svc-spread', `wrong-${i}`, { 'x-request-id': ids[i]! }));
    expect(tally(answers)).toEqual({ 401: 10, 429: 20 });
    await sleep(200);
    expect(new Set(ids.map((id) => answeredBy(server).get(id))).size).toBe(2);
    // Each worker counted its own; the primary sums them for whichever worker the scrape reached.
    for (let i = 0; i < 4; i++) expect(await metric(base, 'tessera_throttled_total{gate="client"}')).toBe(20);
  });

  it('refuses the right secret on every worker once its client_id has met the limit through both', async () => {
    const { clientId, clientSecret } = await serviceUser('guessed-across');
    expect(tally(await times(10, (i) => tokenOver(base, clientId, `wrong-${i}`)))).toEqual({ 401: 10 });
    // Parallel, so the attempts reach both workers, each of which counted only some of the ten.
    expect(tally(await times(6, () => tokenOver(base, clientId, clientSecret)))).toEqual({ 429: 6 });
  });

  it('checks exactly 5 of 12 parallel wrong passwords for one user spread over the workers, and then refuses the right one', { timeout: 60_000 }, async () => {
    // The session signed in above stays valid; only new sign-ins as admin are refused from here on.
    expect(tally(await times(12, (i) => signInOver(base, 'admin', `wrong-password-${i}`)))).toEqual({ 401: 5, 429: 7 });
    expect(tally(await times(4, () => signInOver(base, 'admin', ADMIN_PASSWORD)))).toEqual({ 429: 4 });
  });

  it('refuses a token revoked through one worker on the other within 100 ms', async () => {
    const { userId, clientId, clientSecret } = await serviceUser('revoked-across');
    const { access_token: token } = await ok<{ access_token: string }>(await requestToken(base, clientId, clientSecret));
    // Both workers have served the token, so both hold it in their caches.
    expect(tally((await times(10, () => bearerOrgMe(base, token))).map((r) => ({ status: r.status }) as never))).toEqual({ 200: 10 });
    expect((await session.call(base, 'POST', `/users/${userId}/tokens/_revoke`, {})).status).toBe(200);
    const revokedAt = performance.now();
    let refusedAfter: number | undefined;
    while (performance.now() - revokedAt < 2_000) {
      const statuses = (await times(10, () => bearerOrgMe(base, token))).map((r) => r.status);
      if (statuses.every((s) => s === 401)) {
        refusedAfter = performance.now() - revokedAt;
        break;
      }
    }
    console.log(`revoked through one worker: refused by both after ${refusedAfter?.toFixed(1)} ms`);
    expect(refusedAfter).toBeLessThan(100);
  });

  it('lists the uses of a client secret counted by both workers at once, not after their 5 s flush', async () => {
    const { userId, clientId, clientSecret } = await serviceUser('counted-across');
    const ids = Array.from({ length: 24 }, (_, i) => `use-${i}`);
    expect(tally(await times(24, (i) => tokenOver(base, clientId, clientSecret, { 'x-request-id': ids[i]! })))).toEqual({ 200: 24 });
    const listed = await ok<{ result: { usesLast24h: string }[] }>(await session.call(base, 'POST', `/users/${userId}/secrets/_search`, {}));
    expect(listed.result.map((s) => s.usesLast24h)).toEqual(['24']);
    await sleep(200);
    expect(new Set(ids.map((id) => answeredBy(server).get(id))).size).toBe(2);
  });

  it('starts a new worker for one killed with SIGKILL under load, and keeps every write it acknowledged', async () => {
    const [victim] = childrenOf(server.child.pid!);
    const acknowledged: string[] = [];
    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; writing; i++) {
        const name = `kill-${w}-${i}`;
        const res = await session.call(base, 'POST', '/users/machine', { userName: name, name }).catch(() => undefined);
        if (res?.status === 200) acknowledged.push(((await res.json()) as { userId: string }).userId);
      }
    };
    const writers = times(4, writer);
    await sleep(500);
    process.kill(victim!, 'SIGKILL');
    await sleep(1_500);
    writing = false;
    await writers;

    expect(alive(victim!)).toBe(false);
    // The primary started a replacement; both serve again.
    await expect.poll(() => childrenOf(server.child.pid!).length, { timeout: 10_000 }).toBe(2);
    expect(acknowledged.length).toBeGreaterThan(10);
    for (const userId of acknowledged) expect((await session.call(base, 'GET', `/users/${userId}`)).status).toBe(200);
  });

  it('stops the primary and every worker on SIGTERM, with exit code 0', async () => {
    const workers = childrenOf(server.child.pid!);
    expect(workers).toHaveLength(2);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await expect.poll(() => workers.filter(alive), { timeout: 5_000 }).toEqual([]);
  });
});

describe('workers whose primary is killed', () => {
  it('stop by themselves rather than serve on as orphans', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-workers-'));
    const server = await startServerProcess(path.join(dir, 'tessera.db'), { TESSERA_WORKERS: '2' });
    try {
      const workers = childrenOf(server.child.pid!);
      expect(workers).toHaveLength(2);
      server.child.kill('SIGKILL');
      await expect.poll(() => workers.filter(alive), { timeout: 10_000 }).toEqual([]);
    } finally {
      server.child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.skipIf(!process.env.TESSERA_TEST_DATABASE_URL)('two workers on PostgreSQL (TESSERA_TEST_DATABASE_URL)', () => {
  it('share the failure counts and a revocation, as nodes on one database do', { timeout: 60_000 }, async () => {
    const db = await freshDatabase();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-workers-'));
    const server = await startServerProcess(path.join(dir, 'unused.db'), { TESSERA_WORKERS: '2', TESSERA_DATABASE_URL: db.url });
    try {
      expect(childrenOf(server.child.pid!)).toHaveLength(2);
      expect(tally(await times(30, (i) => tokenOver(server.base, 'svc-spread-pg', `wrong-${i}`)))).toEqual({ 401: 10, 429: 20 });
      const { session } = await ConsoleSession.signIn(server.base);
      const { userId } = await ok<{ userId: string }>(await session.call(server.base, 'POST', '/users/machine', { userName: 'pg-worker', name: 'pg-worker' }));
      const { clientId, clientSecret } = await ok<{ clientId: string; clientSecret: string }>(
        await session.call(server.base, 'PUT', `/users/${userId}/secret`),
      );
      await ok(await session.call(server.base, 'POST', '/orgs/me/members', { userId, roles: ['ORG_OWNER'] }));
      const { access_token: token } = await ok<{ access_token: string }>(await requestToken(server.base, clientId, clientSecret));
      expect((await times(10, () => bearerOrgMe(server.base, token))).map((r) => r.status)).toEqual(Array(10).fill(200));
      expect((await session.call(server.base, 'POST', `/users/${userId}/tokens/_revoke`, {})).status).toBe(200);
      // PostgreSQL's change feed (LISTEN, and a 500 ms poll) tells the other worker, as it tells other nodes.
      await expect
        .poll(async () => (await times(10, () => bearerOrgMe(server.base, token))).map((r) => r.status), { timeout: 1_000, interval: 20 })
        .toEqual(Array(10).fill(401));
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
      await dropDatabase(db.url);
    }
  });
});
