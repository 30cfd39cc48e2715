import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dropDatabase, freshDatabase, serverUrl } from './support/pg-server.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { ADMIN_PASSWORD } from './support/test-app.js';

let dir: string;
let server: ServerProcess | undefined;
afterEach(() => {
  server?.child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight request on SIGTERM, then closes the database and exits 0', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-shutdown-'));
    const db = path.join(dir, 'tessera.db');
    server = await startServerProcess(db);
    // A sign-in takes a few hundred ms (scrypt): long enough to be in flight when the signal lands.
    const inFlight = fetch(`${server.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    await new Promise((r) => setTimeout(r, 50));
    server.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await server.exited).toBe(0);
    // A cleanly closed WAL database leaves no -wal file behind.
    expect(fs.existsSync(`${db}-wal`)).toBe(false);
    await expect(fetch(`${server.base}/healthz`)).rejects.toThrow();
  });

  it('prints the generated administrator password once, on the first start only', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-first-'));
    const db = path.join(dir, 'tessera.db');
    const env = { TESSERA_ADMIN_PASSWORD: '' };
    server = await startServerProcess(db, env);
    await new Promise((r) => setTimeout(r, 100));
    const password = /Password: ([A-Za-z0-9]{24}) /.exec(server.output())?.[1];
    expect(password).toBeDefined();
    server.child.kill('SIGTERM');
    await server.exited;

    server = await startServerProcess(db, env);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.output()).not.toContain(password!);
    expect(server.output()).toContain('existing; sign in as before');
    const res = await fetch(`${server.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(res.status).toBe(200);
  });

  // PostgreSQL only (the throwaway server trusts any password, so the URL may carry one).
  it.skipIf(!serverUrl)('names its PostgreSQL database on a later start, without the password the URL holds', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-pgstart-'));
    const { url } = await freshDatabase();
    try {
      const withPassword = new URL(url);
      withPassword.password = 'never-printed';
      const env = { TESSERA_DATABASE_URL: withPassword.toString(), TESSERA_LOG_LEVEL: 'info' };
      for (const start of ['first', 'second']) {
        server = await startServerProcess(path.join(dir, 'unused.db'), env);
        await vi.waitFor(() => expect(server!.output()).toContain('"listening"'), { timeout: 10_000 });
        if (start === 'second') expect(server.stderr()).toContain(`Data: ${url} (existing; sign in as before)`);
        expect(server.output()).not.toContain('never-printed');
        server.child.kill('SIGTERM');
        await server.exited;
      }
      expect(fs.existsSync(path.join(dir, 'unused.db'))).toBe(false);
    } finally {
      await dropDatabase(url);
    }
  });

  it('refuses to start on bad configuration, listing every problem', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-badcfg-'));
    await expect(startServerProcess(path.join(dir, 'x.db'), { TESSERA_ACCESS_TOKEN_LIFETIME: 'soon', TESSERA_JWT_ALG: 'none' })).rejects.toThrow(
      /TESSERA_ACCESS_TOKEN_LIFETIME[\s\S]*TESSERA_JWT_ALG|TESSERA_JWT_ALG[\s\S]*TESSERA_ACCESS_TOKEN_LIFETIME/,
    );
  });
});
