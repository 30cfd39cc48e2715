import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevocationList } from '../src/domain/tokens/revocations.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { basic, createClient, GUIDE_SCOPE, type Client } from './support/tokens.js';

// Any service user with a secret, and no role at all, may revoke its own tokens (RFC 7009), a few
// hundred a second. Each revocation is remembered until the token would have expired, so without a
// bound one client could make the server hold millions of them, in memory and on disk.

/** Live individual revocations a client may hold (REVOCATIONS_PER_CLIENT, as SECURITY.md states it). */
const PER_CLIENT = 1000;

let t: TestApp;
let s: SignedIn;
let server: http.Server;
let base: string;
const lines: string[] = [];
beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  t = await createTestApp({ TESSERA_LOG_LEVEL: 'warn' }, undefined, sink);
  s = await signIn(t.app);
  server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.cleanup();
});

async function post(path: string, c: Client, body: Record<string, string>): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { Authorization: basic(c.clientId, c.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
}

/** Runs fn over items, 16 requests in flight at a time. */
async function parallel<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return out;
}

/** Tokens as the token endpoint issues them to a client that has not revoked them all yet (generation 0), without its round trips. */
async function issued(c: Client, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const req = { userId: c.userId, clientId: c.clientId, orgId: s.whoami.orgId, tokenType: 'ACCESS_TOKEN_TYPE_BEARER' as const, scope: [], aud: [c.clientId] };
    out.push((await t.ctx.tokens.issue(req)).accessToken);
  }
  return out;
}
async function tokens(c: Client, n: number): Promise<string[]> {
  return parallel(Array.from({ length: n }), async () => {
    const res = await post('/oauth/v2/token', c, { grant_type: 'client_credentials', scope: GUIDE_SCOPE });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  });
}
const revoke = (c: Client, all: string[]) =>
  parallel(all, async (token) => {
    const res = await post('/oauth/v2/revoke', c, { token });
    // RFC 7009 2.2: 200 and the same body, whether one token or all of them were revoked.
    expect([res.status, await res.text()]).toEqual([200, '{}']);
  });
const active = async (c: Client, token: string) => ((await (await post('/oauth/v2/introspect', c, { token })).json()) as { active: boolean }).active;
const count = async (sql: string, params: unknown[] = []) => (await t.storage.one<{ n: number }>(sql, params))!.n;
const rows = () => count('SELECT count(*) AS n FROM revoked_tokens');

describe('revocations by one client (RFC 7009), over a real socket', () => {
  it(`hold at most ${PER_CLIENT} rows; past that, every token the client holds is revoked instead`, { timeout: 120_000 }, async () => {
    // A service user with a secret and no role: all it needs to revoke its own tokens.
    const c = await createClient(s, 'revoker');
    const [bystander] = await tokens(c, 1);
    const first = await issued(c, PER_CLIENT);
    await revoke(c, first);
    expect(await rows()).toBe(PER_CLIENT);
    expect(await active(c, bystander!)).toBe(true);
    expect(await active(c, first[0]!)).toBe(false);
    expect(lines.filter((l) => l.includes('revocation'))).toEqual([]);

    const more = [...(await tokens(c, 10)), ...(await issued(c, 40))];
    await revoke(c, more);
    expect(await rows()).toBeLessThanOrEqual(PER_CLIENT);
    // Every token issued before the limit was reached is refused, revoked on its own or not.
    for (const token of [bystander!, ...first.slice(0, 20), ...more]) expect(await active(c, token)).toBe(false);
    const warned = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => String(l.msg).includes('revocation'));
    expect(warned).toEqual([expect.objectContaining({ level: 40, userId: c.userId, clientId: 'revoker' })]);
    expect(lines.join('\n')).not.toContain(bystander!);

    // The client goes on: new tokens work, and can be revoked one by one again.
    const [fresh, next] = await tokens(c, 2);
    expect(await active(c, fresh!)).toBe(true);
    await revoke(c, [next!]);
    expect([await active(c, fresh!), await active(c, next!)]).toEqual([true, false]);
    expect(await rows()).toBeLessThanOrEqual(PER_CLIENT);
  });
});

describe('the revocation list', () => {
  let users: string[];
  beforeAll(async () => {
    users = [];
    for (let i = 0; i < 4; i++) users.push((await createClient(s, `many-${i}`)).userId);
  });
  const generation = async (userId: string) =>
    (await t.storage.one<{ token_generation: number }>('SELECT token_generation FROM users WHERE id = ?', [userId]))!.token_generation;
  const clear = () => t.storage.command((tx) => tx.run('DELETE FROM revoked_tokens'));
  const exp = () => Math.floor(Date.now() / 1000) + 3600;
  let n = 0;
  const jti = () => `jti-${++n}`.padEnd(22, '_');

  it('never holds more than its bounds, per client and in total, and never forgets a revocation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }), async (who) => {
        await clear();
        const list = await RevocationList.open(t.storage, { perClient: 3, total: 7 });
        const revoked: { jti: string; userId: string; generation: number }[] = [];
        for (const i of who) {
          const userId = users[i]!;
          const r = { jti: jti(), userId, generation: await generation(userId) };
          await list.revoke(r.jti, exp(), userId);
          revoked.push(r);
          expect(list.size).toBeLessThanOrEqual(7);
          expect(await rows()).toBe(list.size);
          for (const u of users) {
            expect(await count('SELECT count(*) AS n FROM revoked_tokens WHERE user_id = ?', [u])).toBeLessThanOrEqual(3);
          }
          // Each revoked token is still refused: listed, or its user's generation has moved past it.
          for (const p of revoked) expect(list.has(p.jti) || (await generation(p.userId)) > p.generation).toBe(true);
        }
        list.close();
      }),
      { numRuns: 60 },
    );
  });

  it("counts a client's revocations again after a restart", async () => {
    await clear();
    const u = users[0]!;
    const before = await RevocationList.open(t.storage, { perClient: 3, total: 100 });
    for (let i = 0; i < 3; i++) expect(await before.revoke(jti(), exp(), u)).toBe('one');
    before.close();
    const g = await generation(u);
    const after = await RevocationList.open(t.storage, { perClient: 3, total: 100 });
    expect(after.size).toBe(3);
    expect(await after.revoke(jti(), exp(), u)).toBe('all');
    expect(await generation(u)).toBe(g + 1);
    expect(after.size).toBe(0);
    after.close();
  });
});
