import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashClientSecret, matchClientSecret } from '../src/domain/secrets/hash.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { basic, createClient, tokenRequest, type Client } from './support/tokens.js';

// The real matcher, observed: unknown clients must cost the same work as known ones.
vi.mock('../src/domain/secrets/hash.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/domain/secrets/hash.js')>();
  return { ...actual, matchClientSecret: vi.fn(actual.matchClientSecret) };
});

let t: TestApp;
let s: SignedIn;
let svc: Client;
beforeAll(async () => {
  t = await createTestApp({ TESSERA_TRUST_PROXY: '1' });
  s = await signIn(t.app);
  svc = await createClient(s, 'svc');
});
afterAll(() => t.cleanup());

/** Gives a service user a secret of our choosing, as if generated, so encoding edge cases can be tried. */
async function setSecret(userId: string, secret: string): Promise<void> {
  const hash = hashClientSecret(t.ctx.secretKey.current.key, secret);
  await t.storage.command((tx) => tx.run('UPDATE machine_secrets SET hash = ? WHERE user_id = ?', [hash, userId]));
}

let address = 0;
/** Each test speaks from its own address, so the failure limits of one do not touch another. */
function from(): string {
  address += 1;
  return `10.1.${Math.floor(address / 250)}.${address % 250}`;
}

const rawBasic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`, 'utf8').toString('base64')}`;

function tokenWith(authorization: string, ip = from()) {
  return request(t.app)
    .post('/oauth/v2/token')
    .set('Authorization', authorization)
    .set('X-Forwarded-For', ip)
    .type('form')
    .send({ grant_type: 'client_credentials', scope: 'openid' });
}

describe('client_secret_basic encoding (RFC 6749 2.3.1)', () => {
  it('urlencoded reserved characters, spaces and unicode decode to the secret', async () => {
    for (const secret of ['a+b c%d:e/f?g#h&i=j', 'pässwörd 😀 €', '%41%', "!*'();@$,[]"]) {
      await setSecret(svc.userId, secret);
      const res = await tokenWith(basic('svc', secret));
      expect(res.status, secret).toBe(200);
    }
  });

  it('raw values work when they need no escaping, including ":" in the secret and raw UTF-8', async () => {
    for (const secret of ['abc:def:ghi', 'pässwörd😀', 'ends-with-percent%', '100%zz']) {
      await setSecret(svc.userId, secret);
      expect((await tokenWith(rawBasic('svc', secret))).status, secret).toBe(200);
    }
  });

  it('"+" is a space and %XX an escape, as the RFC says, so such raw secrets do not match', async () => {
    await setSecret(svc.userId, 'a+b');
    expect((await tokenWith(rawBasic('svc', 'a+b'))).status).toBe(401);
    expect((await tokenWith(rawBasic('svc', 'a%2Bb'))).status).toBe(200);
    await setSecret(svc.userId, 'a b');
    expect((await tokenWith(rawBasic('svc', 'a+b'))).status).toBe(200);
    await setSecret(svc.userId, '%41');
    expect((await tokenWith(rawBasic('svc', '%41'))).status).toBe(401);
    expect((await tokenWith(rawBasic('svc', '%2541'))).status).toBe(200);
  });

  it('decodes the client_id too, and matches it case-insensitively', async () => {
    const ci = await createClient(s, 'ci@acme.example');
    expect((await tokenWith(basic('ci@acme.example', ci.clientSecret))).status).toBe(200);
    expect((await tokenWith(rawBasic('ci%40ACME.example', ci.clientSecret))).status).toBe(200);
    expect((await tokenWith(rawBasic('ci@acme.example', ci.clientSecret))).status).toBe(200);
  });

  it('accepts a lowercase scheme and base64 without padding', async () => {
    await setSecret(svc.userId, 'xyz1');
    const b64 = Buffer.from('svc:xyz1').toString('base64');
    expect(b64.endsWith('=')).toBe(true);
    expect((await tokenWith(`basic ${b64}`)).status).toBe(200);
    expect((await tokenWith(`Basic ${b64.replace(/=+$/, '')}`)).status).toBe(200);
  });

  it('refuses a missing colon, an empty client_id and bytes that are not UTF-8 as malformed', async () => {
    const malformed = { error: 'invalid_client', error_description: 'the Authorization header is not valid Basic credentials' };
    for (const header of [
      `Basic ${Buffer.from('svc').toString('base64')}`,
      `Basic ${Buffer.from(':xy').toString('base64')}`,
      `Basic ${Buffer.from([0x73, 0x3a, 0xff, 0xfe]).toString('base64')}`,
      'Basic a',
    ]) {
      const res = await tokenWith(header);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="tessera", charset="UTF-8"');
      expect(res.body).toEqual(malformed);
    }
  });
});

describe('unknown client versus wrong secret', () => {
  it("matches once either way: against nothing (one HMAC on a dummy, test/secrets-match) or the client's one secret", async () => {
    const calls = vi.mocked(matchClientSecret).mock.calls;
    const before = calls.length;
    const unknown = await tokenWith(basic('ghost', 'x'.repeat(64)));
    expect(calls.length).toBe(before + 1);
    expect(calls[before]![2]).toEqual([]);
    const wrong = await tokenWith(basic('svc', 'x'.repeat(64)));
    expect(calls.length).toBe(before + 2);
    expect(calls[before + 1]![2]).toHaveLength(1);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toBe(unknown.text);
    expect(wrong.headers['www-authenticate']).toBe(unknown.headers['www-authenticate']);
  });
});

describe('throttling failed client authentication', () => {
  it('after 10 failures per client and address: 429 with Retry-After, even for the right secret, from that address only', async () => {
    const fresh = await createClient(s, 'throttled');
    const other = await createClient(s, 'bystander');
    const attacker = from();
    for (let i = 0; i < 10; i++) {
      expect((await tokenWith(basic('throttled', `wrong-${i}`), attacker)).status).toBe(401);
    }
    const blocked = await tokenWith(basic('throttled', fresh.clientSecret), attacker);
    expect(blocked.status).toBe(429);
    const retry = Number(blocked.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    expect(blocked.body).toEqual({ error: 'slow_down', error_description: `too many failed client authentications; retry in ${retry} s` });
    expect(blocked.headers['cache-control']).toBe('no-store');
    expect(blocked.headers['www-authenticate']).toBeUndefined();
    // The legitimate client elsewhere, and another client at the same address, are not locked out.
    expect((await tokenWith(basic('throttled', fresh.clientSecret), from())).status).toBe(200);
    expect((await tokenWith(basic('bystander', other.clientSecret), attacker)).status).toBe(200);
  });

  it('counts nothing against a client whose parallel requests all have the right secret', async () => {
    const ip = from();
    await setSecret(svc.userId, 'right');
    const burst = await Promise.all(Array.from({ length: 50 }, () => tokenWith(basic('svc', 'right'), ip)));
    expect(burst.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect((await tokenWith(basic('svc', 'right'), ip)).status).toBe(200);
  });

  it("a success clears the client's own count", async () => {
    const ip = from();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 9; i++) expect((await tokenWith(basic('svc', 'nope'), ip)).status).toBe(401);
      await setSecret(svc.userId, 'right');
      expect((await tokenWith(basic('svc', 'right'), ip)).status).toBe(200);
    }
  });

  it('after 100 failures from one address, whatever the client_id: 429 for everyone there, and nobody else', async () => {
    const ip = from();
    for (let i = 0; i < 100; i++) expect((await tokenWith(basic(`guess-${i}`, 'x'), ip)).status).toBe(401);
    await setSecret(svc.userId, 'right');
    expect((await tokenWith(basic('svc', 'right'), ip)).status).toBe(429);
    expect((await tokenWith(basic('svc', 'right'), from())).status).toBe(200);
  });

  it('applies to client_secret_post, introspection and revocation alike', async () => {
    const ip = from();
    for (let i = 0; i < 10; i++) {
      const path = ['/oauth/v2/token', '/oauth/v2/introspect', '/oauth/v2/revoke'][i % 3]!;
      const res = await request(t.app).post(path).set('X-Forwarded-For', ip).type('form').send({ client_id: 'svc', client_secret: 'bad', token: 'x' });
      expect(res.status).toBe(401);
    }
    const res = await request(t.app)
      .post('/oauth/v2/introspect')
      .set('X-Forwarded-For', ip)
      .type('form')
      .send({ client_id: 'svc', client_secret: 'right', token: 'x' });
    expect(res.status).toBe(429);
    expect(res.body.error).toBe('slow_down');
  });
});

describe('tokenRequest helper', () => {
  it('is the guide curl', async () => {
    await setSecret(svc.userId, 'right');
    const res = await tokenRequest(t.app, { clientId: 'svc', clientSecret: 'right' });
    expect(res.status).toBe(200);
  });
});
