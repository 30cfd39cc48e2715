import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementAudience } from '../src/domain/tokens/access-tokens.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { accessToken, basic, createClient, grantOrgRoles, GUIDE_SCOPE, MGMT_SCOPE, type Client } from './support/tokens.js';

let t: TestApp;
let s: SignedIn;
let alice: Client;
let bob: Client;
beforeAll(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
  alice = await createClient(s, 'alice');
  bob = await createClient(s, 'bob', 'ACCESS_TOKEN_TYPE_JWT');
  await grantOrgRoles(t.storage, s.whoami.orgId, alice.userId, ['ORG_OWNER']);
  await grantOrgRoles(t.storage, s.whoami.orgId, bob.userId, ['ORG_OWNER']);
});
afterAll(() => t.cleanup());

const introspect = (c: Client, token: string) =>
  request(t.app).post('/oauth/v2/introspect').set('Authorization', basic(c.clientId, c.clientSecret)).type('form').send({ token });
const revoke = (c: Client, token: string, extra: Record<string, string> = {}) =>
  request(t.app)
    .post('/oauth/v2/revoke')
    .set('Authorization', basic(c.clientId, c.clientSecret))
    .type('form')
    .send({ token, ...extra });
const orgsMe = (token: string) => request(t.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${token}`);

describe('POST /oauth/v2/introspect (RFC 7662)', () => {
  it('describes an own token of either type', async () => {
    for (const c of [alice, bob]) {
      const token = await accessToken(t.app, c);
      const res = await introspect(c, token).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({
        active: true,
        scope: GUIDE_SCOPE,
        client_id: c.clientId,
        username: c.clientId,
        token_type: 'Bearer',
        exp: res.body.iat + 43200,
        iat: expect.any(Number),
        nbf: res.body.iat,
        sub: c.userId,
        aud: [c.clientId, managementAudience(t.config.issuer)],
        iss: t.config.issuer,
        jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      });
      expect(Math.abs(res.body.iat - Date.now() / 1000)).toBeLessThan(5);
    }
  });

  it('works without the management audience (unlike ZITADEL #8252)', async () => {
    const token = await accessToken(t.app, alice, 'openid');
    expect((await introspect(alice, token).expect(200)).body).toMatchObject({ active: true, aud: ['alice'], scope: 'openid' });
  });

  it('is {"active":false} for another client\'s token, garbage, a tampered token and an expired one', async () => {
    const bobs = await accessToken(t.app, bob);
    const alices = await accessToken(t.app, alice);
    const expired = (
      await t.ctx.tokens.issue(
        { userId: alice.userId, clientId: 'alice', orgId: s.whoami.orgId, tokenType: 'ACCESS_TOKEN_TYPE_BEARER', scope: ['openid'], aud: ['alice'] },
        Date.now() - 43_201_000,
      )
    ).accessToken;
    const tampered = `${alices.slice(0, 40)}${alices[40] === 'A' ? 'B' : 'A'}${alices.slice(41)}`;
    for (const token of [bobs, 'garbage', tampered, expired, 'a.b.c', 'x'.repeat(5000)]) {
      const res = await introspect(alice, token).expect(200);
      expect(res.body).toEqual({ active: false });
    }
  });

  it("needs the caller's own credentials and a token parameter", async () => {
    const token = await accessToken(t.app, alice);
    const res = await introspect({ ...alice, clientSecret: 'wrong' }, token).expect(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    const anonymous = await request(t.app).post('/oauth/v2/introspect').type('form').send({ token }).expect(401);
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="tessera", charset="UTF-8"');
    const missing = await introspect(alice, '').expect(400);
    expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'token missing' });
  });
});

describe('POST /oauth/v2/revoke (RFC 7009)', () => {
  it('revokes an own token of either type: 200, then refused everywhere', async () => {
    for (const c of [alice, bob]) {
      const token = await accessToken(t.app, c);
      await orgsMe(token).expect(200);
      const res = await revoke(c, token).expect(200);
      expect(res.text).toBe('{}');
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      const me = await orgsMe(token).expect(401);
      expect(me.body).toMatchObject({ code: 16 });
      expect((await introspect(c, token)).body).toEqual({ active: false });
      await request(t.app).get('/oidc/v1/userinfo').set('Authorization', `Bearer ${token}`).expect(401);
      // Other tokens of the same client are untouched.
      await orgsMe(await accessToken(t.app, c)).expect(200);
    }
  });

  it('answers 200 for unknown, garbage and already revoked tokens, ignoring token_type_hint', async () => {
    const token = await accessToken(t.app, alice);
    await revoke(alice, token).expect(200);
    await revoke(alice, token).expect(200);
    await revoke(alice, 'garbage', { token_type_hint: 'refresh_token' }).expect(200);
    await revoke(alice, 'x'.repeat(5000)).expect(200);
  });

  it("answers 200 for another client's token but leaves it valid", async () => {
    const bobs = await accessToken(t.app, bob);
    await revoke(alice, bobs).expect(200);
    await orgsMe(bobs).expect(200);
  });

  it('keeps a revocation across a restart, and only until the token expires', async () => {
    const token = await accessToken(t.app, alice);
    await revoke(alice, token).expect(200);
    const rows = await t.storage.all<{ jti: string; expires_at: number }>('SELECT jti, expires_at FROM revoked_tokens');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.expires_at).toBeGreaterThan(Date.now() / 1000);
    t = await t.restart();
    await orgsMe(token).expect(401);
    // Once past its expiry a row is useless and goes.
    await t.ctx.tokens.revocations.prune(Math.floor(Date.now() / 1000) + 43_201);
    expect(await t.storage.one('SELECT count(*) AS n FROM revoked_tokens')).toEqual({ n: 0 });
    expect(t.ctx.tokens.revocations.size).toBe(0);
  });

  it("needs the caller's credentials and a token parameter", async () => {
    await request(t.app).post('/oauth/v2/revoke').type('form').send({ token: 'x' }).expect(401);
    const res = await revoke(alice, '').expect(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'token missing' });
  });
});

describe('GET /oidc/v1/userinfo', () => {
  it('gives sub, and name, preferred_username and updated_at with profile', async () => {
    const withProfile = await accessToken(t.app, alice, `openid profile ${MGMT_SCOPE}`);
    const res = await request(t.app).get('/oidc/v1/userinfo').set('Authorization', `Bearer ${withProfile}`).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { changed_at: changed } = (await t.storage.one<{ changed_at: string }>('SELECT changed_at FROM users WHERE id = ?', [alice.userId]))!;
    expect(res.body).toEqual({
      sub: alice.userId,
      name: 'alice display',
      preferred_username: 'alice@tessera.localhost',
      updated_at: Math.floor(Date.parse(changed) / 1000),
    });
    const bare = await accessToken(t.app, bob, 'openid');
    const post = await request(t.app).post('/oidc/v1/userinfo').set('Authorization', `Bearer ${bare}`).expect(200);
    expect(post.body).toEqual({ sub: bob.userId });
  });

  it('answers a request without a Bearer token with a bare challenge: no error code, no body (RFC 6750 3.1)', async () => {
    for (const headers of [{}, { Authorization: 'Basic abc' }, { Authorization: '' }]) {
      const res = await request(t.app).get('/oidc/v1/userinfo').set(headers).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="tessera"');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toBe('');
    }
  });

  it('answers a bad Bearer token with 401 and a challenge naming the error (RFC 6750 3.1)', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ Authorization: 'Bearer' }, 'authorization header must be "Bearer <token>"'],
      [{ Authorization: 'Bearer not-a-token' }, 'access token is invalid, expired or revoked'],
    ];
    for (const [headers, description] of cases) {
      const res = await request(t.app).get('/oidc/v1/userinfo').set(headers).expect(401);
      expect(res.headers['www-authenticate']).toBe(`Bearer realm="tessera", error="invalid_token", error_description="${description}"`);
      expect(res.body).toEqual({ error: 'invalid_token', error_description: description });
    }
  });
});
