import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDatabase } from '../src/storage/backup.js';
import { openDatabase } from '../src/storage/db.js';
import { canSwitchUser, readAsNobody } from './support/other-user.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { ADMIN_PASSWORD, createTestApp, signIn, type TestApp } from './support/test-app.js';

// The database and its backups hold the instance keys and live sessions: another user of the host
// who can read them can sign tokens and cookies. Only Tessera's own user may read them.

/** The built command line, as `npm run backup` runs it. */
const CLI = path.resolve(import.meta.dirname, '../dist/cli.js');
const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8).padStart(4, '0');

let root: string;
let t: TestApp | undefined;
let server: ServerProcess | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
  server?.child.kill('SIGKILL');
  server = undefined;
  fs.rmSync(root, { recursive: true, force: true });
});

/** A folder other users can enter, like /srv or a home directory (mkdtemp makes 0700 ones). */
function sharedRoot(): string {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-files-'));
  fs.chmodSync(root, 0o755);
  return root;
}

/** Runs fn with the most permissive umask, so only explicit modes can protect the files. */
async function withUmask<T>(mask: number, fn: () => Promise<T>): Promise<T> {
  const old = process.umask(mask);
  try {
    return await fn();
  } finally {
    process.umask(old);
  }
}

describe('database files at rest', () => {
  it('creates the data folder 0700 and the database, its WAL and SHM 0600, whatever the umask', async () => {
    const data = path.join(sharedRoot(), 'data');
    await withUmask(0o000, async () => {
      t = await createTestApp({}, data);
      await signIn(t.app); // a write, so the WAL has content
    });
    const db = path.join(data, 'tessera.db');
    expect(fs.existsSync(`${db}-wal`) && fs.existsSync(`${db}-shm`)).toBe(true);
    expect({ folder: mode(data), db: mode(db), wal: mode(`${db}-wal`), shm: mode(`${db}-shm`) }).toEqual({
      folder: '0700',
      db: '0600',
      wal: '0600',
      shm: '0600',
    });
  });

  it('writes a backup 0600, in a 0700 folder when it creates one, whatever the umask', async () => {
    const backups = path.join(sharedRoot(), 'backups', 'daily');
    t = await createTestApp();
    const { file } = await withUmask(0o000, () => backupDatabase(t!.db, path.join(backups, 'one.db')));
    expect({ parent: mode(path.dirname(backups)), folder: mode(backups), file: mode(file) }).toEqual({ parent: '0700', folder: '0700', file: '0600' });
    // Still a database, and the refusal to overwrite holds.
    const copy = new Database(file, { readonly: true });
    expect(copy.prepare('SELECT count(*) FROM orgs').pluck().get()).toBe(1);
    copy.close();
    await expect(backupDatabase(t.db, file)).rejects.toThrow(/already exists/);
  });

  it.skipIf(!canSwitchUser)('another user of the host cannot read the database, its WAL and SHM, or a backup', { timeout: 60_000 }, async () => {
    // The worst case an operator can set up: folders everyone may enter and list.
    const data = path.join(sharedRoot(), 'data');
    const backups = path.join(root, 'backups');
    fs.mkdirSync(data, { mode: 0o755 });
    fs.mkdirSync(backups, { mode: 0o755 });
    fs.chmodSync(data, 0o755);
    fs.chmodSync(backups, 0o755);
    const db = path.join(data, 'tessera.db');
    server = await startServerProcess(db);
    const signedIn = await fetch(`${server.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(signedIn.status).toBe(200); // a live session row, in the WAL
    const backup = path.join(backups, 'tessera.db');
    execFileSync(process.execPath, [CLI, 'backup', backup], { env: { ...process.env, TESSERA_DB: db } });

    // The reader works: a file left readable beside them is read in full.
    const control = path.join(data, 'readable.txt');
    fs.writeFileSync(control, 'anyone may read this');
    fs.chmodSync(control, 0o644);
    expect(readAsNobody(control)).toMatchObject({ ok: true, bytes: 20 });

    for (const file of [db, `${db}-wal`, `${db}-shm`, backup]) {
      expect(fs.statSync(file).size, file).toBeGreaterThan(0);
      const got = readAsNobody(file);
      expect({ file, ok: got.ok, bytes: got.bytes }).toEqual({ file, ok: false, bytes: 0 });
      expect(got.error).toMatch(/Permission denied/);
    }
  });

  it.skipIf(!canSwitchUser)('another user cannot even list a data folder that Tessera created', async () => {
    const data = path.join(sharedRoot(), 'fresh');
    t = await createTestApp({}, data);
    const got = readAsNobody(path.join(data, 'tessera.db'));
    expect(got.ok).toBe(false);
    expect(got.error).toMatch(/Permission denied/);
  });

  it('tightens an existing database, WAL and SHM that other users can read, and says which', async () => {
    const data = path.join(sharedRoot(), 'data');
    fs.mkdirSync(data, { mode: 0o755 });
    const db = path.join(data, 'tessera.db');
    // As an older Tessera left them: 0644, with a WAL and SHM still in use by another connection.
    const old = new Database(db);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.chmodSync(f, 0o644);

    const notices: string[] = [];
    const reopened = openDatabase(db, { onNotice: (m) => notices.push(m) });
    expect({ db: mode(db), wal: mode(`${db}-wal`), shm: mode(`${db}-shm`) }).toEqual({ db: '0600', wal: '0600', shm: '0600' });
    expect(notices).toHaveLength(3);
    expect(notices[0]).toContain(db);
    expect(notices[0]).toMatch(/0644.*0600/);
    // The folder is the operator's: left as it is.
    expect(mode(data)).toBe('0755');
    expect(reopened.prepare('SELECT x FROM t').pluck().get()).toBe(1);
    reopened.close();
    old.close();

    // Already private: nothing to say.
    const quiet: string[] = [];
    openDatabase(db, { onNotice: (m) => quiet.push(m) }).close();
    expect(quiet).toEqual([]);
  });

  it('says so in the log when a start tightens an existing database', { timeout: 60_000 }, async () => {
    const data = path.join(sharedRoot(), 'data');
    t = await createTestApp({}, data);
    await t.close();
    const db = path.join(data, 'tessera.db');
    fs.chmodSync(db, 0o644);
    server = await startServerProcess(db);
    expect(mode(db)).toBe('0600');
    const warnings = server
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(warnings).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: `${db} was readable by other users of this host (mode 0644); changed it to 0600.`,
      }),
    );
  });
});
