import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleSession, requestToken, startPgCluster, type Cluster } from './support/cluster.js';

/**
 * Three nodes on one PostgreSQL database, each with its own connections: the same command sent to
 * all of them at once must come out as it would on one node. Uniqueness is decided by the database
 * (its unique keys), not by a check in one process's memory, and a lost race is the gateway's 409
 * ALREADY_EXISTS (code 6), never a 500.
 */
const serverUrl = process.env.TESSERA_TEST_DATABASE_URL;

interface Answer {
  status: number;
  body: { code?: number; message?: string; userId?: string; clientSecret?: string };
}

describe.skipIf(!serverUrl)('concurrent commands across three nodes on one PostgreSQL (TESSERA_TEST_DATABASE_URL)', () => {
  let cluster: Cluster;
  let session: ConsoleSession;
  beforeAll(async () => {
    cluster = await startPgCluster('cluster_race');
    ({ session } = await ConsoleSession.signIn(cluster.url));
  }, 60_000);
  afterAll(() => cluster?.stop(), 30_000);

  /** n copies of one call, all sent at once, request i to node i mod 3. */
  async function onEveryNode(n: number, method: string, path: string, body?: unknown): Promise<Answer[]> {
    return Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const res = await session.call(cluster.nodeUrls[i % cluster.nodeUrls.length]!, method, path, body);
        return { status: res.status, body: (await res.json()) as Answer['body'] };
      }),
    );
  }

  const statuses = (answers: Answer[]) => answers.map((a) => a.status).sort();
  const lost = (answers: Answer[]) => answers.filter((a) => a.status !== 200);

  it('creates one service user from 50 parallel creates of one username: one 200, 49 ALREADY_EXISTS', async () => {
    const answers = await onEveryNode(50, 'POST', '/users/machine', { userName: 'race-created', name: 'race' });
    expect(statuses(answers)).toEqual([...Array(1).fill(200), ...Array(49).fill(409)]);
    for (const a of lost(answers)) expect(a.body).toMatchObject({ code: 6 });

    const winner = answers.find((a) => a.status === 200)!.body.userId!;
    const found = await session.call(cluster.url, 'POST', '/users/_search', {
      queries: [{ userNameQuery: { userName: 'race-created', method: 'TEXT_QUERY_METHOD_EQUALS' } }],
    });
    expect(found.status).toBe(200);
    const { result } = (await found.json()) as { result: { id: string }[] };
    expect(result.map((u) => u.id)).toEqual([winner]);
  });

  it('leaves exactly one working secret after 50 parallel generations for one user', async () => {
    const created = await session.call(cluster.url, 'POST', '/users/machine', { userName: 'race-secret', name: 'race' });
    const { userId } = (await created.json()) as { userId: string };
    const answers = await onEveryNode(50, 'PUT', `/users/${userId}/secret`);
    // Each generation replaces the one before it, so every one of them succeeds.
    expect(statuses(answers)).toEqual(Array(50).fill(200));
    const secrets = answers.map((a) => a.body.clientSecret!);
    expect(new Set(secrets).size).toBe(50);

    // Each secret tried on its own node; the throttle counts failures per (client_id, address), so
    // each try comes from an address of its own (X-Forwarded-For, trusted from one proxy).
    const tries = await Promise.all(
      secrets.map(async (secret, i) => {
        const res = await requestToken(cluster.nodeUrls[i % 3]!, 'race-secret', secret, { forwardedFor: `10.9.0.${i + 1}` });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(tries.filter((s) => s === 200)).toHaveLength(1);
    expect(tries.filter((s) => s === 401)).toHaveLength(49);
    // The one that works, works on every node.
    const working = secrets[tries.indexOf(200)]!;
    for (const [n, node] of cluster.nodeUrls.entries()) {
      expect((await requestToken(node, 'race-secret', working, { forwardedFor: `10.9.1.${n + 1}` })).status).toBe(200);
    }
  });

  it('grants a manager role once from 30 parallel grants for one user: one 200, 29 ALREADY_EXISTS', async () => {
    const created = await session.call(cluster.url, 'POST', '/users/machine', { userName: 'race-member', name: 'race' });
    const { userId } = (await created.json()) as { userId: string };
    const answers = await onEveryNode(30, 'POST', '/orgs/me/members', { userId, roles: ['ORG_USER_MANAGER'] });
    expect(statuses(answers)).toEqual([...Array(1).fill(200), ...Array(29).fill(409)]);
    for (const a of lost(answers)) expect(a.body).toMatchObject({ code: 6 });

    const members = await session.call(cluster.url, 'POST', '/orgs/me/members/_search', {});
    expect(members.status).toBe(200);
    const { result } = (await members.json()) as { result: { userId: string; roles: string[] }[] };
    expect(result.filter((m) => m.userId === userId)).toEqual([expect.objectContaining({ userId, roles: ['ORG_USER_MANAGER'] })]);
  });
});
