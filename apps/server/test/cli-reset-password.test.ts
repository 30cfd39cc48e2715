import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HUMAN_PASSWORD, insertHuman } from './support/humans.js';
import { createServiceUser } from './support/service-users.js';
import { ADMIN_PASSWORD, createTestApp, signIn, type TestApp } from './support/test-app.js';

// A lost administrator password must never be fatal: `npm run tessera -- reset-password <username>`
// gives the user a new one. It runs as its own process beside the server, as an operator would.

const REPO = path.resolve(import.meta.dirname, '../../..');
const CLI = path.resolve(import.meta.dirname, '../dist/cli/tessera.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: Record<string, string>, cwd = REPO): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const tessera = (args: string[], env: Record<string, string>) => run(process.execPath, [CLI, ...args], env);

let t: TestApp | undefined;
let dir: string | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('tessera reset-password', () => {
  it("prints a new password that works at once, and ends that user's sessions only", { timeout: 60_000 }, async () => {
    t = await createTestApp();
    const admin = await signIn(t.app);
    await insertHuman(t.storage, admin.whoami.orgId, 'operator-two');
    const other = await signIn(t.app, 'operator-two', HUMAN_PASSWORD);

    // As the README says, from the repository root, while the server keeps running.
    const r = await run('npm', ['run', 'tessera', '--', 'reset-password', 'ADMIN'], { TESSERA_DB: t.config.dbFile });
    expect(r.code, r.stderr).toBe(0);
    const password = /Password: ([A-Za-z0-9]{24})$/m.exec(r.stdout)?.[1];
    expect(password, r.stdout).toBeDefined();
    expect(r.stdout).toContain('New password for admin');
    expect(r.stdout).toMatch(/1 console session of admin ended/);

    await admin.agent.get('/api/session').expect(401);
    await other.agent.get('/api/session').expect(200);
    await expect(signIn(t.app, 'admin', ADMIN_PASSWORD)).rejects.toThrow(/401/);
    const again = await signIn(t.app, 'admin', password);
    // Whoever ran the command knows it: the administrator chooses their own before anything else.
    expect(r.stdout).toContain('admin signs in with it once and then chooses a new one.');
    expect(again.whoami).toMatchObject({ userName: 'admin', instanceOwner: true, passwordChangeRequired: true });
    await again.agent.get('/management/v1/orgs/me').expect(400);
    await again.agent
      .put('/auth/v1/users/me/password')
      .set('x-csrf-token', again.csrf)
      .send({ oldPassword: password, newPassword: ADMIN_PASSWORD })
      .expect(200);
    expect((await again.agent.get('/api/session').expect(200)).body).toMatchObject({ passwordChangeRequired: false });
    await again.agent.get('/management/v1/orgs/me').expect(200);

    // The audit trail says so; no byte of the database holds the password.
    const events = t.db
      .prepare("SELECT type, editor_user_id, payload FROM events WHERE aggregate_id = ? AND type = 'user.human.password.changed' ORDER BY sequence")
      .all(admin.whoami.userId);
    expect(events).toEqual([
      { type: 'user.human.password.changed', editor_user_id: null, payload: '{}' },
      { type: 'user.human.password.changed', editor_user_id: admin.whoami.userId, payload: '{}' },
    ]);
    const bytes = Buffer.concat([t.config.dbFile, `${t.config.dbFile}-wal`].filter(fs.existsSync).map((f) => fs.readFileSync(f)));
    expect(bytes.includes(Buffer.from(password!))).toBe(false);
  });

  it('opens an existing Tessera database only: a mistyped TESSERA_DB creates nothing', { timeout: 60_000 }, async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-reset-'));
    for (const typo of [path.join(dir, 'tesera.db'), path.join(dir, 'dta', 'tessera.db')]) {
      const r = await tessera(['reset-password', 'admin'], { TESSERA_DB: typo });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${typo} does not exist`);
      expect(r.stdout).toBe('');
    }
    expect(fs.readdirSync(dir)).toEqual([]);

    // A file that is there but is no Tessera database is left as it was.
    const other = path.join(dir, 'other.db');
    fs.writeFileSync(other, '');
    const r = await tessera(['reset-password', 'admin'], { TESSERA_DB: other });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${other} is not a Tessera database`);
    expect(fs.statSync(other).size).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['other.db']);
  });

  it('refuses an unknown user and a service user, and changes nothing', { timeout: 60_000 }, async () => {
    t = await createTestApp();
    const admin = await signIn(t.app);
    await createServiceUser(admin, 'build-bot');
    const before = t.db.prepare('SELECT count(*) FROM events').pluck().get();
    const env = { TESSERA_DB: t.config.dbFile };

    const unknown = await tessera(['reset-password', 'nobody-here'], env);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('No console user named "nobody-here"');
    const machine = await tessera(['reset-password', 'build-bot'], env);
    expect(machine).toMatchObject({ code: 1, stdout: '' });
    expect(machine.stderr).toContain('"build-bot" is a service user');

    expect(t.db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(before);
    await admin.agent.get('/api/session').expect(200);
  });

  it('lists its commands when asked for none or an unknown one, and says how to use each with --help', { timeout: 60_000 }, async () => {
    for (const args of [[], ['frobnicate'], ['reset-password'], ['reset-password', 'a', 'b']]) {
      const r = await tessera(args, { TESSERA_DB: '/nonexistent/tessera.db' });
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toContain('reset-password <username>');
    }
    const help = await tessera(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('reset-password <username>');
    // Each command's own, without touching any database.
    for (const [command, line] of [
      ['generate-secret', 'generate-secret <username> [org-id]'],
      ['backup', 'backup <backup-file>'],
    ]) {
      const own = await tessera([command!, '--help'], { TESSERA_DB: '/nonexistent/tessera.db' });
      expect([own.code, own.stderr]).toEqual([0, '']);
      expect(own.stdout).toContain(`usage: npm run tessera -- ${line}`);
    }
  });
});
