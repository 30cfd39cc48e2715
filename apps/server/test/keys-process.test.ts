import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MasterKey } from '../src/security/envelope.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { ADMIN_PASSWORD } from './support/test-app.js';

const DIST = path.resolve(import.meta.dirname, '../dist');
let dir: string;
let server: ServerProcess | undefined;
afterEach(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  server = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The built program run to its end, as an operator's shell would; never longer than 20 s. */
function run(script: string, args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [path.join(DIST, script), ...args], {
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const noStack = (out: string) => expect(out).not.toMatch(/^\s+at /m);

describe('the built server and tessera command with a master key', () => {
  it('starts with its key file, then refuses to start without it or with another, in one readable line', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-keys-proc-'));
    const db = path.join(dir, 'tessera.db');
    const keyFile = path.join(dir, 'master.key');
    expect(run('cli/tessera.js', ['master-key', keyFile], {}).code).toBe(0);

    server = await startServerProcess(db, { TESSERA_MASTER_KEY_FILE: keyFile });
    expect((await fetch(`${server.base}/oauth/v2/keys`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const missing = run('main.js', [], { TESSERA_DB: db });
    expect(missing.code).toBe(1);
    expect(missing.out).toBe(
      `Tessera failed to start: the keys in ${db} are wrapped with a master key, and none is configured: set TESSERA_MASTER_KEY or TESSERA_MASTER_KEY_FILE to the master key they were wrapped with\n`,
    );
    const wrong = run('main.js', [], { TESSERA_DB: db, TESSERA_MASTER_KEY: MasterKey.generate() });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/^Tessera failed to start: the configured master key is not the one the keys in .* were wrapped with/);
    noStack(wrong.out);

    fs.chmodSync(keyFile, 0o644);
    const shared = run('main.js', [], { TESSERA_DB: db, TESSERA_MASTER_KEY_FILE: keyFile });
    expect(shared.code).toBe(2);
    expect(shared.out).toContain(`TESSERA_MASTER_KEY_FILE: ${keyFile} may be read or written by group or others (mode 644)`);
    noStack(shared.out);
  });

  it('tessera rotate-key refuses a database that does not exist, and creates nothing, under either name', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-keys-proc-'));
    const typo = path.join(dir, 'typo.db');
    const r = run('cli/tessera.js', ['rotate-key', 'opaque'], { TESSERA_DB: typo });
    expect(r).toEqual({ code: 1, out: `${typo} does not exist: check TESSERA_DB\n` });
    expect(fs.existsSync(typo)).toBe(false);
    // The former entry point, too.
    expect(run('cli/rotate-signing-key.js', [], { TESSERA_DB: typo }).code).toBe(1);
    expect(fs.existsSync(typo)).toBe(false);
  });

  it('the former rotate-signing-key.js still rotates an existing database', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-keys-proc-'));
    const db = path.join(dir, 'tessera.db');
    server = await startServerProcess(db);
    const before = ((await (await fetch(`${server.base}/oauth/v2/keys`)).json()) as { keys: { kid: string }[] }).keys;
    const r = run('cli/rotate-signing-key.js', ['--retire-now'], { TESSERA_DB: db });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^New signing key \S+ \(ES256\) now signs JWT access tokens\.\nWithdrew /);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const after = ((await (await fetch(`${server.base}/oauth/v2/keys`)).json()) as { keys: { kid: string }[] }).keys;
    expect(after).toHaveLength(1);
    expect(after[0]!.kid).not.toBe(before[0]!.kid);
  });
});
