import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealVersion1, signJwt, type MintClaims } from './support/minted-tokens.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { basic, createClient, grantOrgRoles, type Client } from './support/tokens.js';

// Whoever holds a copy of the server's keys (a leaked backup, say) can seal or sign any claims. The
// checks below bound what such a token can be: never valid for longer than the configured lifetime,
// never issued in the future, whatever its seal or signature says.

let t: TestApp;
let s: SignedIn;
let c: Client;
beforeAll(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
  c = await createClient(s, 'minted');
  await grantOrgRoles(t.storage, s.whoami.orgId, c.userId, ['ORG_OWNER']);
});
afterAll(() => t.cleanup());

const LIFETIME = 43_200;
const YEAR_2100 = Date.UTC(2100, 0, 1) / 1000;
const orgsMe = (token: string) => request(t.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${token}`);
const introspect = (token: string) =>
  request(t.app).post('/oauth/v2/introspect').set('Authorization', basic(c.clientId, c.clientSecret)).type('form').send({ token });

function claims(iatMs: number, exp: number): MintClaims {
  return { sub: c.userId, clientId: c.clientId, orgId: s.whoami.orgId, scope: ['openid'], aud: [c.clientId, t.ctx.tokens.managementAudience], iatMs, exp };
}

/** Every way to present claims with the server's own keys: both opaque formats' seal and a JWT with or without a generation. */
function mint(iatMs: number, exp: number): Record<string, string> {
  return {
    'opaque (first format)': sealVersion1(t, claims(iatMs, exp)),
    'JWT without a generation': signJwt(t, claims(iatMs, exp)),
    'JWT of generation 0': signJwt(t, claims(iatMs, exp), { gen: 0 }),
    // A JWT from the future need not carry nbf: only iat says when it was issued.
    'JWT without nbf': signJwt(t, claims(iatMs, exp), { nbf: undefined }),
  };
}

async function expectRefused(tokens: Record<string, string>) {
  for (const [kind, token] of Object.entries(tokens)) {
    expect({ kind, status: (await orgsMe(token)).status }).toEqual({ kind, status: 401 });
    expect({ kind, body: (await introspect(token)).body }).toEqual({ kind, body: { active: false } });
  }
}

describe("tokens sealed or signed with the server's own keys", () => {
  it('are accepted with the claims the server itself would give (the control)', async () => {
    const now = Date.now();
    for (const [kind, token] of Object.entries(mint(now, Math.floor(now / 1000) + LIFETIME))) {
      expect({ kind, status: (await orgsMe(token)).status }).toEqual({ kind, status: 200 });
    }
  });

  it('are refused when valid until 2100', async () => {
    await expectRefused(mint(Date.now(), YEAR_2100));
  });

  it('are refused when exp - iat exceeds TESSERA_ACCESS_TOKEN_LIFETIME by a second', async () => {
    const now = Date.now() - 1000;
    await expectRefused(mint(now, Math.floor(now / 1000) + LIFETIME + 2));
  });

  it('are refused when issued more than a minute in the future, and accepted within it', async () => {
    const later = Date.now() + 10 * 60_000;
    await expectRefused(mint(later, Math.floor(later / 1000) + 3600));
    const skewed = Date.now() + 30_000;
    const within = await t.ctx.tokens.issue(
      {
        userId: c.userId,
        clientId: c.clientId,
        orgId: s.whoami.orgId,
        tokenType: 'ACCESS_TOKEN_TYPE_BEARER',
        scope: [],
        aud: [c.clientId, t.ctx.tokens.managementAudience],
      },
      skewed,
    );
    await orgsMe(within.accessToken).expect(200);
  });

  it('are refused when the server issues them in the future, of either type', async () => {
    for (const tokenType of ['ACCESS_TOKEN_TYPE_BEARER', 'ACCESS_TOKEN_TYPE_JWT'] as const) {
      const issued = await t.ctx.tokens.issue(
        { userId: c.userId, clientId: c.clientId, orgId: s.whoami.orgId, tokenType, scope: [], aud: [c.clientId, t.ctx.tokens.managementAudience] },
        Date.now() + 5 * 60_000,
      );
      await expectRefused({ [tokenType]: issued.accessToken });
    }
  });

  it('are refused once the lifetime is configured shorter than theirs', async () => {
    // The same database and keys, run for a while with a day's lifetime.
    const longer = await createTestApp({ TESSERA_ACCESS_TOKEN_LIFETIME: '86400' }, t.dir);
    const tokens: Record<string, string> = {};
    for (const tokenType of ['ACCESS_TOKEN_TYPE_BEARER', 'ACCESS_TOKEN_TYPE_JWT'] as const) {
      const issued = await longer.ctx.tokens.issue({
        userId: c.userId,
        clientId: c.clientId,
        orgId: s.whoami.orgId,
        tokenType,
        scope: [],
        aud: [c.clientId, t.ctx.tokens.managementAudience],
      });
      expect(await longer.ctx.tokens.verify(issued.accessToken)).not.toBeNull();
      tokens[tokenType] = issued.accessToken;
    }
    await longer.close();
    await expectRefused(tokens);
  });
});
