import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBasicAuthorization } from '../src/oauth/basic-auth.js';
import { parseScope } from '../src/oauth/scopes.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// tokens-properties.test.ts shows that what is encoded decodes and that nothing throws; these add
// the other half: what is not a valid encoding is rejected (null, or dropped), never half-taken.

const utf8 = new TextDecoder('utf-8', { fatal: true });
const isUtf8 = (b: Uint8Array) => {
  try {
    utf8.decode(b);
    return true;
  } catch {
    return false;
  }
};
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');

describe('parseBasicAuthorization rejects whatever is not Basic credentials', () => {
  it('another scheme, or none', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }).filter((h) => !/^basic /i.test(h)),
        (header) => {
          expect(parseBasicAuthorization(header)).toBeNull();
        },
      ),
    );
  });

  it('a credential with a character outside base64 in it', () => {
    const outside = fc.constantFrom(...'!"#$%&\'()*,-.:;<>?@[\\]^_`{|}~\u00e9\u0000\t'.split(''));
    fc.assert(
      fc.property(fc.base64String({ minLength: 4, maxLength: 40 }), outside, fc.nat(), (good, bad, at) => {
        const i = at % good.length;
        expect(parseBasicAuthorization(`Basic ${good.slice(0, i)}${bad}${good.slice(i)}`)).toBeNull();
      }),
    );
  });

  it('decoded bytes that are not UTF-8', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 60 }).filter((b) => !isUtf8(b)),
        (bytes) => {
          expect(parseBasicAuthorization(`Basic ${b64(bytes)}`)).toBeNull();
        },
      ),
    );
  });

  it('no colon, or nothing before it', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 60 });
    fc.assert(
      fc.property(
        text.filter((s) => !s.includes(':')),
        text,
        (noColon, secret) => {
          expect(parseBasicAuthorization(`Basic ${b64(noColon)}`)).toBeNull();
          expect(parseBasicAuthorization(`Basic ${b64(`:${secret}`)}`)).toBeNull();
        },
      ),
    );
  });
});

describe('parseScope rejects tokens RFC 6749 3.3 does not allow', () => {
  it('returns only tokens that were in the input, and never one with a forbidden character', () => {
    const forbidden = fc.constantFrom('"', '\\', '\u0000', '\t', '\u007f', 'é', '\u3000', '🔑');
    const valid = fc.stringMatching(/^[\x21\x23-\x5B\x5D-\x7E]{1,12}$/);
    const tainted = fc.tuple(valid, forbidden, valid).map(([a, f, b]) => `${a}${f}${b}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(valid, tainted), { maxLength: 12 }), (tokens) => {
        const scopes = parseScope(tokens.join(' '));
        expect(scopes).toEqual([...new Set(tokens.filter((t) => /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(t)))]);
      }),
    );
  });
});

describe('access tokens of both types, through the verifier the APIs use', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.cleanup());

  const request = fc.record({
    tokenType: fc.constantFrom('ACCESS_TOKEN_TYPE_BEARER' as const, 'ACCESS_TOKEN_TYPE_JWT' as const),
    userId: fc.stringMatching(/^\d{1,20}$/),
    clientId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@-]{1,40}$/),
    orgId: fc.stringMatching(/^\d{1,20}$/),
    scope: fc.uniqueArray(fc.stringMatching(/^[\x21\x23-\x5B\x5D-\x7E]{1,30}$/), { maxLength: 6 }),
    aud: fc.array(fc.string({ minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 3 }),
  });

  it('decode what was issued, and nothing after a single character changed', async () => {
    await fc.assert(
      fc.asyncProperty(request, fc.nat(), fc.integer({ min: 1, max: 63 }), async (r, at, shift) => {
        const issued = await t.ctx.tokens.issue(r);
        const claims = await t.ctx.tokens.decode(issued.accessToken);
        expect(claims).toMatchObject({ sub: r.userId, clientId: r.clientId, scope: r.scope, aud: r.aud, jti: issued.jti, exp: issued.exp });

        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        const token = issued.accessToken;
        const i = at % token.length;
        if (token[i] === '.') return;
        const changed = `${token.slice(0, i)}${alphabet[(alphabet.indexOf(token[i]!) + shift) % 64]}${token.slice(i + 1)}`;
        // base64url's last character may carry unused bits; a change there can decode to the same bytes.
        const bytes = (s: string) =>
          s
            .split('.')
            .map((p) => Buffer.from(p, 'base64url').toString('hex'))
            .join('.');
        if (bytes(changed) === bytes(token)) return;
        expect(await t.ctx.tokens.decode(changed)).toBeNull();
      }),
      { numRuns: 150 },
    );
  });

  it('resolve anything else to null, never throwing', async () => {
    const part = fc.base64String({ maxLength: 120 }).map((s) => s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
    const junk = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      part,
      fc.tuple(part, part, part).map((p) => p.join('.')),
      fc.json().map((j) => `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${Buffer.from(j).toString('base64url')}.`),
      fc.constant('A'.repeat(5000)),
    );
    await fc.assert(
      fc.asyncProperty(junk, async (token) => {
        expect(await t.ctx.tokens.verify(token)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
