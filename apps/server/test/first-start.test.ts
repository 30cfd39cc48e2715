import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

// The first administrator's generated password is shown once. A start that never serves (the port
// is taken) must not keep an administrator nobody was shown the password of.

const MAIN = path.resolve(import.meta.dirname, '../dist/main.js');
const GENERATED = { TESSERA_ADMIN_PASSWORD: '' };

let dir: string;
let server: ServerProcess | undefined;
let blocker: net.Server | undefined;
afterEach(async () => {
  server?.child.kill('SIGKILL');
  server = undefined;
  await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)));
  blocker = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Something else already listening on a port of 127.0.0.1. */
async function occupiedPort(): Promise<number> {
  blocker = net.createServer((socket) => socket.destroy());
  await new Promise<void>((r) => blocker!.listen(0, '127.0.0.1', r));
  return (blocker.address() as net.AddressInfo).port;
}

/** The built server on a port that is taken: how it ends, and what it wrote where. */
async function startOnBusyPort(dbFile: string, port: number, workers: string) {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', TESSERA_DB: dbFile, TESSERA_LOG_LEVEL: 'info', TESSERA_WORKERS: workers, ...GENERATED },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

const passwordIn = (text: string) => /Password: ([A-Za-z0-9]{24}) /.exec(text)?.[1];

describe('first start', () => {
  // One process, and a primary with two workers (the administrator waits for the first worker to listen).
  it.each(['1', '2'])(
    'creates the administrator only once it serves: a start on a port in use leaves the next start to do it (TESSERA_WORKERS=%s)',
    { timeout: 60_000 },
    async (workers) => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-first-'));
      const dbFile = path.join(dir, 'tessera.db');
      const failed = await startOnBusyPort(dbFile, await occupiedPort(), workers);
      expect(failed.code).toBe(1);
      const db = new Database(dbFile, { readonly: true });
      expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM orgs').pluck().get()).toBe(0);
      db.close();
      expect(passwordIn(failed.stdout + failed.stderr)).toBeUndefined();
      expect(failed.stderr).toMatch(/127\.0\.0\.1:\d+ is already in use/);

      server = await startServerProcess(dbFile, { ...GENERATED, TESSERA_WORKERS: workers });
      await new Promise((r) => setTimeout(r, 100));
      expect(server.stderr()).toContain('First start: created organization "Tessera" and its administrator.');
      const password = passwordIn(server.stderr());
      expect(password).toBeDefined();
      const res = await fetch(`${server.base}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(res.status).toBe(200);
    },
  );

  it('prints the banner on stderr: stdout carries JSON log lines only, never the password', { timeout: 60_000 }, async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-banner-'));
    server = await startServerProcess(path.join(dir, 'tessera.db'), { ...GENERATED, TESSERA_LOG_LEVEL: 'info' });
    await new Promise((r) => setTimeout(r, 100));
    const password = passwordIn(server.stderr());
    expect(password).toBeDefined();
    expect(server.stderr()).toContain(`Tessera is running: open ${server.base.replace('127.0.0.1', 'localhost')}/ in your browser.`);
    const lines = server
      .stdout()
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(0); // at least "listening"
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(server.stdout()).not.toContain(password!);
  });
});
