import { createPrivateKey, generateKeyPairSync, verify } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { timedTokenRequests } from './support/in-memory-request.js';
import { call, createServiceUser } from './support/service-users.js';
import { createTestApp, signIn, TEST_ENGINE, type TestApp } from './support/test-app.js';
import { interleavedTimes, median, splitHalf } from './support/timing-stats.js';

let t: TestApp;
afterEach(() => t?.cleanup());

const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('an unknown key id versus a forged signature in a JWT-profile assertion', () => {
  it('take the same time: medians differ by less than a quarter of a signature verification', { timeout: 120_000 }, async () => {
    // Each round on a fresh app: a leak in the code shows on every app; an artifact of one app's warm-up does not.
    const fixture = async () => {
      t = await createTestApp({ TESSERA_TRUST_PROXY: '1' });
      const admin = await signIn(t.app);
      const userId = await createServiceUser(admin, 'timing-keyed');
      const added = await call(admin, 'post', `/users/${userId}/keys`, { type: 'KEY_TYPE_JSON' }).expect(200);
      const keyId: string = added.body.keyId;
      const unknownKid = String(BigInt(keyId) + 7n); // as long as the real one
      const forged = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const issuer = t.ctx.config.issuer;
      const now = Math.floor(Date.now() / 1000);
      const sign = (kid: string, aud = issuer) =>
        new SignJWT({ iss: userId, sub: userId, aud, iat: now, exp: now + 3000 })
          .setProtectedHeader({ alg: 'RS256', kid })
          .sign(createPrivateKey(forged.privateKey.export({ type: 'pkcs8', format: 'pem' })));
      const body = async (kid: string, aud?: string) =>
        Buffer.from(new URLSearchParams({ grant_type: GRANT, scope: 'openid', assertion: await sign(kid, aud) }).toString());
      const kinds = {
        unknown: await body(unknownKid),
        forged: await body(keyId),
        // Control: refused on its claims, before any key is read or signature verified.
        skipsVerify: await body(keyId, `${issuer.replace(/.$/, 'x')}`),
      };
      const send = timedTokenRequests(t.app, 400);
      return { kinds, send, sign, keyId, forged };
    };
    let f = await fixture();

    // The yardstick, measured here now: one RS256 verification, as the server makes it.
    const [h, p, sig] = (await f.sign(f.keyId)).split('.');
    const verifyTimes: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const s = process.hrtime.bigint();
      verify('sha256', Buffer.from(`${h}.${p}`), f.forged.publicKey, Buffer.from(sig!, 'base64url'));
      verifyTimes.push(Number(process.hrtime.bigint() - s) / 1000);
    }
    const limit = median(verifyTimes) / 4;

    let report = '';
    for (let round = 0; round < 3; round++) {
      if (round > 0) {
        await t.cleanup();
        f = await fixture();
      }
      const { kinds, send } = f;
      const times = await interleavedTimes(kinds, send, { warmup: 300, turns: 1500 });
      const gap = Math.abs(median(times.unknown) - median(times.forged));
      const control = median(times.unknown) - median(times.skipsVerify);
      // As in security-client-enumeration.test.ts: on PostgreSQL a round trip's jitter sets what can be resolved.
      const resolution = TEST_ENGINE === 'pg' ? 3 * Math.max(splitHalf(times.unknown), splitHalf(times.forged)) : 0;
      const allowed = Math.max(limit, resolution);
      report += `round ${round}: verify ${(limit * 4).toFixed(1)} µs; medians unknown ${median(times.unknown).toFixed(1)}, forged ${median(times.forged).toFixed(1)}, skips verify ${median(times.skipsVerify).toFixed(1)} µs; gap ${gap.toFixed(1)}, allowed ${allowed.toFixed(1)}, control ${control.toFixed(1)}\n`;
      // A round counts only if the same yardstick sees a skipped lookup and verification: otherwise it was
      // too noisy to tell anything, and the next round measures again.
      if (control > allowed && gap < allowed) return;
    }
    expect.fail(`no round both saw a skipped verification and found an unknown key id and a forged signature within it:\n${report}`);
  });
});
