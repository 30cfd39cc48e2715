import { randomBytes, timingSafeEqual } from 'node:crypto';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { hashClientSecret } from '../src/domain/secrets/hash.js';
import { timedTokenRequests } from './support/in-memory-request.js';
import { call } from './support/service-users.js';
import { createTestApp, signIn, TEST_ENGINE, type TestApp } from './support/test-app.js';
import { interleavedTimes, median, splitHalf, trimmedMean } from './support/timing-stats.js';
import { basic, createClient, type Client } from './support/tokens.js';

let t: TestApp;
afterEach(() => t?.cleanup());

const SCOPE = 'grant_type=client_credentials&scope=openid';

/** What a client can see of an answer, less what differs on every response anyway. */
function visible(res: request.Response) {
  const { date: _date, 'x-request-id': _id, ...headers } = res.headers;
  return { status: res.status, headers, body: res.text };
}

describe('unknown client versus wrong secret at the token endpoint', () => {
  it('answer alike over HTTP: status, headers and body, with either authentication method', async () => {
    t = await createTestApp();
    const admin = await signIn(t.app);
    const client = await createClient(admin, 'enum-client');
    await call(admin, 'post', '/users/machine', { userName: 'enum-nosecret', name: 'x' }).expect(200);
    const gone = await createClient(admin, 'enum-deleted');
    await call(admin, 'delete', `/users/${gone.userId}`).expect(200);

    const secret = randomBytes(32).toString('hex').slice(0, 64);
    const attempts: [string, string][] = [
      ['an unknown client', 'enum-nobody'],
      ['a wrong secret', client.clientId],
      ['a client without a secret', 'enum-nosecret'],
      ['a deleted client', gone.clientId],
      ['a human user', 'admin'],
    ];
    const answers = [];
    for (const [, clientId] of attempts) {
      answers.push(visible(await request(t.app).post('/oauth/v2/token').set('Authorization', basic(clientId, secret)).type('form').send(SCOPE)));
      answers.push(visible(await request(t.app).post('/oauth/v2/token').type('form').send(`${SCOPE}&client_id=${clientId}&client_secret=${secret}`)));
    }
    expect(answers[0]).toMatchObject({ status: 401, body: '{"error":"invalid_client","error_description":"client authentication failed"}' });
    for (const a of answers) expect(a).toEqual(answers[0]);
  });

  it('never authenticates a client_id that does not exist, even with the secret of the row read in its place', async () => {
    t = await createTestApp();
    const admin = await signIn(t.app);
    const clients: Client[] = [];
    for (const name of ['decoy-a', 'decoy-b', 'decoy-c']) clients.push(await createClient(admin, name));
    const token = (clientId: string, secret: string) =>
      request(t.app).post('/oauth/v2/token').type('form').send(`${SCOPE}&client_id=${clientId}&client_secret=${secret}`);
    for (const c of clients) await token('no-such-client', c.clientSecret).expect(401);
    // Remove whichever row serves as the decoy now; the next lookups pick another.
    await call(admin, 'delete', `/users/${clients[0]!.userId}`).expect(200);
    for (const c of clients) await token('no-such-client', c.clientSecret).expect(401);
    await token(clients[1]!.clientId, clients[1]!.clientSecret).expect(200);
    await token(clients[0]!.clientId, clients[0]!.clientSecret).expect(401);
  });

  it(
    'take the same time: over thousands of interleaved requests, medians differ by less than half an HMAC',
    { timeout: TEST_ENGINE === 'pg' ? 150_000 : 60_000 },
    async () => {
      t = await createTestApp({ TESSERA_TRUST_PROXY: '1' });
      const client = await createClient(await signIn(t.app), 'timing-client');
      const wrong = 'w'.repeat(64);
      const kinds = {
        unknown: Buffer.from(`${SCOPE}&client_id=nobody-client&client_secret=${wrong}`), // same lengths as the real one
        wrong: Buffer.from(`${SCOPE}&client_id=${client.clientId}&client_secret=${wrong}`),
        // Control: without a secret nothing is looked up, so this kind skips the database read.
        skipsLookup: Buffer.from(`${SCOPE}&client_id=${client.clientId}`),
      };
      const send = timedTokenRequests(t.app, 401);

      // The yardstick, measured on this machine now: what skipping the HMAC would save.
      const key = randomBytes(32);
      const stored = hashClientSecret(key, 'x'.repeat(64));
      const hmacTimes: number[] = [];
      for (let i = 0; i < 20_000; i++) {
        const s = process.hrtime.bigint();
        timingSafeEqual(hashClientSecret(key, wrong), stored);
        hmacTimes.push(Number(process.hrtime.bigint() - s) / 1000);
      }
      const hmac = median(hmacTimes);
      const limit = hmac / 2;

      // A real difference shows in every round; noise on a busy machine rarely twice. Up to 3 rounds, 5 on
      // PostgreSQL, where each lookup also waits for the turn's batch (oauth/client-lookup.ts): more jitter,
      // and a round of 15,000 requests there takes about 20 s on a loaded machine.
      let report = '';
      for (let round = 0; round < (TEST_ENGINE === 'pg' ? 5 : 3); round++) {
        const times = await interleavedTimes(kinds, send, { warmup: 1000, turns: 4000 });
        const gap = Math.abs(median(times.unknown) - median(times.wrong));
        const trimmedGap = Math.abs(trimmedMean(times.unknown) - trimmedMean(times.wrong));
        const control = median(times.unknown) - median(times.skipsLookup);
        // On PostgreSQL each request waits for a round trip to another process, whose jitter alone moves a
        // median by several µs between two halves of one kind's own samples. A gap within what the
        // measurement resolves (three times that split-half spread) is no signal; on SQLite the yardstick
        // stays half an HMAC.
        const resolution = TEST_ENGINE === 'pg' ? 3 * Math.max(splitHalf(times.unknown), splitHalf(times.wrong)) : 0;
        const allowed = Math.max(limit, resolution);
        report += `round ${round}: hmac ${hmac.toFixed(2)} µs; medians unknown ${median(times.unknown).toFixed(2)}, wrong ${median(times.wrong).toFixed(2)}, skips lookup ${median(times.skipsLookup).toFixed(2)} µs; gap ${gap.toFixed(2)}, trimmed gap ${trimmedGap.toFixed(2)}, allowed ${allowed.toFixed(2)}, control ${control.toFixed(2)}\n`;
        // A round counts only if the same yardstick sees a skipped database read: otherwise it was too noisy
        // to tell anything, and the next round measures again.
        if (control > allowed && gap < allowed && trimmedGap < allowed) return;
      }
      expect.fail(`no round both saw a skipped lookup and found unknown client and wrong secret within it:\n${report}`);
    },
  );
});
