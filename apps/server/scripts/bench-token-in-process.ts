/**
 * What Tessera's own code costs per request, without node:http, the socket or the kernel: requests handed
 * straight to the app's listener (test/support/in-memory-request.ts), one at a time, on a real SQLite file.
 *
 *   cd apps/server && npx tsx scripts/bench-token-in-process.ts [requests=20000]
 *
 * CPU is the process's user + system time over the measured requests (process.cpuUsage), so it is a lower
 * bound of what the same request costs through `pnpm bench`: the difference is the HTTP stack and the
 * loopback. The access line and metrics are off (log level silent, no metrics token), as in the tests.
 */
import { inMemoryRequest } from '../test/support/in-memory-request.js';
import { createTestApp, signIn } from '../test/support/test-app.js';
import { basic, createClient, type Client } from '../test/support/tokens.js';

const N = Number(process.argv[2] ?? 20_000);
const FORM = 'application/x-www-form-urlencoded';
const SCOPE = Buffer.from('grant_type=client_credentials&scope=openid%20urn%3Azitadel%3Aiam%3Aorg%3Aproject%3Aid%3Azitadel%3Aaud');

const t = await createTestApp();
try {
  const admin = await signIn(t.app);
  const opaque = await createClient(admin, 'in-process-opaque');
  const jwt = await createClient(admin, 'in-process-jwt', 'ACCESS_TOKEN_TYPE_JWT');
  await admin.agent
    .post('/management/v1/orgs/me/members')
    .set('x-csrf-token', admin.csrf)
    .send({ userId: opaque.userId, roles: ['ORG_OWNER'] })
    .expect(200);

  const token = (c: Client) => () =>
    inMemoryRequest(t.app, 'POST', '/oauth/v2/token', { 'content-type': FORM, authorization: basic(c.clientId, c.clientSecret) }, SCOPE);
  const first = await token(opaque)();
  const accessToken = (JSON.parse(first.body) as { access_token: string }).access_token;
  const orgsMe = () => inMemoryRequest(t.app, 'GET', '/management/v1/orgs/me', { authorization: `Bearer ${accessToken}` }, Buffer.alloc(0));

  console.log(`${N} sequential requests each, after ${N / 10} to warm up; node ${process.version}`);
  for (const [name, send] of [
    ['token (opaque)', token(opaque)],
    ['token (JWT)', token(jwt)],
    ['orgs/me (opaque token)', orgsMe],
  ] as const) {
    for (let i = 0; i < N / 10; i++) await send();
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const a = await send();
      if (a.status !== 200) throw new Error(`${name}: ${a.status} ${a.body}`);
    }
    const wall = Number(process.hrtime.bigint() - start) / 1000 / N;
    const used = process.cpuUsage(cpu);
    console.log(
      `${name.padEnd(24)} CPU ${((used.user + used.system) / N).toFixed(1)} µs/req (user ${(used.user / N).toFixed(1)}, system ${(used.system / N).toFixed(1)}), wall ${wall.toFixed(1)} µs/req`,
    );
  }
} finally {
  await t.cleanup();
}
