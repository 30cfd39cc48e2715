import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureFirstInstance } from '../src/domain/setup.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Db } from '../src/storage/db.js';
import { migrate } from '../src/storage/migrate.js';
import { SqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from './support/test-app.js';

// Whoever copies the database has the session key (unwrapped, without a master key) and the sessions table. Neither may
// give them a cookie the console accepts: the table keeps only a hash of each session id.

let t: TestApp | undefined;
let dir: string | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A `tessera.sid` cookie for a session id, signed as express-session signs it (cookie-signature). */
function forgeCookie(sid: string, secret: string): string {
  const mac = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return `tessera.sid=${encodeURIComponent(`s:${sid}.${mac}`)}`;
}

/** What a copy of the database hands its reader: the session key and every value of every session row. */
function stolen(db: Db): { secret: string; values: string[] } {
  const secret = db.prepare("SELECT material FROM instance_keys WHERE purpose = 'session' AND retired_at IS NULL").pluck().get() as string;
  const rows = db.prepare('SELECT * FROM sessions').all() as Record<string, unknown>[];
  const values = rows.flatMap((r) => Object.values(r).map(String));
  return { secret, values };
}

function databaseBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

describe('console sessions at rest', () => {
  it('a sessions table read directly yields no cookie the server accepts', async () => {
    t = await createTestApp();
    const res = await request(t.app).post('/api/session').send({ username: 'admin', password: ADMIN_PASSWORD }).expect(200);
    const cookie = res.headers['set-cookie']![0]!.split(';')[0]!;
    const sid = /^s:([^.]+)\./.exec(decodeURIComponent(cookie.split('=')[1]!))![1]!;
    await request(t.app).get('/api/session').set('Cookie', cookie).expect(200);

    const { secret, values } = stolen(t.db);
    expect(values.length).toBeGreaterThanOrEqual(3); // one row: id, data, expiry
    // The forger is right: given the real session id, it makes a cookie the server takes.
    await request(t.app).get('/api/session').set('Cookie', forgeCookie(sid, secret)).expect(200);
    // What the table holds is no session id.
    for (const value of values) {
      const forged = await request(t.app).get('/api/session').set('Cookie', forgeCookie(value, secret));
      expect({ value, status: forged.status }).toEqual({ value, status: 401 });
      await request(t.app).get('/management/v1/orgs/me').set('Cookie', forgeCookie(value, secret)).expect(401);
    }
    // Nor does any byte of the database or its WAL.
    expect(databaseBytes(t.config.dbFile).includes(Buffer.from(sid))).toBe(false);

    // Sign-out still ends the session the hash stands for.
    await request(t.app)
      .delete('/api/session')
      .set('Cookie', cookie)
      .set('x-csrf-token', res.body.csrfToken as string)
      .expect(204);
    expect(t.db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0);
  });

  it('ends the sessions an older Tessera stored in the clear, at the upgrade', async () => {
    // A database as the release before this change left it: its migrations, its session key in settings, a signed-in session.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-sessions-'));
    const file = path.join(dir, 'tessera.db');
    const db = openDatabase(file);
    // The release before kept its keys in settings, each made on first use.
    migrate(db, { before: 6 });
    const secret = randomBytes(32).toString('base64url');
    db.prepare("INSERT INTO settings (key, value) VALUES ('session_secret', ?)").run(secret);
    const storage = new SqliteStorage(db);
    await ensureFirstInstance(storage, loadConfig({ TESSERA_DB: file, TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD }));
    const admin = db.prepare("SELECT id FROM users WHERE username = 'admin'").pluck().get() as string;
    const legacySid = 'Q3x9GkV1oRr0a6hYb2Jm8cNwT4sLpE7u';
    const data = {
      cookie: { originalMaxAge: 3_600_000, httpOnly: true, sameSite: 'strict', path: '/' },
      userId: admin,
      csrfToken: 'c'.repeat(43),
      signedInAt: Date.now(),
    };
    db.prepare('INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?)').run(legacySid, JSON.stringify(data), Date.now() + 3_600_000);
    db.close();

    t = await createTestApp({}, dir);
    expect(t.db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0);
    await request(t.app).get('/api/session').set('Cookie', forgeCookie(legacySid, secret)).expect(401);
    // Signing in again works as always.
    await request(t.app).post('/api/session').send({ username: 'admin', password: ADMIN_PASSWORD }).expect(200);
  });
});
