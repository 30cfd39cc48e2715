import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredBy, bearerOrgMe, ConsoleSession, requestToken, startPgCluster, type Cluster } from './support/cluster.js';

/**
 * Three nodes on one PostgreSQL database behind nginx, as docs/deploy/nginx.conf runs them.
 *
 * The guide (Client Credentials with Service Users): round robin sends consecutive requests to
 * different nodes, so every step after sign-in is answered by a node other than the one before, and
 * each must see what the others wrote: the session, the user, its secret, its role and the keys its
 * token was signed or sealed with.
 *
 * Races: the same command sent to all nodes at once must come out as it would on one node.
 * Uniqueness is decided by the database (its unique keys), not by a check in one process's memory,
 * and a lost race is the gateway's 409 ALREADY_EXISTS (code 6), never a 500.
 */
const serverUrl = process.env.TESSERA_TEST_DATABASE_URL;
const hostPort = (url: string) => new URL(url).host;

interface Answer {
  status: number;
  body: { code?: number; message?: string; userId?: string; clientSecret?: string };
}

describe.skipIf(!serverUrl)('three nodes on one PostgreSQL behind nginx (TESSERA_TEST_DATABASE_URL)', () => {
  let cluster: Cluster;
  let session: ConsoleSession;
  beforeAll(async () => {
    cluster = await startPgCluster('cluster_api');
    ({ session } = await ConsoleSession.signIn(cluster.url));
  }, 60_000);
  afterAll(() => cluster?.stop(), 30_000);

  describe('the guide, whichever node answers', () => {
    it('signs in, creates a service user with a secret and ORG_OWNER, gets a token and reads its org, whichever node answers', async () => {
      const nodes = cluster.nodeUrls.map(hostPort).sort();
      // Which node answered each step, in order; every step must succeed.
      const steps: { step: string; node: string }[] = [];
      const answered = async (step: string, res: Response, status = 200) => {
        const body = await res.text();
        expect(res.status, `${step}: ${body}`).toBe(status);
        steps.push({ step, node: answeredBy(res) });
        return body ? JSON.parse(body) : undefined;
      };

      const { session, res: signedIn } = await ConsoleSession.signIn(cluster.url);
      steps.push({ step: 'sign-in', node: answeredBy(signedIn) });

      const userName = 'guide-reporting';
      const { userId } = await answered('create', await session.call(cluster.url, 'POST', '/users/machine', { userName, name: 'Reporting job' }));
      expect(userId).toMatch(/^\d+$/);
      const { clientId, clientSecret } = await answered('secret', await session.call(cluster.url, 'PUT', `/users/${userId}/secret`));
      expect(clientId).toBe(userName);
      await answered('grant', await session.call(cluster.url, 'POST', '/orgs/me/members', { userId, roles: ['ORG_OWNER'] }));

      // The session itself, read on every node in turn: round robin puts each read on the next node.
      for (let i = 0; i < 3; i++) {
        const { user } = await answered(`session read ${i}`, await session.call(cluster.url, 'GET', `/users/${userId}`));
        expect(user).toMatchObject({ id: userId, userName, machine: { name: 'Reporting job' } });
      }

      const tokenRes = await requestToken(cluster.url, clientId, clientSecret);
      const token = await answered('token', tokenRes);
      expect(token).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
      expect(tokenRes.headers.get('cache-control')).toContain('no-store');

      // The token, checked on every node in turn (issued on one, verified by each).
      for (let i = 0; i < 3; i++) {
        const { org } = await answered(`orgs/me ${i}`, await bearerOrgMe(cluster.url, token.access_token));
        expect(org).toMatchObject({ name: 'Tessera' });
      }

      // Consecutive requests went to different nodes, and every node took part in both the session and the token.
      const sessionNodes = new Set(steps.filter((s) => !s.step.startsWith('orgs/me') && s.step !== 'token').map((s) => s.node));
      const tokenNodes = new Set(steps.filter((s) => s.step.startsWith('orgs/me')).map((s) => s.node));
      expect([...sessionNodes].sort()).toEqual(nodes);
      expect([...tokenNodes].sort()).toEqual(nodes);
      const switches = steps.slice(1).filter((s, i) => s.node !== steps[i]!.node).length;
      expect(switches).toBe(steps.length - 1);
      console.log(`guide flow: ${steps.map((s) => `${s.step}@${s.node.split(':')[1]}`).join(' -> ')}`);
    });

    it('keeps serving the session whichever node answers, over many consecutive requests', async () => {
      const seen = new Map<string, number>();
      let previous = '';
      let sameAsPrevious = 0;
      for (let i = 0; i < 30; i++) {
        // Writes too: the CSRF token made on one node is checked by another.
        const res =
          i % 2 === 0 ? await session.call(cluster.url, 'GET', '/orgs/me') : await session.call(cluster.url, 'POST', '/users/_search', { query: { limit: 5 } });
        expect(res.status, await res.clone().text()).toBe(200);
        const node = answeredBy(res);
        seen.set(node, (seen.get(node) ?? 0) + 1);
        if (node === previous) sameAsPrevious++;
        previous = node;
      }
      expect([...seen.keys()].sort()).toEqual(cluster.nodeUrls.map(hostPort).sort());
      expect(sameAsPrevious).toBe(0);
    });
  });

  describe('the same command sent to every node at once', () => {
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

    it('creates every one of 4 x 75 parallel service users with distinct names, whichever nodes make them in the same millisecond', async () => {
      // Each node makes ids from its clock and a counter of its own: two nodes creating a user in the
      // same millisecond must not be told that a name nobody holds already exists.
      const answers: Answer[] = [];
      // Bursts of 25 per node: enough for ids made in one millisecond on several nodes, and little
      // enough that no create waits out its node's connection pool on a busy machine.
      for (const round of [0, 1, 2, 3]) {
        answers.push(
          ...(await Promise.all(
            Array.from({ length: 75 }, async (_, i) => {
              const res = await session.call(cluster.nodeUrls[i % 3]!, 'POST', '/users/machine', { userName: `many-${round}-${i}`, name: `many ${i}` });
              return { status: res.status, body: (await res.json()) as Answer['body'] };
            }),
          )),
        );
      }
      const refused = answers.filter((a) => a.status !== 200);
      expect(refused.length, `${refused.length} refused, e.g. ${JSON.stringify(refused[0])}`).toBe(0);
      expect(new Set(answers.map((a) => a.body.userId)).size).toBe(300);
    });

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
});
