import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PUBLISH_GRACE_SECONDS } from '../src/domain/tokens/signing-keys.js';
import { afterDataVersionPoll, tessera } from './support/keys.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { accessToken, createClient, grantOrgRoles, type Client } from './support/tokens.js';

let t: TestApp;
afterEach(() => t?.cleanup());

async function jwtClient(app: TestApp): Promise<Client> {
  const s = await signIn(app.app);
  const c = await createClient(s, `jwt-${Math.random().toString(36).slice(2, 8)}`, 'ACCESS_TOKEN_TYPE_JWT');
  await grantOrgRoles(app.storage, s.whoami.orgId, c.userId, ['ORG_OWNER']);
  return c;
}
const jwks = async (app: TestApp) => (await request(app.app).get('/oauth/v2/keys').expect(200)).body as JSONWebKeySet;
const kidOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
const orgsMe = (app: TestApp, token: string) => request(app.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${token}`);
const keyRows = (app: TestApp) =>
  app.db.prepare('SELECT kid, alg, retired_at FROM signing_keys ORDER BY created_at').all() as { kid: string; alg: string; retired_at: number | null }[];

describe('signing keys', () => {
  it('are made on first start, kept in the database and the same after a restart', async () => {
    t = await createTestApp();
    const rows = keyRows(t);
    expect(rows).toEqual([{ kid: expect.any(String), alg: 'ES256', retired_at: null }]);
    const before = await jwks(t);
    t = await t.restart();
    expect(await jwks(t)).toEqual(before);
    expect(keyRows(t)).toEqual(rows);
  });

  it('rotate: the new key signs, the old one stays published and valid until its tokens expire', async () => {
    t = await createTestApp();
    const c = await jwtClient(t);
    const old = await accessToken(t.app, c);
    const oldKid = kidOf(old);
    const result = await t.ctx.tokens.keys.rotate();
    expect(result).toEqual({ kid: expect.any(String), alg: 'ES256', retired: [oldKid], withdrawn: [], pruned: [] });
    const fresh = await accessToken(t.app, c);
    expect(kidOf(fresh)).toBe(result.kid);
    const set = await jwks(t);
    expect(set.keys.map((k) => k.kid).sort()).toEqual([oldKid, result.kid].sort());
    for (const token of [old, fresh]) {
      await jwtVerify(token, createLocalJWKSet(set), { issuer: t.config.issuer, typ: 'at+jwt' });
      await orgsMe(t, token).expect(200);
    }
    // Once the old key's last token has expired, it is neither published nor accepted, and goes.
    const longAgo = Math.floor(Date.now() / 1000) - 43200 - PUBLISH_GRACE_SECONDS - 1;
    t.db.prepare('UPDATE signing_keys SET retired_at = ? WHERE kid = ?').run(longAgo, oldKid);
    await t.ctx.tokens.keys.refresh();
    expect((await jwks(t)).keys.map((k) => k.kid)).toEqual([result.kid]);
    await orgsMe(t, old).expect(401);
    expect((await t.ctx.tokens.keys.rotate()).pruned).toEqual([oldKid]);
  });

  it('signs RS256 when configured, and switching algorithm retires the old key', async () => {
    t = await createTestApp();
    const esKid = keyRows(t)[0]!.kid;
    const c = await jwtClient(t);
    const esToken = await accessToken(t.app, c);
    const dir = t.dir;
    await t.close();
    t = await createTestApp({ TESSERA_JWT_ALG: 'RS256' }, dir);
    expect(keyRows(t).map((r) => [r.alg, r.retired_at === null])).toEqual([
      ['ES256', false],
      ['RS256', true],
    ]);
    const rsToken = await accessToken(t.app, c);
    expect(JSON.parse(Buffer.from(rsToken.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    const set = await jwks(t);
    expect(set.keys.map((k) => [k.kty, k.alg])).toEqual([
      ['EC', 'ES256'],
      ['RSA', 'RS256'],
    ]);
    expect(Object.keys(set.keys[1]!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    await jwtVerify(rsToken, createLocalJWKSet(set), { issuer: t.config.issuer, algorithms: ['RS256'] });
    await orgsMe(t, rsToken).expect(200);
    await orgsMe(t, esToken).expect(200);
    expect(esKid).toBe(kidOf(esToken));
  });

  it('are each named in discovery while published: across a switch of TESSERA_JWT_ALG and back, on the same database', async () => {
    t = await createTestApp();
    const dir = t.dir;
    const c = await jwtClient(t);
    const discovered = async () => (await request(t.app).get('/.well-known/openid-configuration').expect(200)).body as Record<string, string[]>;
    const algs = async () => (await discovered()).id_token_signing_alg_values_supported;
    const esToken = await accessToken(t.app, c);
    expect(await algs()).toEqual(['ES256']);

    await t.close();
    t = await createTestApp({ TESSERA_JWT_ALG: 'RS256' }, dir);
    const rsToken = await accessToken(t.app, c);
    expect(await algs()).toEqual(['ES256', 'RS256']);
    // A verifier that accepts only the algorithms discovery names still accepts the earlier tokens.
    for (const token of [esToken, rsToken]) await jwtVerify(token, createLocalJWKSet(await jwks(t)), { algorithms: await algs() });

    await t.close();
    t = await createTestApp({ TESSERA_JWT_ALG: 'ES256' }, dir);
    expect((await jwks(t)).keys.map((k) => k.alg).sort()).toEqual(['ES256', 'ES256', 'RS256']);
    expect(await algs()).toEqual(['ES256', 'RS256']);
    await jwtVerify(rsToken, createLocalJWKSet(await jwks(t)), { algorithms: await algs() });

    // Once the RS256 key's last token has expired it is no longer published, nor named.
    const longAgo = Math.floor(Date.now() / 1000) - 43200 - PUBLISH_GRACE_SECONDS - 1;
    t.db.prepare("UPDATE signing_keys SET retired_at = ? WHERE alg = 'RS256'").run(longAgo);
    await t.ctx.tokens.keys.refresh();
    expect((await jwks(t)).keys.map((k) => k.alg)).toEqual(['ES256', 'ES256']);
    expect(await algs()).toEqual(['ES256']);
    // The RFC 8414 document names no algorithm of tokens: it has no ID token field to put one in.
    const metadata = await request(t.app).get('/.well-known/oauth-authorization-server').expect(200);
    expect(Object.keys(metadata.body as object).filter((k) => k.startsWith('id_token'))).toEqual([]);
  });

  it("refuses a JWT whose header names an algorithm other than its key's, or none", async () => {
    t = await createTestApp();
    const c = await jwtClient(t);
    const token = await accessToken(t.app, c);
    const [, payload, sig] = token.split('.');
    const header = (h: object) => Buffer.from(JSON.stringify(h)).toString('base64url');
    for (const h of [
      { alg: 'none', typ: 'at+jwt' },
      { alg: 'RS256', kid: kidOf(token), typ: 'at+jwt' },
      { alg: 'ES256', kid: 'unknown', typ: 'at+jwt' },
    ]) {
      await orgsMe(t, `${header(h)}.${payload}.${sig}`).expect(401);
    }
    // An ID-token-typed JWT is not an access token (RFC 9068 section 4).
    await orgsMe(t, `${header({ alg: 'ES256', kid: kidOf(token), typ: 'JWT' })}.${payload}.${sig}`).expect(401);
  });
});

describe('the rotation CLI', () => {
  it('rotates the key of the database it is pointed at; a running server picks it up', async () => {
    t = await createTestApp();
    const c = await jwtClient(t);
    const oldKid = kidOf(await accessToken(t.app, c));
    const { code, stdout } = await tessera(['rotate-key', 'signing'], { TESSERA_DB: t.config.dbFile });
    expect(code).toBe(0);
    const newKid = keyRows(t).find((r) => r.retired_at === null)!.kid;
    expect(stdout).toMatch(
      new RegExp(
        `^New signing key ${newKid} \\(ES256\\) is published now and signs JWT access tokens from \\d{4}-.*\\nRetired ${oldKid} from then on: its private key is deleted; its public key stays published until \\d{4}-`,
      ),
    );
    // Published at once (the server re-reads its keys on the first request after the change)...
    await afterDataVersionPoll();
    expect((await jwks(t)).keys.map((k) => k.kid)).toContain(newKid);
    // ...and signing once its two seconds of staging are over.
    await vi.waitFor(async () => expect(kidOf(await accessToken(t.app, c))).toBe(newKid), { timeout: 4_000, interval: 50 });
    expect((await jwks(t)).keys).toHaveLength(2);
  });

  it('runs as a program under its former name and fails readably on bad configuration', () => {
    const cli = path.resolve(import.meta.dirname, '../src/cli/rotate-signing-key.ts');
    const tsx = path.resolve(import.meta.dirname, '../node_modules/.bin/tsx');
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(tsx, [cli], { env: { ...process.env, TESSERA_JWT_ALG: 'HS256' }, stdio: 'pipe' });
    } catch (e) {
      failure = { status: (e as { status: number }).status, stderr: String((e as { stderr: Buffer }).stderr) };
    }
    expect(failure?.status).toBe(2);
    expect(failure?.stderr).toContain('TESSERA_JWT_ALG');
  });
});
