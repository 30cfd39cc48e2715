import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDatabase } from '../src/storage/backup.js';
import { createServiceUser } from './support/service-users.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';

let t: TestApp;
afterEach(() => t.cleanup());

describe('online backup', () => {
  it('copies a consistent database while the app keeps serving, and never overwrites', async () => {
    t = await createTestApp();
    const s = await signIn(t.app);
    await createServiceUser(s, 'backed-up');
    const file = path.join(t.dir, 'backups', 'one.db');
    const { pages } = await backupDatabase(t.db, file);
    expect(pages).toBeGreaterThan(0);
    await createServiceUser(s, 'after-backup'); // the app still writes

    const copy = new Database(file, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare("SELECT username FROM users WHERE type = 'machine'").pluck().all()).toEqual(['backed-up']);
    copy.close();
    await expect(backupDatabase(t.db, file)).rejects.toThrow(/already exists/);
    expect(fs.statSync(file).size).toBeGreaterThan(0);
  });
});
