import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueRequest } from '../src/domain/tokens/access-tokens.js';
import { OpaqueTokenCodec } from '../src/domain/tokens/opaque-codec.js';
import { basicAuthorization, parseBasicAuthorization } from '../src/oauth/basic-auth.js';
import { parseScope } from '../src/oauth/scopes.js';
import { singleKeyRing, type KeyRing } from '../src/security/key-ring.js';
import { sealVersion1With } from './support/minted-tokens.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
// Full Unicode without lone surrogates: what a client can actually put in UTF-8.
const text = (min = 0) => fc.string({ unit: 'grapheme', minLength: min, maxLength: 80 });

describe('parseBasicAuthorization', () => {
  it('decodes whatever an RFC 6749 2.3.1 client encodes', () => {
    fc.assert(
      fc.property(text(1), text(), (clientId, clientSecret) => {
        expect(parseBasicAuthorization(basicAuthorization(clientId, clientSecret))).toEqual({ clientId, clientSecret });
      }),
    );
  });

  it('takes raw values as they are when they hold no + or %', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9._@-]{1,40}$/),
        text().filter((s) => !/[+%]/.test(s)),
        (clientId, clientSecret) => {
          const header = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
          expect(parseBasicAuthorization(header)).toEqual({ clientId, clientSecret });
        },
      ),
    );
  });

  it('never throws, and returns credentials or null', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string().map((s) => `Basic ${s}`),
          fc.uint8Array().map((b) => `Basic ${Buffer.from(b).toString('base64')}`),
        ),
        (header) => {
          const r = parseBasicAuthorization(header);
          if (r !== null) {
            expect(typeof r.clientId).toBe('string');
            expect(r.clientId.length).toBeGreaterThan(0);
            expect(typeof r.clientSecret).toBe('string');
          }
        },
      ),
    );
  });
});

describe('parseScope', () => {
  it('never throws; yields distinct RFC 6749 scope tokens', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (value) => {
        const scopes = parseScope(value);
        expect(new Set(scopes).size).toBe(scopes.length);
        for (const s of scopes) expect(s).toMatch(SCOPE_TOKEN);
      }),
    );
  });

  it('keeps valid tokens in order, each once, whatever the spacing', () => {
    const token = fc.stringMatching(/^[\x21\x23-\x5B\x5D-\x7E]{1,20}$/);
    fc.assert(
      fc.property(fc.array(token, { maxLength: 10 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 11, maxLength: 11 }), (tokens, gaps) => {
        const value = tokens.map((t, i) => `${t}${' '.repeat(gaps[i]!)}`).join('');
        expect(parseScope(value)).toEqual([...new Set(tokens)]);
        expect(parseScope(parseScope(value).join(' '))).toEqual(parseScope(value));
      }),
    );
  });
});

describe('OpaqueTokenCodec', () => {
  const key0 = randomBytes(32);
  const codec = new OpaqueTokenCodec(singleKeyRing(key0));
  const claims = fc.record({
    sub: fc.stringMatching(/^\d{1,20}$/),
    clientId: text(1),
    orgId: fc.stringMatching(/^\d{1,20}$/),
    scope: fc.array(fc.stringMatching(/^[\x21\x23-\x5B\x5D-\x7E]{1,30}$/), { maxLength: 8 }),
    aud: fc.array(text(1), { minLength: 1, maxLength: 3 }),
    iatMs: fc.integer({ min: 0, max: 2 ** 47 }),
    exp: fc.integer({ min: 0, max: 2 ** 40 }),
    gen: fc.nat(),
  });

  it('decodes what it encodes, naming the key it sealed with', () => {
    fc.assert(
      fc.property(claims, (c) => {
        const { token, jti } = codec.encode(c);
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(codec.decode(token)).toEqual({ claims: { ...c, jti }, keyId: 0 });
      }),
    );
  });

  /** A ring after rotations: `current` seals, every key in `kept` still opens. */
  const ring = (current: number, kept: Map<number, Buffer>): KeyRing => ({ current: { id: current, key: kept.get(current)! }, get: (id) => kept.get(id) });

  it('opens what every kept key of its ring sealed, and first-format tokens with key id 0', () => {
    const key7 = randomBytes(32);
    const before = new OpaqueTokenCodec(ring(0, new Map([[0, key0]])));
    const after = new OpaqueTokenCodec(
      ring(
        7,
        new Map([
          [0, key0],
          [7, key7],
        ]),
      ),
    );
    const retired = new OpaqueTokenCodec(ring(7, new Map([[7, key7]])));
    fc.assert(
      fc.property(claims, (c) => {
        const old = before.encode(c).token;
        const fresh = after.encode(c).token;
        const { gen: _, ...first } = c;
        const v1 = sealVersion1With(key0, first);
        expect([after.decode(old)?.keyId, after.decode(fresh)?.keyId, after.decode(v1)?.keyId]).toEqual([0, 7, 0]);
        // A first-format token has no generation: it counts as 0 (access-tokens.ts).
        expect(after.decode(v1)?.claims).toEqual({ ...first, jti: expect.any(String), gen: 0 });
        // Once key 0 is gone from the ring, nothing it sealed opens; key 7's tokens still do.
        expect([retired.decode(old), retired.decode(v1), retired.decode(fresh)?.keyId]).toEqual([null, null, 7]);
        expect(before.decode(fresh)).toBeNull();
      }),
      { numRuns: 50 },
    );
  });

  it('rejects, without throwing, anything it did not seal', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('base64url')),
        ),
        (s) => {
          expect(codec.decode(s)).toBeNull();
        },
      ),
    );
    expect(codec.decode(undefined)).toBeNull();
    expect(codec.decode(42)).toBeNull();
  });

  it('rejects any changed byte, a truncation, and a token sealed under another key', () => {
    const other = new OpaqueTokenCodec(singleKeyRing(randomBytes(32)));
    fc.assert(
      fc.property(claims, fc.nat(), fc.integer({ min: 1, max: 255 }), (c, at, delta) => {
        const { token } = codec.encode(c);
        const raw = Buffer.from(token, 'base64url');
        const i = at % raw.length;
        raw[i] = (raw[i]! + delta) % 256;
        expect(codec.decode(raw.toString('base64url'))).toBeNull();
        expect(codec.decode(token.slice(0, -1))).toBeNull();
        expect(other.decode(token)).toBeNull();
      }),
    );
  });
});

describe('issued tokens of both types, one character changed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.cleanup());

  // base64url's alphabet, and characters a careless client might put in its place.
  const CHARACTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', '.', '=', '+', '/', ' '];
  const request = fc.record({
    userId: fc.stringMatching(/^\d{1,20}$/),
    clientId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@-]{1,40}$/),
    orgId: fc.stringMatching(/^\d{1,20}$/),
    scope: fc.uniqueArray(fc.stringMatching(/^[\x21\x23-\x5B\x5D-\x7E]{1,30}$/), { maxLength: 4 }),
    aud: fc.array(fc.string({ minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 2 }),
  });

  /** Every string one character away from token: each position, including the last, to each other character. */
  function* oneCharacterAway(token: string): Generator<string> {
    for (let i = 0; i < token.length; i++) {
      for (const ch of CHARACTERS) if (ch !== token[i]) yield `${token.slice(0, i)}${ch}${token.slice(i + 1)}`;
    }
  }

  // A base64url string's last character may carry unused bits (RFC 4648 3.5): setting them spells
  // the same bytes another way. Only the canonical spelling is a token, so a token has one string.
  for (const tokenType of ['ACCESS_TOKEN_TYPE_BEARER', 'ACCESS_TOKEN_TYPE_JWT'] as const) {
    const name = tokenType.slice(18);
    const issue = (r: Omit<IssueRequest, 'tokenType'>) => t.ctx.tokens.issue({ ...r, tokenType });

    it(`decodes a ${name} token as issued, and nothing one character away from it: every position, every character`, { timeout: 120_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const issued = await issue(r);
          expect(await t.ctx.tokens.decode(issued.accessToken)).toMatchObject({ sub: r.userId, jti: issued.jti });
          for (const changed of oneCharacterAway(issued.accessToken)) {
            if ((await t.ctx.tokens.decode(changed)) !== null) expect.fail(`accepted ${changed} for ${issued.accessToken}`);
          }
        }),
        // A JWT has ~30,000 neighbours, each a signature check; an opaque token ~15,000 decryptions.
        { numRuns: tokenType === 'ACCESS_TOKEN_TYPE_JWT' ? 1 : 10 },
      );
    });

    it(`decodes nothing one character away from a ${name} token, over many tokens`, async () => {
      await fc.assert(
        fc.asyncProperty(request, fc.nat(), fc.constantFrom(...CHARACTERS), fc.boolean(), async (r, at, ch, last) => {
          const token = (await issue(r)).accessToken;
          // Half the cases change a part's last character, where the unused bits are.
          const ends = [...token.matchAll(/[^.](?=\.|$)/g)].map((m) => m.index);
          const i = last ? ends[at % ends.length]! : at % token.length;
          fc.pre(token[i] !== ch);
          expect(await t.ctx.tokens.decode(`${token.slice(0, i)}${ch}${token.slice(i + 1)}`)).toBeNull();
        }),
        { numRuns: 300 },
      );
    });
  }
});
