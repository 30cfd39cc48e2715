import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migratePg } from '../src/storage/pg/migrate-pg.js';
import { openPgStorage, type PgStorage } from '../src/storage/pg/pg-storage.js';
import { dropDatabase, freshDatabase, onServer, serverUrl } from './support/pg-server.js';

/**
 * Two nodes on one PostgreSQL database: a command on one moves the other's change version within the
 * 1 s bound, by notification or, when one is lost, by the poll; a node whose feed is cut bypasses its
 * caches until it has caught up. TESSERA_TEST_DATABASE_URL names the server (each test makes and drops
 * its own database); without it these tests are skipped, until the test harness starts a server itself.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds until version() differs from `from`, checked every millisecond; Infinity after limitMs. */
async function msUntilMoved(version: () => number, from: number, limitMs = 3_000): Promise<number> {
  const start = performance.now();
  while (version() === from) {
    if (performance.now() - start > limitMs) return Infinity;
    await sleep(1);
  }
  return performance.now() - start;
}

let database: string;
let url: string;
let a: PgStorage;
let b: PgStorage;

describe.skipIf(!serverUrl)('change propagation between nodes on PostgreSQL (TESSERA_TEST_DATABASE_URL)', () => {
  beforeEach(async () => {
    ({ name: database, url } = await freshDatabase());
    await migratePg(url);
    a = await openPgStorage(url, { applicationName: `${database}-a` });
    b = await openPgStorage(url, { applicationName: `${database}-b` });
  });

  afterEach(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await dropDatabase(url);
  });

  it("moves the other node's version within 1 s of a command, and the own node's at once", async () => {
    const delays: number[] = [];
    for (let i = 0; i < 200; i++) {
      const ownBefore = a.version.current();
      const otherBefore = b.version.current();
      // Timed from before the command starts: its commit lands somewhere inside it.
      const start = performance.now();
      await a.command((tx) =>
        tx.run("INSERT INTO settings (key, value) VALUES (?, 'x') ON CONFLICT (key) DO UPDATE SET value = excluded.value", [`k${i % 5}`]),
      );
      expect(a.version.current()).not.toBe(ownBefore);
      await msUntilMoved(() => b.version.current(), otherBefore);
      delays.push(performance.now() - start);
    }
    delays.sort((x, y) => x - y);
    const p99 = delays[Math.ceil(delays.length * 0.99) - 1]!;
    console.log(
      `from a command's start until the other node's version moved: median ${delays[100]!.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${delays.at(-1)!.toFixed(1)} ms`,
    );
    expect(p99).toBeLessThan(1_000);
    // One move per command: a node's own notification does not clear its caches a second time.
    const settled = a.version.current();
    await sleep(700);
    expect(a.version.current()).toBe(settled);
  });

  it('moves by notification alone, and by the poll alone when a notification is lost', async () => {
    const deaf = await openPgStorage(url, { applicationName: `${database}-c`, pollMs: 3_600_000 });
    try {
      const before = deaf.version.current();
      await a.command((tx) => tx.run("INSERT INTO settings (key, value) VALUES ('n', 'x')"));
      expect(await msUntilMoved(() => deaf.version.current(), before)).toBeLessThan(1_000);
    } finally {
      await deaf.close();
    }
    // A change that sends no notification, as if it had been lost on the way.
    const before = b.version.current();
    const c = new pg.Client(url);
    await c.connect();
    await c.query('UPDATE change_version SET v = v + 1');
    await c.end();
    expect(await msUntilMoved(() => b.version.current(), before)).toBeLessThan(1_000);
  });

  it('bypasses caches while its feed is cut, until it has reconnected and caught up', async () => {
    const cut = await onServer((admin) =>
      admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`${database}-b:changes`]),
    );
    expect(cut.rowCount).toBe(1);
    // Stale: every call is a new version, so no cache keeps anything.
    const staleAt = performance.now();
    while (!b.version.stale && performance.now() - staleAt < 1_000) await sleep(5);
    expect(b.version.current()).not.toBe(b.version.current());
    // A command elsewhere meanwhile.
    await a.command((tx) => tx.run("INSERT INTO settings (key, value) VALUES ('during', 'x')"));

    const start = performance.now();
    while (b.version.stale && performance.now() - start < 5_000) await sleep(20);
    expect(b.version.stale).toBe(false);
    const settled = b.version.current();
    expect(b.version.current()).toBe(settled);
    // Listening again: the next command reaches it.
    await a.command((tx) => tx.run("INSERT INTO settings (key, value) VALUES ('after', 'x')"));
    expect(await msUntilMoved(() => b.version.current(), settled)).toBeLessThan(1_000);
  });
});
