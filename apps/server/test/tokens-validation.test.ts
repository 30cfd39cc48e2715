import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { accessToken, createClient, deactivateInSql, grantOrgRoles, revokeAllInSql, type Client } from './support/tokens.js';

let t: TestApp;
let s: SignedIn;
let owner: Client;
let ownerJwt: Client;
beforeAll(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
  owner = await createClient(s, 'owner');
  ownerJwt = await createClient(s, 'owner-jwt', 'ACCESS_TOKEN_TYPE_JWT');
  for (const c of [owner, ownerJwt]) await grantOrgRoles(t.storage, s.whoami.orgId, c.userId, ['ORG_OWNER']);
});
afterAll(() => t.cleanup());

const orgsMe = (token: string) => request(t.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${token}`);
const INVALID = {
  code: 16,
  message: 'token is invalid, expired or revoked',
  details: [{ id: 'AUTH-7fs1e', message: 'token is invalid, expired or revoked' }],
};

describe("the guide's GET /management/v1/orgs/me with a token", () => {
  it('answers 200 with the org for an Org Owner, with either token type', async () => {
    for (const c of [owner, ownerJwt]) {
      const res = await orgsMe(await accessToken(t.app, c)).expect(200);
      expect(res.body).toEqual({
        org: {
          id: s.whoami.orgId,
          details: { sequence: expect.any(String), creationDate: expect.any(String), changeDate: expect.any(String), resourceOwner: s.whoami.orgId },
          state: 'ORG_STATE_ACTIVE',
          name: 'Tessera',
          primaryDomain: 'tessera.localhost',
        },
      });
    }
  });

  it('answers 401 code 16 without the management audience scope', async () => {
    for (const c of [owner, ownerJwt]) {
      const res = await orgsMe(await accessToken(t.app, c, 'openid profile')).expect(401);
      expect(res.body).toEqual({
        code: 16,
        message: 'token is missing the management API audience',
        details: [{ id: 'AUTH-aud0m', message: 'token is missing the management API audience' }],
      });
    }
  });

  it('answers 403 code 7 for a service user without a role', async () => {
    const nobody = await createClient(s, 'nobody');
    const res = await orgsMe(await accessToken(t.app, nobody)).expect(403);
    expect(res.body).toMatchObject({ code: 7, details: [{ id: 'AUTH-5mWD2' }] });
  });

  it('answers 401 code 16 for garbage, a tampered token and a malformed header', async () => {
    const good = await accessToken(t.app, owner);
    const flipped = good.slice(0, -5) + (good.at(-5) === 'A' ? 'B' : 'A') + good.slice(-4);
    for (const token of ['garbage', flipped, `${good}x`, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.']) {
      expect((await orgsMe(token).expect(401)).body).toEqual(INVALID);
    }
    const res = await request(t.app).get('/management/v1/orgs/me').set('Authorization', 'Token abc').expect(401);
    expect(res.body.code).toBe(16);
  });

  it('refuses an expired token at once', async () => {
    for (const tokenType of ['ACCESS_TOKEN_TYPE_BEARER', 'ACCESS_TOKEN_TYPE_JWT'] as const) {
      const issued = await t.ctx.tokens.issue(
        { userId: owner.userId, clientId: 'owner', orgId: s.whoami.orgId, tokenType, scope: [], aud: ['owner', t.ctx.tokens.managementAudience] },
        Date.now() - 43_200_000 - 1000,
      );
      expect((await orgsMe(issued.accessToken).expect(401)).body).toEqual(INVALID);
      // A token still inside its lifetime but issued long ago is fine.
      const recent = await t.ctx.tokens.issue(
        { userId: owner.userId, clientId: 'owner', orgId: s.whoami.orgId, tokenType, scope: [], aud: ['owner', t.ctx.tokens.managementAudience] },
        Date.now() - 43_000_000,
      );
      await orgsMe(recent.accessToken).expect(200);
    }
  });
});

describe('a user whose tokens were withdrawn', () => {
  it("a deactivated user's existing token is refused on the next call, of either type", async () => {
    for (const type of ['ACCESS_TOKEN_TYPE_BEARER', 'ACCESS_TOKEN_TYPE_JWT'] as const) {
      const c = await createClient(s, `leaving-${type.slice(18).toLowerCase()}`, type);
      await grantOrgRoles(t.storage, s.whoami.orgId, c.userId, ['ORG_OWNER']);
      const token = await accessToken(t.app, c);
      await orgsMe(token).expect(200);
      await deactivateInSql(t.storage, c.userId);
      expect((await orgsMe(token).expect(401)).body).toEqual(INVALID);
      // Reactivated: the old token stays dead (issued before tokens_valid_after), a new one works.
      await t.storage.command((tx) => tx.run("UPDATE users SET state = 'USER_STATE_ACTIVE' WHERE id = ?", [c.userId]));
      await orgsMe(token).expect(401);
      await orgsMe(await accessToken(t.app, c)).expect(200);
    }
  });

  it('a token issued before tokens_valid_after is refused, one issued after it is not, to the millisecond', async () => {
    for (const c of [owner, ownerJwt]) {
      const before = await accessToken(t.app, c);
      const cut = Date.now() + 1;
      while (Date.now() <= cut) {
        // Wait past the cut, within the same second as often as not.
      }
      const after = await accessToken(t.app, c);
      await revokeAllInSql(t.storage, c.userId, cut);
      await orgsMe(before).expect(401);
      await orgsMe(after).expect(200);
    }
  });

  it("a deleted user's token is refused", async () => {
    const c = await createClient(s, 'deleted');
    await grantOrgRoles(t.storage, s.whoami.orgId, c.userId, ['ORG_OWNER']);
    const token = await accessToken(t.app, c);
    await orgsMe(token).expect(200);
    await t.storage.command((tx) => tx.run('DELETE FROM users WHERE id = ?', [c.userId]));
    expect((await orgsMe(token).expect(401)).body).toEqual(INVALID);
  });

  it('the verifier says why nothing: null for each case, the claims otherwise', async () => {
    const token = await accessToken(t.app, owner);
    const verified = await t.ctx.accessTokens.verify(token);
    expect(verified).toEqual({
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      userId: owner.userId,
      orgId: s.whoami.orgId,
      clientId: 'owner',
      scope: ['openid', 'profile', 'email', 'urn:zitadel:iam:org:project:id:zitadel:aud'],
      aud: ['owner', 'http://localhost:8080/management/v1'],
      iat: expect.any(Number),
      exp: verified!.iat + 43200,
      management: true,
    });
    expect(await t.ctx.accessTokens.verify('')).toBeNull();
    expect(await t.ctx.accessTokens.verify('x'.repeat(10_000))).toBeNull();
  });
});
