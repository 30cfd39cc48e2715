import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tessera } from './support/keys.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { accessToken, createClient, grantOrgRoles, type Client } from './support/tokens.js';

// PostgreSQL only: three apps on one database are three nodes, each with its own keys in memory and
// its own change feed. SQLite serves one process.
const run = process.env.TESSERA_TEST_ENGINE === 'pg' ? describe : describe.skip;

const kidOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
const published = async (node: TestApp) =>
  ((await request(node.app).get('/oauth/v2/keys').expect(200)).body as { keys: { kid: string }[] }).keys.map((k) => k.kid);

run('a signing key rotated while three nodes serve', () => {
  let nodes: TestApp[];
  let client: Client;
  beforeAll(async () => {
    const first = await createTestApp();
    const others = [
      await createTestApp({ TESSERA_DATABASE_URL: first.config.databaseUrl! }),
      await createTestApp({ TESSERA_DATABASE_URL: first.config.databaseUrl! }),
    ];
    nodes = [first, ...others];
    const admin = await signIn(first.app);
    client = await createClient(admin, 'rotation-watcher', 'ACCESS_TOKEN_TYPE_JWT');
    await grantOrgRoles(first.storage, admin.whoami.orgId, client.userId, ['ORG_OWNER']);
  });
  afterAll(async () => {
    for (const n of (nodes ?? []).reverse()) await n.cleanup();
  });

  it("is in every node's JWKS before any node signs a token with it", { timeout: 30_000 }, async () => {
    const oldKid = kidOf(await accessToken(nodes[0]!.app, client));
    const r = await tessera(['rotate-key', 'signing'], { TESSERA_DATABASE_URL: nodes[0]!.config.databaseUrl! });
    expect(r.code).toBe(0);
    const newKid = /^New signing key (\S+)/.exec(r.stdout)![1]!;
    const start = Date.now();
    const publishedAt: (number | undefined)[] = nodes.map(() => undefined);
    let firstSigned: number | undefined;
    // Watch every node's JWKS and tokens from every node until each has signed with the new key.
    const signedBy = new Set<number>();
    while (signedBy.size < nodes.length && Date.now() - start < 10_000) {
      await Promise.all(
        nodes.map(async (node, i) => {
          if (publishedAt[i] === undefined && (await published(node)).includes(newKid)) publishedAt[i] = Date.now() - start;
          const token = await accessToken(node.app, client);
          if (kidOf(token) === newKid) {
            firstSigned ??= Date.now() - start;
            signedBy.add(i);
          } else {
            expect(kidOf(token)).toBe(oldKid);
          }
        }),
      );
    }
    console.log(`rotation across 3 nodes: published at ${publishedAt.join(', ')} ms, first signature at ${firstSigned} ms`);
    expect(signedBy.size).toBe(nodes.length);
    for (const at of publishedAt) expect(at).toBeLessThan(firstSigned!);
    // With room to spare: more than the change feed's p99 (tens of ms) between the last JWKS and the first signature.
    expect(firstSigned! - Math.max(...(publishedAt as number[]))).toBeGreaterThan(500);
    // A token signed with the new key on one node is accepted by every other.
    const fresh = await accessToken(nodes[1]!.app, client);
    for (const node of nodes) await request(node.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${fresh}`).expect(200);
  });
});
