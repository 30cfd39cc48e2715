import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RevocationList } from '../src/domain/tokens/revocations.js';
import { openDatabase } from '../src/storage/db.js';
import { migrate } from '../src/storage/migrate.js';
import { SqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import { sealVersion1, signJwt, type MintClaims } from './support/minted-tokens.js';
import { call } from './support/service-users.js';
import { createTestApp, signIn, TEST_ENGINE, type SignedIn, type TestApp } from './support/test-app.js';
import { accessToken, basic, createClient, grantOrgRoles, type Client } from './support/tokens.js';

// "Revoke Tokens" and deactivation must refuse every token issued before them, and none issued
// after, whatever the clock says: a cut-off in milliseconds spares a token issued earlier in the
// same millisecond, and one issued while the clock ran fast.

let t: TestApp;
let s: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
});
afterAll(() => t.cleanup());
afterEach(() => {
  vi.useRealTimers();
});

const orgsMe = (token: string) => request(t.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${token}`);
const revokeTokens = (c: Client) => call(s, 'post', `/users/${c.userId}/tokens/_revoke`).expect(200);
const TYPES = ['ACCESS_TOKEN_TYPE_BEARER', 'ACCESS_TOKEN_TYPE_JWT'] as const;

let made = 0;
async function owner(type: (typeof TYPES)[number] = 'ACCESS_TOKEN_TYPE_BEARER'): Promise<Client> {
  const c = await createClient(s, `gen-${++made}`, type);
  await grantOrgRoles(t.storage, s.whoami.orgId, c.userId, ['ORG_OWNER']);
  return c;
}

/** The clock Tessera reads (Date); timers stay real so HTTP keeps working. */
function clockAt(ms: number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(ms);
}

describe('Revoke Tokens, with a controlled clock', () => {
  it('refuses a token issued earlier in the same millisecond, and keeps one issued later in it', async () => {
    for (const type of TYPES) {
      const c = await owner(type);
      clockAt(Date.now());
      const before = await accessToken(t.app, c);
      await revokeTokens(c);
      const after = await accessToken(t.app, c);
      expect({ type, before: (await orgsMe(before)).status, after: (await orgsMe(after)).status }).toEqual({ type, before: 401, after: 200 });
      vi.useRealTimers();
    }
  });

  it('refuses a token issued while the clock ran fast, once the clock has caught up', async () => {
    for (const type of TYPES) {
      const c = await owner(type);
      const now = Date.now();
      clockAt(now + 30_000);
      const fast = await accessToken(t.app, c);
      clockAt(now);
      await revokeTokens(c);
      const after = await accessToken(t.app, c);
      clockAt(now + 31_000);
      expect({ type, fast: (await orgsMe(fast)).status, after: (await orgsMe(after)).status }).toEqual({ type, fast: 401, after: 200 });
      vi.useRealTimers();
    }
  });

  it('deactivation refuses every earlier token for good, a reactivation brings none back', async () => {
    for (const type of TYPES) {
      const c = await owner(type);
      clockAt(Date.now());
      const before = await accessToken(t.app, c);
      await call(s, 'post', `/users/${c.userId}/_deactivate`).expect(200);
      await call(s, 'post', `/users/${c.userId}/_reactivate`, {}).expect(200);
      const after = await accessToken(t.app, c);
      expect({ type, before: (await orgsMe(before)).status, after: (await orgsMe(after)).status }).toEqual({ type, before: 401, after: 200 });
      vi.useRealTimers();
    }
  });
});

describe('tokens issued before the upgrade (first-format opaque tokens, JWTs without a generation)', () => {
  const claims = (c: Client, iatMs: number, exp = Math.floor(iatMs / 1000) + 43_200): MintClaims => ({
    sub: c.userId,
    clientId: c.clientId,
    orgId: s.whoami.orgId,
    scope: ['openid'],
    aud: [c.clientId, t.ctx.tokens.managementAudience],
    iatMs,
    exp,
  });
  const legacy = (c: Client, iatMs: number, exp?: number) => ({ opaque: sealVersion1(t, claims(c, iatMs, exp)), jwt: signJwt(t, claims(c, iatMs, exp)) });

  it('keep working until they expire', async () => {
    const c = await owner();
    const now = Date.now();
    for (const token of Object.values(legacy(c, now - 3_600_000))) await orgsMe(token).expect(200);
    for (const token of Object.values(legacy(c, now - 43_201_000))) await orgsMe(token).expect(401);
  });

  it('stay refused when issued before a Revoke Tokens made before the upgrade, and not after it', async () => {
    const c = await owner();
    const cut = Date.now() - 60_000;
    // What Revoke Tokens wrote before tokens had generations: a cut-off in milliseconds.
    await t.storage.command((tx) => tx.run('UPDATE users SET tokens_valid_after = ? WHERE id = ?', [cut, c.userId]));
    for (const token of Object.values(legacy(c, cut - 1))) await orgsMe(token).expect(401);
    for (const token of Object.values(legacy(c, cut))) await orgsMe(token).expect(200);
  });

  it('are refused once revoked on their own (RFC 7009)', async () => {
    const c = await owner();
    for (const token of Object.values(legacy(c, Date.now()))) {
      await orgsMe(token).expect(200);
      await request(t.app).post('/oauth/v2/revoke').set('Authorization', basic(c.clientId, c.clientSecret)).type('form').send({ token }).expect(200);
      await orgsMe(token).expect(401);
    }
  });

  it('are all refused after Revoke Tokens or a deactivation, and new tokens work', async () => {
    const revoked = await owner();
    const deactivated = await owner();
    const tokens = [...Object.values(legacy(revoked, Date.now())), ...Object.values(legacy(deactivated, Date.now()))];
    for (const token of tokens) await orgsMe(token).expect(200);
    await revokeTokens(revoked);
    await call(s, 'post', `/users/${deactivated.userId}/_deactivate`).expect(200);
    await call(s, 'post', `/users/${deactivated.userId}/_reactivate`, {}).expect(200);
    for (const token of tokens) await orgsMe(token).expect(401);
    for (const c of [revoked, deactivated]) await orgsMe(await accessToken(t.app, c)).expect(200);
  });
});

describe('the upgrade', () => {
  // A SQLite file of the schema before 005 migrated in place; PostgreSQL databases start at the
  // whole schema (001_initial.pg.sql), so the pg run has nothing of its own to add here.
  it.skipIf(TEST_ENGINE === 'pg')('adds token generations and revocation owners to a database of the previous schema in place', async () => {
    const old = openDatabase(path.join(t.dir, 'before-005.db'));
    for (const f of ['001_initial.sqlite.sql', '003_user_search.sqlite.sql']) {
      old.exec(fs.readFileSync(new URL(`../src/storage/migrations/${f}`, import.meta.url), 'utf8'));
    }
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
    old.prepare("INSERT INTO schema_migrations VALUES (1, 'initial', 'x'), (3, 'user_search', 'x')").run();
    old.prepare("INSERT INTO orgs VALUES ('1', 'One', 'one.localhost', 'ORG_STATE_ACTIVE', 1, 'x', 'x')").run();
    old
      .prepare(
        `INSERT INTO users (id, org_id, type, username, display_name, state, access_token_type, tokens_valid_after, sequence, created_at, changed_at)
       VALUES ('42', '1', 'machine', 'batch', 'Batch', 'USER_STATE_ACTIVE', 'ACCESS_TOKEN_TYPE_BEARER', 1234, 1, 'x', 'x')`,
      )
      .run();
    const exp = Math.floor(Date.now() / 1000) + 3600;
    old.prepare('INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?)').run('A'.repeat(22), exp);

    expect(migrate(old)).toContain(5);
    expect(old.prepare('SELECT token_generation, tokens_valid_after FROM users').get()).toEqual({ token_generation: 0, tokens_valid_after: 1234 });
    expect(old.prepare('SELECT jti, expires_at, user_id FROM revoked_tokens').all()).toEqual([{ jti: 'A'.repeat(22), expires_at: exp, user_id: null }]);
    const storage = new SqliteStorage(old);
    const list = await RevocationList.open(storage);
    expect(list.has('A'.repeat(22))).toBe(true);
    list.close();
    await storage.close();
    old.close();
  });
});
