import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { basic, createClient, GUIDE_SCOPE, type Client } from './support/tokens.js';

let t: TestApp;
let server: http.Server;
let base: string;
let clients: Client[];
beforeAll(async () => {
  t = await createTestApp();
  const s = await signIn(t.app);
  clients = [await createClient(s, 'many-bearer'), await createClient(s, 'many-jwt', 'ACCESS_TOKEN_TYPE_JWT')];
  server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.cleanup();
});

/** Pages in SQLite's main file once the WAL is folded back into it: the true size of the database. */
function pages(): number {
  t.db.pragma('wal_checkpoint(TRUNCATE)');
  return t.db.pragma('page_count', { simple: true }) as number;
}

const count = async (table: string) => (await t.storage.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;

/**
 * What issuing a token could leave behind. On SQLite, also the size of the file (nothing at all is
 * written). On PostgreSQL the nodes share the failure counters (security/attempt-gate.ts), so each
 * attempt writes to throttles; its rows are keyed by client and address, never by token.
 */
const footprint = async () => ({
  ...(t.storage.engine === 'sqlite' ? { pages: pages() } : {}),
  events: await count('events'),
  revoked: await count('revoked_tokens'),
  keys: await count('signing_keys'),
  settings: await count('settings'),
});

describe('issuing tokens stores nothing', () => {
  it('the database does not grow when 10,000 tokens are issued', { timeout: 120_000 }, async () => {
    const before = await footprint();
    const issued = new Set<string>();
    const body = new URLSearchParams({ grant_type: 'client_credentials', scope: GUIDE_SCOPE }).toString();
    let next = 0;
    const worker = async () => {
      while (next < 10_000) {
        const c = clients[next++ % 2]!;
        const res = await fetch(`${base}/oauth/v2/token`, {
          method: 'POST',
          headers: { Authorization: basic(c.clientId, c.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
          body,
        });
        expect(res.status).toBe(200);
        issued.add(((await res.json()) as { access_token: string }).access_token);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(issued.size).toBe(10_000);
    expect(await footprint()).toEqual(before);
    // One address, two clients: at most a row for each client and one for the address.
    if (t.storage.engine === 'pg') expect(await count('throttles')).toBeLessThanOrEqual(clients.length + 1);
  });
});
