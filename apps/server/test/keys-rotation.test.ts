import { createHmac } from 'node:crypto';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashClientSecret } from '../src/domain/secrets/hash.js';
import { MasterKey } from '../src/security/envelope.js';
import { afterDataVersionPoll, copiedBytes, databaseEnv, holdsKey, masterKeyEnv, tessera } from './support/keys.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { accessToken, createClient, grantOrgRoles, tokenRequest, type Client } from './support/tokens.js';
import { call, createServiceUser, generateSecret } from './support/service-users.js';
import { opensOpaque } from './support/stolen-copy.js';

let t: TestApp;
afterEach(() => t?.cleanup());

const orgsMe = (token: string) => request(t.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${token}`);
const kidOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
const env = () => databaseEnv(t);
const storedKey = async (purpose: string, id: number) =>
  (await t.storage.one<{ material: string }>('SELECT material FROM instance_keys WHERE purpose = ? AND id = ?', [purpose, id]))?.material;
const keyIds = async (purpose: string) =>
  (await t.storage.all<{ id: number }>('SELECT id FROM instance_keys WHERE purpose = ? ORDER BY id', [purpose])).map((r) => r.id);
const secretRow = async (c: Client) =>
  (await t.storage.one<{ hash: Buffer; key_id: number }>('SELECT hash, key_id FROM machine_secrets WHERE user_id = ?', [c.userId]))!;

async function manager(type: 'ACCESS_TOKEN_TYPE_BEARER' | 'ACCESS_TOKEN_TYPE_JWT', name: string): Promise<Client> {
  const admin = await signIn(t.app);
  const c = await createClient(admin, name, type);
  await grantOrgRoles(t.storage, admin.whoami.orgId, c.userId, ['ORG_OWNER']);
  return c;
}

describe('rotate-key signing', () => {
  it('retires the old key without its private key: its tokens stay valid, no copy of it stays in the file', async () => {
    t = await createTestApp();
    const c = await manager('ACCESS_TOKEN_TYPE_JWT', 'jwt-rotate');
    const old = await accessToken(t.app, c);
    const d = t.ctx.tokens.keys.active.privateKey.export({ format: 'jwk' }).d!;
    expect(holdsKey(await copiedBytes(t), d)).toBe(true);

    expect((await tessera(['rotate-key', 'signing'], env())).code).toBe(0);
    // Staged: the new key is published at once and signs two seconds later; the old one signs until then.
    const rows = () => t.storage.all('SELECT kid, private_jwk IS NOT NULL AS private FROM signing_keys ORDER BY created_at');
    expect(await rows()).toEqual([
      { kid: kidOf(old), private: 1 },
      { kid: expect.any(String), private: 1 },
    ]);
    await afterDataVersionPoll();
    expect(kidOf(await accessToken(t.app, c))).toBe(kidOf(old));
    // Once the new key signs, the old one is retired: its private key goes from the file, its public key stays.
    await vi.waitFor(
      async () =>
        expect(await rows()).toEqual([
          { kid: kidOf(old), private: 0 },
          { kid: expect.any(String), private: 1 },
        ]),
      { timeout: 5_000, interval: 100 },
    );
    expect(holdsKey(await copiedBytes(t), d)).toBe(false);
    await orgsMe(old).expect(200);
    expect(kidOf(await accessToken(t.app, c))).not.toBe(kidOf(old));
  });

  it('--retire-now: the old key stops verifying at once in the running server; its tokens are refused', async () => {
    t = await createTestApp();
    const c = await manager('ACCESS_TOKEN_TYPE_JWT', 'jwt-retire');
    const old = await accessToken(t.app, c);
    await orgsMe(old).expect(200); // now also in the server's decoded-token cache

    const r = await tessera(['rotate-key', 'signing', '--retire-now'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Withdrew ${kidOf(old)}: deleted at once, so every JWT they signed is refused from now on`);
    await afterDataVersionPoll();
    await orgsMe(old).expect(401);
    const keys = (await request(t.app).get('/oauth/v2/keys').expect(200)).body.keys as { kid: string }[];
    const fresh = await accessToken(t.app, c);
    expect(keys.map((k) => k.kid)).toEqual([kidOf(fresh)]);
    await orgsMe(fresh).expect(200);
  });
});

describe('rotate-key opaque', () => {
  it('seals new tokens with the new key; old ones stay valid until their lifetime ends, then the key is deleted', async () => {
    t = await createTestApp();
    const c = await manager('ACCESS_TOKEN_TYPE_BEARER', 'opaque-rotate');
    const old = await accessToken(t.app, c);
    await orgsMe(old).expect(200);
    const key0 = t.ctx.instanceKeys.ring('opaque').get(0)!;

    const before = Math.floor(Date.now() / 1000);
    const r = await tessera(['rotate-key', 'opaque'], env());
    expect(r.stdout).toMatch(
      /^New opaque-token key, which seals BEARER access tokens: key 1 \(was key 0\)\.\nKey 0 still opens the tokens it sealed until \d{4}-.*Z \(their lifetime\), then is deleted\./,
    );
    const { delete_after: deleteAfter } = (await t.storage.one<{ delete_after: number }>(
      "SELECT delete_after FROM instance_keys WHERE purpose = 'opaque' AND id = 0",
    ))!;
    expect(deleteAfter - before).toBeGreaterThanOrEqual(43200 + 300);
    expect(deleteAfter - before).toBeLessThan(43200 + 300 + 60);
    await afterDataVersionPoll();

    const fresh = await accessToken(t.app, c);
    expect(opensOpaque(key0, fresh)).toBe(false);
    expect(opensOpaque(t.ctx.instanceKeys.ring('opaque').get(1)!, fresh)).toBe(true);
    expect(opensOpaque(key0, old)).toBe(true);
    await orgsMe(old).expect(200);
    await orgsMe(fresh).expect(200);

    // Time passes: the last token key 0 sealed has expired, so key 0 opens nothing, cached or not.
    const past = Math.floor(Date.now() / 1000) - 1;
    await t.storage.command((tx) => tx.run("UPDATE instance_keys SET delete_after = ? WHERE purpose = 'opaque' AND id = 0", [past]));
    await orgsMe(old).expect(401);
    await orgsMe(fresh).expect(200);
    expect(await t.ctx.instanceKeys.prune()).toEqual([{ purpose: 'opaque', id: 0 }]); // what the server does every minute
    expect(await keyIds('opaque')).toEqual([1]);
    expect(holdsKey(await copiedBytes(t), key0)).toBe(false);
  });

  it('--retire-now: deletes the old key, so every token it sealed is refused at once', async () => {
    t = await createTestApp();
    const c = await manager('ACCESS_TOKEN_TYPE_BEARER', 'opaque-retire');
    const old = await accessToken(t.app, c);
    await orgsMe(old).expect(200);
    const key0 = t.ctx.instanceKeys.ring('opaque').get(0)!;

    const r = await tessera(['rotate-key', 'opaque', '--retire-now'], env());
    expect(r.stdout).toContain('Deleted key 0 at once: every BEARER token it sealed is refused from now on');
    expect(await keyIds('opaque')).toEqual([1]);
    expect(holdsKey(await copiedBytes(t), key0)).toBe(false);
    await afterDataVersionPoll();
    await orgsMe(old).expect(401);
    await orgsMe(await accessToken(t.app, c)).expect(200);
  });
});

/** express-session's cookie value: s:<sid>.<HMAC-SHA-256 of sid under the secret, base64 without padding>. */
const signedSid = (sid: string, secret: string) => `s:${sid}.${createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '')}`;
const sessionCookie = (value: string) => `tessera.sid=${encodeURIComponent(value)}`;

describe('rotate-key session', () => {
  it('signs everyone out at once, and the running server signs new sessions with the new key only', async () => {
    t = await createTestApp();
    const admin = await signIn(t.app);
    await admin.agent.get('/api/session').expect(200);
    const oldSecret = t.ctx.sessionSecrets[0]!;

    const r = await tessera(['rotate-key', 'session'], env());
    expect(r.stdout).toMatch(
      /^New session key, which signs console session cookies: key 1 \(was key 0\)\.\nDeleted key 0 and signed out 1 console session\(s\): operators sign in again\./,
    );
    expect(await t.storage.one('SELECT count(*) AS n FROM sessions')).toEqual({ n: 0 });
    await admin.agent.get('/api/session').expect(401);

    const newSecret = (await storedKey('session', 1))!;
    await vi.waitFor(() => expect(t.ctx.sessionSecrets).toEqual([newSecret]), { timeout: 5000, interval: 50 });
    const again = await request(t.app).post('/api/session').send({ username: 'admin', password: 'correct horse battery staple' }).expect(200);
    const value = decodeURIComponent(again.headers['set-cookie']![0]!.split(';')[0]!.slice('tessera.sid='.length));
    const sid = value.slice(2, value.lastIndexOf('.'));
    expect(value).toBe(signedSid(sid, newSecret));
    await request(t.app)
      .get('/api/session')
      .set('Cookie', sessionCookie(signedSid(sid, newSecret)))
      .expect(200);
    await request(t.app)
      .get('/api/session')
      .set('Cookie', sessionCookie(signedSid(sid, oldSecret)))
      .expect(401);
    expect(await keyIds('session')).toEqual([1]);
    expect(holdsKey(await copiedBytes(t), oldSecret)).toBe(false);
  });
});

describe('rotate-key client-secret-hmac', () => {
  it('re-hashes each secret with the new key at its next successful use, then deletes the old key', async () => {
    t = await createTestApp();
    const admin = await signIn(t.app);
    const a = await createClient(admin, 'hmac-a');
    const b = await createClient(admin, 'hmac-b');
    const hashA0 = (await secretRow(a)).hash;

    const r = await tessera(['rotate-key', 'client-secret-hmac'], env());
    expect(r.stdout).toContain('2 client secret(s) are still hashed with an older key: each is re-hashed with key 1 the next time its client authenticates');
    await afterDataVersionPoll();
    await t.ctx.instanceKeys.fresh(); // what every request that uses the keys does first
    const key1 = t.ctx.secretKey.get(1)!;

    // The client notices nothing; parallel first uses race harmlessly.
    const answers = await Promise.all(Array.from({ length: 8 }, () => tokenRequest(t.app, a)));
    expect(answers.map((x) => x.status)).toEqual(Array(8).fill(200));
    expect((await secretRow(a)).key_id).toBe(1);
    expect((await secretRow(a)).hash.equals(hashClientSecret(key1, a.clientSecret))).toBe(true);
    expect((await secretRow(a)).hash.equals(hashA0)).toBe(false);

    // A wrong secret changes nothing; b's hash still needs key 0, so key 0 is kept.
    await tokenRequest(t.app, { clientId: b.clientId, clientSecret: 'x'.repeat(64) }).expect(401);
    expect((await secretRow(b)).key_id).toBe(0);
    expect(await keyIds('client-secret-hmac')).toEqual([0, 1]);
    const key0 = t.ctx.secretKey.get(0)!;

    // b's last use under key 0 re-hashes it, and key 0 goes with it.
    await tokenRequest(t.app, b).expect(200);
    expect((await secretRow(b)).key_id).toBe(1);
    expect(await keyIds('client-secret-hmac')).toEqual([1]);
    expect(holdsKey(await copiedBytes(t), key0)).toBe(false);
    await tokenRequest(t.app, a).expect(200);
    await tokenRequest(t.app, b).expect(200);
  });

  it('hashes a new secret with the current key; a key no secret needs is deleted at once', async () => {
    t = await createTestApp();
    const admin = await signIn(t.app);
    const r = await tessera(['rotate-key', 'client-secret-hmac'], env());
    expect(r.stdout).toContain('Deleted key 0: no client secret or personal access token needed it.');
    expect(await keyIds('client-secret-hmac')).toEqual([1]);
    await afterDataVersionPoll();
    const c = await createClient(admin, 'hmac-new');
    expect((await secretRow(c)).key_id).toBe(1);
    await tokenRequest(t.app, c).expect(200);
    // A secret regenerated after a rotation no longer needs the old key either.
    await tessera(['rotate-key', 'client-secret-hmac'], env());
    await afterDataVersionPoll();
    const renewed = { ...c, ...(await generateSecret(admin, c.userId)) };
    expect((await secretRow(c)).key_id).toBe(2);
    expect(await t.ctx.instanceKeys.prune()).toEqual([{ purpose: 'client-secret-hmac', id: 1 }]);
    await tokenRequest(t.app, renewed).expect(200);
  });
});

describe('rotate-key client-secret-hmac with personal access tokens', () => {
  it('keeps the key a personal access token was made with, which keeps working, until the token is removed', async () => {
    t = await createTestApp();
    const admin = await signIn(t.app);
    const userId = await createServiceUser(admin, 'pat-rotation');
    await grantOrgRoles(t.storage, admin.whoami.orgId, userId, ['ORG_OWNER']);
    const { tokenId, token } = (await call(admin, 'post', `/users/${userId}/pats`, {}).expect(200)).body;

    const r = await tessera(['rotate-key', 'client-secret-hmac'], env());
    expect(r.stdout).toContain('Kept key 0: no client secret needs it, but personal access tokens made with it do.');
    expect(r.stdout).toContain('1 personal access token(s) are hashed with an older key');
    await afterDataVersionPoll();
    expect(await keyIds('client-secret-hmac')).toEqual([0, 1]);
    await request(t.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${token}`).expect(200);

    await call(admin, 'delete', `/users/${userId}/pats/${tokenId}`).expect(200);
    expect(await t.ctx.instanceKeys.prune()).toEqual([{ purpose: 'client-secret-hmac', id: 0 }]);
    const renewed = (await call(admin, 'post', `/users/${userId}/pats`, {}).expect(200)).body.token as string;
    await request(t.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${renewed}`).expect(200);
  });

  it("keeps the key an API application's secret was hashed with, re-hashes it at its next introspection, then deletes the key", async () => {
    t = await createTestApp();
    const admin = await signIn(t.app);
    const projectId = (await call(admin, 'post', '/projects', { name: 'Rotation API' }).expect(200)).body.id as string;
    const app = (await call(admin, 'post', `/projects/${projectId}/apps/api`, { name: 'rotating' }).expect(200)).body as {
      appId: string;
      clientId: string;
      clientSecret: string;
    };
    await tessera(['rotate-key', 'client-secret-hmac'], env());
    await afterDataVersionPoll();
    expect(await keyIds('client-secret-hmac')).toEqual([0, 1]);
    expect(await t.ctx.instanceKeys.prune()).toEqual([]);
    const introspect = () => request(t.app).post('/oauth/v2/introspect').auth(app.clientId, app.clientSecret).type('form').send({ token: 'x' });
    expect((await introspect().expect(200)).body).toEqual({ active: false });
    const row = await t.storage.one<{ secret_key_id: number }>('SELECT secret_key_id FROM api_apps WHERE id = ?', [app.appId]);
    expect(row!.secret_key_id).toBe(1);
    expect(await keyIds('client-secret-hmac')).toEqual([1]);
    await introspect().expect(200);
  });
});

describe('rotate-key master', () => {
  it('re-wraps every key under the new master key: nothing issued is affected, and only the new key opens the database', async () => {
    const master = masterKeyEnv();
    t = await createTestApp(master);
    const bearer = await manager('ACCESS_TOKEN_TYPE_BEARER', 'master-bearer');
    const jwt = await manager('ACCESS_TOKEN_TYPE_JWT', 'master-jwt');
    const tokens = [await accessToken(t.app, bearer), await accessToken(t.app, jwt)];
    const admin = await signIn(t.app);
    const next = MasterKey.generate();

    const r = await tessera(['rotate-key', 'master'], { ...env(), ...master, TESSERA_NEW_MASTER_KEY: next });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Re-wrapped 4 keys with the new master key; the keys themselves are unchanged/);
    // The running server goes on with the keys it holds.
    await afterDataVersionPoll();
    for (const token of tokens) await orgsMe(token).expect(200);
    await tokenRequest(t.app, bearer).expect(200);
    await admin.agent.get('/api/session').expect(200);

    const dir = t.dir;
    await t.close();
    await expect(createTestApp(master, dir)).rejects.toThrow(/^the configured master key is not the one/);
    t = await createTestApp({ TESSERA_MASTER_KEY: next }, dir);
    for (const token of tokens) await orgsMe(token).expect(200);
    await tokenRequest(t.app, bearer).expect(200);
  });

  it('needs the current key, and a new one that differs from it', async () => {
    const master = masterKeyEnv();
    t = await createTestApp(master);
    const next = { TESSERA_NEW_MASTER_KEY: MasterKey.generate() };
    const refused = (problem: RegExp) => ({ code: 2, stderr: expect.stringMatching(new RegExp(`^Invalid configuration:\\n {2}- ${problem.source}`)) });
    expect(await tessera(['rotate-key', 'master'], { ...env(), ...next })).toMatchObject(
      refused(/TESSERA_MASTER_KEY_FILE: set it \(or TESSERA_MASTER_KEY\) to the current master key/),
    );
    expect(await tessera(['rotate-key', 'master'], { ...env(), ...master })).toMatchObject(
      refused(/TESSERA_NEW_MASTER_KEY_FILE: set it \(or TESSERA_NEW_MASTER_KEY\) to the new master key/),
    );
    expect(await tessera(['rotate-key', 'master'], { ...env(), ...master, TESSERA_NEW_MASTER_KEY: master.TESSERA_MASTER_KEY! })).toMatchObject(
      refused(/TESSERA_NEW_MASTER_KEY_FILE: the new master key is the current one/),
    );
    expect(await tessera(['rotate-key', 'master'], { ...env(), ...master, TESSERA_NEW_MASTER_KEY: 'short' })).toMatchObject(
      refused(/TESSERA_NEW_MASTER_KEY: must encode exactly 32 random bytes/),
    );
    expect(await tessera(['rotate-key', 'master'], { ...env(), ...masterKeyEnv(), ...next })).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/the configured master key is not the one/),
    });
  });
});
