import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashClientSecret } from '../src/domain/secrets/hash.js';
import { detachedKeyPair } from '../src/domain/tokens/key-material.js';
import { backupDatabase } from '../src/storage/backup.js';
import { KEY_PURPOSES } from '../src/storage/instance-keys.js';
import { databaseBytes, holdsKey, masterKeyEnv } from './support/keys.js';
import { lootDatabaseCopy, sealOpaque, signJwt, type Victim } from './support/stolen-copy.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { accessToken, createClient, grantOrgRoles, tokenRequest, type Client } from './support/tokens.js';

let t: TestApp;
afterEach(() => t?.cleanup());

const orgsMe = (app: TestApp, token: string) => request(app.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${token}`);

/** Two service users managing their organization, one per token type. */
async function victims(app: TestApp): Promise<{ bearer: Client & Victim; jwt: Client & Victim; cookie: string }> {
  const admin = await signIn(app.app);
  const orgId = admin.whoami.orgId;
  const bearer = { ...(await createClient(admin, 'victim-bearer')), orgId };
  const jwt = { ...(await createClient(admin, 'victim-jwt', 'ACCESS_TOKEN_TYPE_JWT')), orgId };
  for (const c of [bearer, jwt]) await grantOrgRoles(app.storage, orgId, c.userId, ['ORG_OWNER']);
  const res = await request(app.app).post('/api/session').send({ username: 'admin', password: 'correct horse battery staple' }).expect(200);
  const cookie = res.headers['set-cookie']![0]!.split(';')[0]!;
  return { bearer, jwt, cookie };
}

/** Every key the running app holds: each kept instance key, and the active signing key's private part. */
function liveKeys(app: TestApp): (Buffer | string)[] {
  const keys: (Buffer | string)[] = [];
  for (const purpose of KEY_PURPOSES) {
    const ring = app.ctx.instanceKeys.ring(purpose);
    for (const id of ring.ids()) keys.push(ring.get(id)!);
  }
  keys.push(app.ctx.tokens.keys.active.privateKey.export({ format: 'jwk' }).d!);
  return keys;
}

/** A copy as `npm run backup` makes it (SQLite's backup API: every page, as it is). */
async function stolenCopy(app: TestApp): Promise<string> {
  const file = path.join(app.dir, 'stolen-backup.db');
  await backupDatabase(app.db, file);
  return file;
}

const storedHash = (file: string, userId: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT hash FROM machine_secrets WHERE user_id = ?').pluck().get(userId) as Buffer;
  } finally {
    db.close();
  }
};

describe('a stolen copy of the database (a backup)', () => {
  it('with a master key: holds no key, and nothing made from its rows is accepted', async () => {
    t = await createTestApp(masterKeyEnv());
    const { bearer, jwt } = await victims(t);
    await orgsMe(t, await accessToken(t.app, bearer)).expect(200);
    const kid = t.ctx.tokens.keys.active.kid;
    const copy = await stolenCopy(t);
    const loot = lootDatabaseCopy(copy);

    // What can be made from it: a token sealed with each key-like value, a JWT with each private JWK.
    expect(loot.keys.length).toBeGreaterThan(0);
    for (const key of loot.keys) await orgsMe(t, sealOpaque(key, bearer, t.ctx.tokens.managementAudience)).expect(401);
    expect(loot.signingKeys).toEqual([]);
    // No byte of the copy is any key in use, in any encoding.
    const bytes = databaseBytes(copy);
    for (const key of liveKeys(t)) expect(holdsKey(bytes, key)).toBe(false);
    // Nor can a guess at a client secret be checked against the copy's hashes.
    const hash = storedHash(copy, bearer.userId);
    for (const key of loot.keys) expect(hashClientSecret(key, bearer.clientSecret).equals(hash)).toBe(false);

    // Control: the same forgeries with the keys the server holds in memory are accepted, so the
    // attempts above would have shown a key that leaked.
    const ring = t.ctx.instanceKeys.ring('opaque');
    await orgsMe(t, sealOpaque(ring.current.key, bearer, t.ctx.tokens.managementAudience)).expect(200);
    await orgsMe(t, signJwt(t.ctx.tokens.keys.active.privateKey, kid, jwt, t.config.issuer, t.ctx.tokens.managementAudience)).expect(200);
    expect(hashClientSecret(t.ctx.secretKey.current.key, bearer.clientSecret).equals(hash)).toBe(true);
  });

  it('without a master key: holds every key, and mints tokens the API accepts', async () => {
    t = await createTestApp();
    const { bearer, jwt } = await victims(t);
    const kid = t.ctx.tokens.keys.active.kid;
    const copy = await stolenCopy(t);
    const loot = lootDatabaseCopy(copy);

    const bytes = databaseBytes(copy);
    for (const key of liveKeys(t)) expect(holdsKey(bytes, key)).toBe(true);
    const accepted = [];
    for (const key of loot.keys) {
      const token = sealOpaque(key, bearer, t.ctx.tokens.managementAudience);
      if ((await orgsMe(t, token)).status === 200) accepted.push(token);
    }
    expect(accepted).toHaveLength(1);
    expect(loot.signingKeys).toHaveLength(1);
    await orgsMe(t, signJwt(loot.signingKeys[0]!.key, kid, jwt, t.config.issuer, t.ctx.tokens.managementAudience)).expect(200);
    const hash = storedHash(copy, bearer.userId);
    expect(loot.keys.some((key) => hashClientSecret(key, bearer.clientSecret).equals(hash))).toBe(true);
  });
});

/** Log lines as pino writes them, for tests that read what was logged. */
function logSink(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => ((text += chunk.toString()), done()) });
  return {
    stream,
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('the master key at start', () => {
  it('wraps the keys of an existing instance in place, once, and what was issued before keeps working', async () => {
    t = await createTestApp();
    const { bearer, jwt, cookie } = await victims(t);
    const tokens = [await accessToken(t.app, bearer), await accessToken(t.app, jwt)];
    const before = liveKeys(t);
    // Key bytes an earlier delete left in free space anywhere in the file (here: pages another table
    // freed), as pruning a retired signing key did before there was a master key.
    const pruned = detachedKeyPair('ES256').privateKey.export({ format: 'jwk' });
    t.db.exec('CREATE TABLE old_keys (jwk TEXT)');
    t.db.prepare('INSERT INTO old_keys VALUES (?)').run(JSON.stringify(pruned));
    t.db.exec('DROP TABLE old_keys');
    t.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(holdsKey(databaseBytes(t.config.dbFile), pruned.d!)).toBe(true);
    await t.close();

    const master = masterKeyEnv();
    const log = logSink();
    t = await createTestApp({ ...master, TESSERA_LOG_LEVEL: 'info' }, t.dir, log.stream);
    const wrapped = log.lines().filter((l) => String(l.msg).startsWith('wrapped the keys stored in the database with the master key'));
    expect(wrapped).toEqual([expect.objectContaining({ level: 30, instanceKeys: 3, signingKeys: 1 })]);
    const materials = t.db
      .prepare('SELECT material FROM instance_keys UNION ALL SELECT private_jwk FROM signing_keys WHERE private_jwk IS NOT NULL')
      .pluck()
      .all() as string[];
    expect(materials.length).toBe(4);
    for (const m of materials) expect(m.startsWith('tmk1.')).toBe(true);

    // The same keys, now wrapped: tokens, secrets and sessions from before are all still good.
    for (const token of tokens) await orgsMe(t, token).expect(200);
    await tokenRequest(t.app, bearer).expect(200);
    await request(t.app).get('/api/session').set('Cookie', cookie).expect(200);
    // And the file (and its WAL) no longer holds them unwrapped anywhere, not even in free space.
    const bytes = databaseBytes(t.config.dbFile);
    for (const key of [...before, pruned.d!]) expect(holdsKey(bytes, key)).toBe(false);

    const again = logSink();
    await t.close();
    t = await createTestApp({ ...master, TESSERA_LOG_LEVEL: 'info' }, t.dir, again.stream);
    expect(again.lines().filter((l) => String(l.msg).startsWith('wrapped'))).toEqual([]);
    await orgsMe(t, tokens[0]!).expect(200);
  });

  it('refuses to start without the master key, or with another one, saying which', async () => {
    const master = masterKeyEnv();
    t = await createTestApp(master);
    const dir = t.dir;
    await t.close();
    await expect(createTestApp({}, dir)).rejects.toThrow(
      /^the keys in .*tessera\.db are wrapped with a master key, and none is configured: set TESSERA_MASTER_KEY or TESSERA_MASTER_KEY_FILE to the master key they were wrapped with$/,
    );
    await expect(createTestApp(masterKeyEnv(), dir)).rejects.toThrow(
      /^the configured master key is not the one the keys in .*tessera\.db were wrapped with \(check TESSERA_MASTER_KEY or TESSERA_MASTER_KEY_FILE\)$/,
    );
    t = await createTestApp(master, dir);
    await signIn(t.app);
  });

  it('refuses a wrapped key moved into another row (each is bound to its row)', async () => {
    const master = masterKeyEnv();
    t = await createTestApp(master);
    const get = t.db.prepare('SELECT material FROM instance_keys WHERE purpose = ? AND id = 0').pluck();
    const [opaque, session] = [get.get('opaque'), get.get('session')];
    const set = t.db.prepare('UPDATE instance_keys SET material = ? WHERE purpose = ? AND id = 0');
    set.run(opaque, 'session');
    set.run(session, 'opaque');
    await t.close();
    await expect(createTestApp(master, t.dir)).rejects.toThrow(
      /^instance-key\/(opaque|session)\/0 does not open with the master key: the row was altered, or copied from another row$/,
    );
  });

  it('without one: starts as before, and warns when NODE_ENV=production', async () => {
    const log = logSink();
    t = await createTestApp({ TESSERA_LOG_LEVEL: 'warn' }, undefined, log.stream);
    expect(log.lines()).toEqual([]);
    await t.close();
    vi.stubEnv('NODE_ENV', 'production');
    try {
      t = await createTestApp({ TESSERA_LOG_LEVEL: 'warn' }, t.dir, log.stream);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(log.lines()).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringMatching(/^no master key: the instance keys and signing keys are stored unwrapped/) }),
    ]);
    expect(fs.existsSync(t.config.dbFile)).toBe(true);
  });
});
