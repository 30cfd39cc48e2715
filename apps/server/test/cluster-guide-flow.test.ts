import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredBy, bearerOrgMe, ConsoleSession, requestToken, startPgCluster, type Cluster } from './support/cluster.js';

/**
 * The guide (Client Credentials with Service Users) through nginx in front of three nodes on one
 * PostgreSQL database: round robin sends consecutive requests to different nodes, so every step
 * after sign-in is answered by a node other than the one before, and each must see what the others
 * wrote: the session, the user, its secret, its role and the keys its token was signed or sealed with.
 */
const serverUrl = process.env.TESSERA_TEST_DATABASE_URL;
const hostPort = (url: string) => new URL(url).host;

describe.skipIf(!serverUrl)('the guide through nginx over three nodes on one PostgreSQL (TESSERA_TEST_DATABASE_URL)', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startPgCluster('cluster_guide');
  }, 60_000);
  afterAll(() => cluster?.stop(), 30_000);

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
    const { session } = await ConsoleSession.signIn(cluster.url);
    const seen = new Map<string, number>();
    let previous = '';
    let sameAsPrevious = 0;
    for (let i = 0; i < 30; i++) {
      // Writes too: the CSRF token made on one node is checked by another.
      const res =
        i % 2 === 0
          ? await session.call(cluster.url, 'GET', '/orgs/me')
          : await session.call(cluster.url, 'POST', '/users/_search', { query: { limit: 5 } });
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
