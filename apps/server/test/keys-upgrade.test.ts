import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../src/domain/tokens/key-material.js';
import { openDatabase } from '../src/storage/db.js';
import { migrate } from '../src/storage/migrate.js';
import { databaseBytes, holdsKey } from './support/keys.js';
import { sealOpaque } from './support/stolen-copy.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { createClient, grantOrgRoles } from './support/tokens.js';

let t: TestApp;
afterEach(() => t?.cleanup());

/** A database as the versions before migration 006 left it: keys in settings, private keys kept at retirement. */
function databaseBefore006(file: string) {
  const db = openDatabase(file);
  migrate(db, { before: 6 });
  const settings = {
    access_token_key: randomBytes(32).toString('base64url'),
    session_secret: randomBytes(32).toString('base64url'),
    client_secret_hmac_key: randomBytes(32).toString('base64url'),
  };
  for (const [k, v] of Object.entries(settings)) db.prepare('INSERT INTO settings VALUES (?, ?)').run(k, v);
  const now = Math.floor(Date.now() / 1000);
  const retired = generateSigningKey('ES256', now - 200);
  const active = generateSigningKey('ES256', now - 100);
  const insert = db.prepare('INSERT INTO signing_keys VALUES (?, ?, ?, ?, ?, ?)');
  for (const [k, retiredAt] of [
    [retired, now - 100],
    [active, null],
  ] as const) {
    insert.run(k.kid, k.alg, JSON.stringify(k.privateKey.export({ format: 'jwk' })), JSON.stringify(k.publicJwk), k.createdAt, retiredAt);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { settings, retired, active };
}

describe('migration 006 on an existing database', () => {
  it("keeps today's keys as id 0, so tokens, cookies and secret hashes stay good, and drops retired private keys", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-upgrade-'));
    const old = databaseBefore006(path.join(dir, 'tessera.db'));
    const retiredD = old.retired.privateKey.export({ format: 'jwk' }).d!;
    expect(holdsKey(databaseBytes(path.join(dir, 'tessera.db')), retiredD)).toBe(true);

    t = await createTestApp({}, dir);
    expect(t.db.prepare('SELECT purpose, id, material FROM instance_keys ORDER BY purpose').all()).toEqual([
      { purpose: 'client-secret-hmac', id: 0, material: old.settings.client_secret_hmac_key },
      { purpose: 'opaque', id: 0, material: old.settings.access_token_key },
      { purpose: 'session', id: 0, material: old.settings.session_secret },
    ]);
    expect(t.db.prepare('SELECT key FROM settings').pluck().all()).toEqual([]);
    expect(t.ctx.sessionSecrets).toEqual([old.settings.session_secret]);
    expect(t.ctx.secretKey.current).toEqual({ id: 0, key: Buffer.from(old.settings.client_secret_hmac_key, 'base64url') });

    // A token sealed with the key as it was in settings opens: existing BEARER tokens stay valid.
    const admin = await signIn(t.app);
    const c = await createClient(admin, 'upgraded');
    await grantOrgRoles(t.storage, admin.whoami.orgId, c.userId, ['ORG_OWNER']);
    const victim = { ...c, orgId: admin.whoami.orgId };
    const token = sealOpaque(Buffer.from(old.settings.access_token_key, 'base64url'), victim, t.ctx.tokens.managementAudience);
    await request(t.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${token}`).expect(200);

    // The retired key still verifies (public key), but its private key is gone from the file.
    expect(t.db.prepare('SELECT kid, private_jwk IS NOT NULL AS private FROM signing_keys ORDER BY created_at').all()).toEqual([
      { kid: old.retired.kid, private: 0 },
      { kid: old.active.kid, private: 1 },
    ]);
    const jwks = (await request(t.app).get('/oauth/v2/keys').expect(200)).body.keys as { kid: string }[];
    expect(jwks.map((k) => k.kid).sort()).toEqual([old.retired.kid, old.active.kid].sort());
    t.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(holdsKey(databaseBytes(t.config.dbFile), retiredD)).toBe(false);
  });
});
