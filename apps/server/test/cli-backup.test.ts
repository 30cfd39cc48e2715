import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tessera } from './support/keys.js';
import { createServiceUser } from './support/service-users.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';

let t: TestApp;
afterEach(() => t?.cleanup());

describe('npm run tessera -- backup', () => {
  it('copies the live database to a new file, says how it went, and never overwrites one', async () => {
    t = await createTestApp();
    await createServiceUser(await signIn(t.app), 'backed-up');
    const file = path.join(t.dir, 'backups', 'copy.db');
    const env = { TESSERA_DB: t.config.dbFile };

    const made = await tessera(['backup', file], env);
    expect(made).toMatchObject({ code: 0, stderr: '' });
    expect(made.stdout).toMatch(new RegExp(`^Backed up ${t.config.dbFile} to ${file} \\(\\d+ pages, source integrity: ok\\)\\.\\n$`));
    const copy = new Database(file, { readonly: true });
    expect(copy.prepare("SELECT username FROM users WHERE type = 'machine'").pluck().all()).toEqual(['backed-up']);
    copy.close();

    const size = fs.statSync(file).size;
    expect(await tessera(['backup', file], env)).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/already exists/) });
    expect(fs.statSync(file).size).toBe(size);
    expect(await tessera(['backup'], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/backup <backup-file>/) });
  });

  it('refuses PostgreSQL with what to use instead, and a missing database without creating one', async () => {
    t = await createTestApp();
    const pg = await tessera(['backup', path.join(t.dir, 'x.db')], { TESSERA_DATABASE_URL: 'postgres://tessera@127.0.0.1:1/tessera' });
    expect(pg).toMatchObject({ code: 1, stderr: expect.stringMatching(/pg_dump/) });
    const missing = path.join(t.dir, 'nothing-here.db');
    expect((await tessera(['backup', path.join(t.dir, 'y.db')], { TESSERA_DB: missing })).code).toBe(1);
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describe('node apps/server/dist/cli.js', () => {
  it('runs the same commands from the build alone', () => {
    const r = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../dist/cli.js'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run tessera -- <command> \[arguments\]/);
    expect(r.stdout).toMatch(/\n {2}backup <backup-file> +copy the SQLite database/);
  });
});
