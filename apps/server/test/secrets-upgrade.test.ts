import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { closeContext, createContext } from '../src/context.js';
import { hashClientSecret } from '../src/domain/secrets/hash.js';
import { ensureFirstInstance } from '../src/domain/setup.js';
import { addMachineUser } from '../src/domain/users/commands.js';
import { createLogger } from '../src/logger.js';
import { openDatabase } from '../src/storage/db.js';
import { migrate } from '../src/storage/migrate.js';
import { openStorage } from '../src/storage/open.js';
import { migratePg } from '../src/storage/pg/migrate-pg.js';
import { freshDatabase } from './support/pg-server.js';
import { call } from './support/service-users.js';
import { ADMIN_PASSWORD, createTestApp, signIn, TEST_ENGINE, type TestApp } from './support/test-app.js';
import { tokenRequest } from './support/tokens.js';

let t: TestApp | undefined;
afterEach(() => t?.cleanup());

/**
 * A database as the versions before migration 012 left it, on this run's engine: one secret per
 * service user, keyed by the user. Returns the environment that points an app at it.
 */
async function databaseBefore012(dir: string) {
  const file = path.join(dir, 'tessera.db');
  const env: Record<string, string> = { TESSERA_DB: file };
  if (TEST_ENGINE === 'pg') {
    env.TESSERA_DATABASE_URL = (await freshDatabase()).url;
    await migratePg(env.TESSERA_DATABASE_URL, { before: 12 });
  } else {
    const db = openDatabase(file);
    migrate(db, { before: 12 });
    db.close();
  }
  const config = loadConfig({ ...env, TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD, TESSERA_LOG_LEVEL: 'silent' });
  const storage = await openStorage(config, { migrate: false });
  await ensureFirstInstance(storage, config);
  const { id: orgId } = (await storage.one<{ id: string }>('SELECT id FROM orgs'))!;
  const ctx = await createContext(config, storage, createLogger('silent'));
  const { userId } = await addMachineUser(storage, orgId, null, {
    userName: 'legacy',
    name: 'Legacy',
    description: '',
    accessTokenType: 'ACCESS_TOKEN_TYPE_BEARER',
  });
  const clientSecret = 'L'.repeat(60) + 'egcy';
  const { id, key } = ctx.secretKey.current;
  await storage.run('INSERT INTO machine_secrets (user_id, hash, created_at, key_id) VALUES (?, ?, ?, ?)', [
    userId,
    hashClientSecret(key, clientSecret),
    '2026-11-01T00:00:00.000Z',
    id,
  ]);
  await closeContext(ctx);
  await storage.close();
  return { env, userId, clientSecret };
}

describe('migration 012 on an existing database', () => {
  it("keeps each secret working as the user's one secret, without a hint, and rotates it with an overlap", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-upgrade-'));
    const legacy = await databaseBefore012(dir);
    t = await createTestApp(legacy.env, dir);
    const c = { clientId: 'legacy', clientSecret: legacy.clientSecret };
    await tokenRequest(t.app, c).expect(200);

    const s = await signIn(t.app);
    const listed = (await call(s, 'post', `/users/${legacy.userId}/secrets/_search`, {}).expect(200)).body.result;
    expect(listed).toEqual([
      expect.objectContaining({ id: legacy.userId, creationDate: '2026-11-01T00:00:00.000Z', state: 'SECRET_STATE_ACTIVE', usesLast24h: '1' }),
    ]);
    expect(listed[0].hint).toBeUndefined();
    const fresh = (await call(s, 'put', `/users/${legacy.userId}/secret`, { keepPreviousFor: '600s' }).expect(200)).body;
    await tokenRequest(t.app, c).expect(200);
    await tokenRequest(t.app, fresh).expect(200);
  });
});
