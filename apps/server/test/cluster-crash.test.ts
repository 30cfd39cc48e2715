import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredBy, ConsoleSession, requestToken, startPgCluster, type Cluster } from './support/cluster.js';

/**
 * A node SIGKILLed in the middle of a stream of writes and token requests through nginx, three nodes
 * on one PostgreSQL database. What a node acknowledged was committed, so it is there afterwards
 * whichever node is asked; the other nodes keep answering; only what nginx had already handed to
 * the dying node may fail (a POST it sent is not retried elsewhere: docs/deploy/nginx.conf); and the
 * node rejoins when it starts again.
 */
const serverUrl = process.env.TESSERA_TEST_DATABASE_URL;
const hostPort = (url: string) => new URL(url).host;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const WRITERS = 4;
const TOKEN_LANES = 2;
const BEFORE_KILL_MS = 1_000;
const AFTER_KILL_MS = 1_500;

interface Outcome {
  lane: 'write' | 'token';
  /**
   * The HTTP status; 'cut short' when the headers came and the body did not (the console session's
   * middleware sends all but the last byte of a response before it saves the session, so a node
   * killed in that moment leaves a 200 without its end); 'no answer' when nothing came back.
   */
  status: number | 'cut short' | 'no answer';
  /** X-Upstream: every node nginx tried, in order. */
  upstream: string;
  /** The node that answered (the last one tried). */
  node: string;
  sentAt: number;
  doneAt: number;
  /** For a failure: the username written, and the answer or the error. */
  detail?: string;
}

describe.skipIf(!serverUrl)('a node killed mid-stream, three nodes on one PostgreSQL (TESSERA_TEST_DATABASE_URL)', () => {
  let cluster: Cluster;
  let session: ConsoleSession;
  beforeAll(async () => {
    cluster = await startPgCluster('cluster_crash');
    ({ session } = await ConsoleSession.signIn(cluster.url));
  }, 60_000);
  afterAll(() => cluster?.stop(), 30_000);

  it('keeps every acknowledged write, fails only what was in flight on the killed node, and takes the node back', async () => {
    const created = await session.call(cluster.url, 'POST', '/users/machine', { userName: 'crash-token-client', name: 'tokens' });
    const { userId: clientUser } = (await created.json()) as { userId: string };
    const { clientId, clientSecret } = (await (await session.call(cluster.url, 'PUT', `/users/${clientUser}/secret`)).json()) as {
      clientId: string;
      clientSecret: string;
    };

    const victim = 1;
    const victimHost = hostPort(cluster.nodeUrls[victim]!);
    const acked = new Map<string, string>(); // userId -> userName, for every create answered 200
    const outcomes: Outcome[] = [];
    let stop = false;

    const record = async (lane: Outcome['lane'], send: () => Promise<Response>, what = ''): Promise<{ status: number; body: string } | undefined> => {
      const sentAt = performance.now();
      let res: Response | undefined;
      try {
        res = await send();
        const body = await res.text();
        const upstream = res.headers.get('x-upstream') ?? '';
        // nginx's own 502 page says nothing more; a node's error body does.
        const detail = res.status === 200 ? undefined : `${what} ${res.status === 502 ? '' : body.slice(0, 120)}`.trim();
        outcomes.push({ lane, status: res.status, upstream, node: answeredBy(res), sentAt, doneAt: performance.now(), detail });
        return { status: res.status, body };
      } catch (err) {
        const cause = (err as Error & { cause?: Error & { code?: string } }).cause;
        const detail = `${what} ${res ? `${res.status}, body cut short` : 'no answer'}: ${(err as Error).message} ${cause?.code ?? ''}`;
        const upstream = res?.headers.get('x-upstream') ?? '';
        outcomes.push({ lane, status: res ? 'cut short' : 'no answer', upstream, node: res ? answeredBy(res) : '', sentAt, doneAt: performance.now(), detail });
        return undefined;
      }
    };
    const writer = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        const userName = `crash-${lane}-${i}`;
        const res = await record('write', () => session.call(cluster.url, 'POST', '/users/machine', { userName, name: userName }), userName);
        if (res?.status === 200) acked.set((JSON.parse(res.body) as { userId: string }).userId, userName);
      }
    };
    const tokens = async () => {
      while (!stop) await record('token', () => requestToken(cluster.url, clientId, clientSecret));
    };

    const lanes = [...Array.from({ length: WRITERS }, (_, i) => writer(i)), ...Array.from({ length: TOKEN_LANES }, tokens)];
    await sleep(BEFORE_KILL_MS);
    const killAt = performance.now();
    await cluster.kill(victim);
    const deadAt = performance.now();
    await sleep(AFTER_KILL_MS);
    stop = true;
    await Promise.all(lanes);

    const failed = outcomes.filter((o) => o.status !== 200);
    const summary = `${outcomes.length} requests (${acked.size} users created), ${failed.length} failed: ${JSON.stringify(
      failed.map((f) => ({ ...f, sentAt: Math.round(f.sentAt - killAt), doneAt: Math.round(f.doneAt - killAt) })),
    )}`;
    console.log(`kill -9 mid-stream: ${summary}; the kill took ${Math.round(deadAt - killAt)} ms`);
    if (failed.length) console.log(`nginx said: ${cluster.nginxOutput().slice(-2000)}`);

    // Only requests nginx had handed to the dying node fail: each a 502 or an answer cut short from
    // it alone, sent before it was gone (a SIGKILLed process keeps its sockets until the kernel has
    // torn it down, so nginx may still hand it a request or two in that time). Once it is gone,
    // nothing fails: nginx moves a refused connection on to a live node, POSTs included. nginx
    // itself always answers.
    for (const f of failed) {
      expect([502, 'cut short'], summary).toContain(f.status);
      expect(f.node, summary).toBe(victimHost);
      expect(f.sentAt, summary).toBeLessThan(deadAt);
    }

    // Before the kill every node served; after it the others kept answering, writes and tokens alike.
    const before = outcomes.filter((o) => o.doneAt < killAt);
    expect(new Set(before.map((o) => o.node)).size).toBe(3);
    const after = outcomes.filter((o) => o.sentAt > deadAt);
    for (const lane of ['write', 'token']) {
      const ok = after.filter((o) => o.lane === lane && o.status === 200);
      expect(ok.length, `${lane}s answered after the kill`).toBeGreaterThanOrEqual(5);
      expect(ok.every((o) => o.node !== victimHost)).toBe(true);
    }

    // Every acknowledged write is there, read through a node that never went down.
    const survivor = cluster.nodeUrls[2]!;
    const entries = [...acked];
    for (let i = 0; i < entries.length; i += 20) {
      const found = await Promise.all(
        entries.slice(i, i + 20).map(async ([userId, userName]) => {
          const res = await session.call(survivor, 'GET', `/users/${userId}`);
          return res.status === 200 ? ((await res.json()) as { user: { userName: string } }).user.userName === userName : false;
        }),
      );
      expect(
        found.filter((f) => !f),
        'acknowledged users missing',
      ).toHaveLength(0);
    }

    // The killed node starts again on the same database and serves, directly and through nginx.
    await cluster.restart(victim);
    const direct = cluster.nodeUrls[victim]!;
    const [someUser, someName] = entries[entries.length - 1]!;
    const read = await session.call(direct, 'GET', `/users/${someUser}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { user: { userName: string } }).user.userName).toBe(someName);
    expect((await requestToken(direct, clientId, clientSecret)).status).toBe(200);
    const until = performance.now() + 10_000;
    let rejoined = false;
    while (!rejoined && performance.now() < until) {
      const res = await session.call(cluster.url, 'POST', '/users/machine', { userName: `crash-after-${Math.round(performance.now())}`, name: 'after' });
      expect(res.status).toBe(200);
      rejoined = answeredBy(res) === victimHost;
      if (!rejoined) await sleep(100);
    }
    expect(rejoined, 'nginx sends requests to the restarted node again').toBe(true);
  }, 60_000);
});
