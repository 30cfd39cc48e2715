import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migratePg } from '../src/storage/pg/migrate-pg.js';
import { openPgStorage, type PgStorage } from '../src/storage/pg/pg-storage.js';
import { StatementCache, toPositional } from '../src/storage/pg/placeholders.js';
import { isUniqueViolation, StorageUnavailable } from '../src/storage/port.js';
import { dropDatabase, freshDatabase, onServer, serverUrl } from './support/pg-server.js';

/**
 * The storage port on a real PostgreSQL. TESSERA_TEST_DATABASE_URL names a server (any database on it
 * that the user may CREATE DATABASE from); each test gets a database of its own and drops it after.
 * Without it these tests are skipped, until the test harness starts a throwaway server itself.
 */

let database: string;
let url: string;
let storage: PgStorage | undefined;

async function freshMigratedDatabase(): Promise<void> {
  ({ name: database, url } = await freshDatabase());
  await migratePg(url);
}

describe('placeholders', () => {
  it('numbers each ? outside literals, quoted names and comments', () => {
    expect(toPositional(`SELECT ?, '?', 'it''s ?', "a?b", ? -- is it?\n, /* ? */ ?, ''''`)).toBe(
      `SELECT $1, '?', 'it''s ?', "a?b", $2 -- is it?\n, /* ? */ $3, ''''`,
    );
    expect(toPositional('INSERT INTO t (a, b) VALUES (?,?) ON CONFLICT (a) DO UPDATE SET b = excluded.b')).toBe(
      'INSERT INTO t (a, b) VALUES ($1,$2) ON CONFLICT (a) DO UPDATE SET b = excluded.b',
    );
  });

  it('keeps a bounded number of texts and names a text only once it repeats, never two texts alike', () => {
    const cache = new StatementCache({ max: 3, maxNamed: 2 });
    expect(cache.get('SELECT ?').name).toBeUndefined();
    expect(cache.get('SELECT ?')).toMatchObject({ text: 'SELECT $1', name: 'tessera_1' });
    for (const n of [1, 2, 3, 4]) cache.get(`SELECT ${n}`);
    expect(cache.size).toBe(3);
    // Evicted and seen again: the same name as before, which connections may already have prepared.
    expect(cache.get('SELECT ?').name).toBe('tessera_1');
    cache.get('SELECT 5');
    expect(cache.get('SELECT 5').name).toBe('tessera_2');
    cache.get('SELECT 6');
    expect(cache.get('SELECT 6').name).toBeUndefined();
  });
});

describe.skipIf(!serverUrl)('the PostgreSQL storage (TESSERA_TEST_DATABASE_URL)', () => {
  beforeEach(async () => {
    await freshMigratedDatabase();
    storage = await openPgStorage(url, { applicationName: `${database}-a` });
  });

  afterEach(async () => {
    await storage?.close();
    storage = undefined;
    await dropDatabase(url);
  });

  it('binds ? placeholders and leaves the ones in literals alone', async () => {
    const row = await storage!.one(`SELECT ? AS a, '?' AS q, 'it''s ?' AS s, ? AS b`, ['x', 'y']);
    expect(row).toEqual({ a: 'x', q: '?', s: "it's ?", b: 'y' });
    // Run enough times to become a named statement, with other parameters each time.
    for (const n of [1, 2, 3]) expect(await storage!.one('SELECT ?::int + 1 AS n', [n])).toEqual({ n: n + 1 });
  });

  it('reads integers as numbers, blobs as Buffers and booleans as 1 or 0, as on SQLite', async () => {
    await storage!.command(async (tx) => {
      await tx.run(
        `INSERT INTO orgs (id, name, primary_domain, state, sequence, created_at, changed_at) VALUES ('1', 'One', 'one.localhost', 'ORG_STATE_ACTIVE', ?, 'x', 'x')`,
        [2 ** 40],
      );
      await tx.run(
        `INSERT INTO users (id, org_id, type, username, display_name, state, access_token_type, tokens_valid_after, sequence, created_at, changed_at)
         VALUES ('7', '1', 'machine', 'batch', 'Batch', 'USER_STATE_ACTIVE', 'ACCESS_TOKEN_TYPE_BEARER', ?, 1, 'x', 'x')`,
        [1_767_225_600_123],
      );
      await tx.run("INSERT INTO machine_secrets (id, user_id, hash, key_id, created_at, expires_at) VALUES ('8', '7', ?, 0, 'x', 'y')", [
        Buffer.from([0, 1, 255]),
      ]);
    });
    const seq = await storage!.command((tx) =>
      tx.one<{ sequence: number }>(
        "INSERT INTO events (created_at, type, aggregate_type, aggregate_id, resource_owner) VALUES ('x', 'user.added', 'user', '7', '1') RETURNING sequence",
      ),
    );
    expect(seq).toEqual({ sequence: 1 });
    expect(await storage!.one('SELECT count(*) AS n, sum(tokens_valid_after) AS total, max(tokens_valid_after) AS latest FROM users')).toEqual({
      n: 1,
      total: 1_767_225_600_123,
      latest: 1_767_225_600_123,
    });
    expect(await storage!.one('SELECT sequence FROM orgs')).toEqual({ sequence: 2 ** 40 });
    expect(await storage!.one('SELECT hash, key_id, EXISTS (SELECT 1 FROM users) AS found FROM machine_secrets')).toEqual({
      hash: Buffer.from([0, 1, 255]),
      key_id: 0,
      found: 1,
    });
    await expect(storage!.one(`SELECT ${2 ** 53 + 2}::bigint AS n`)).rejects.toThrow(/does not fit/);
  });

  it('rolls a command back when it throws, and rethrows the same error', async () => {
    const before = storage!.version.current();
    const boom = new Error('boom');
    await expect(
      storage!.command(async (tx) => {
        await tx.run("INSERT INTO settings (key, value) VALUES ('a', 'b')");
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await storage!.all('SELECT * FROM settings')).toEqual([]);
    expect(storage!.version.current()).toBe(before);
    expect(await storage!.one('SELECT v FROM change_version')).toEqual({ v: 0 });
    // The handle is dead once its command is over.
    let escaped: { run(sql: string): Promise<number> } | undefined;
    await storage!.command(async (tx) => {
      escaped = tx;
    });
    await expect(escaped!.run("INSERT INTO settings (key, value) VALUES ('late', 'x')")).rejects.toThrow(/ended/);
  });

  it('reports a duplicate user name, in any case, as a unique violation', async () => {
    const addUser = (id: string, username: string) =>
      storage!.command((tx) =>
        tx.run(
          `INSERT INTO users (id, org_id, type, username, display_name, state, sequence, created_at, changed_at)
           VALUES (?, '1', 'human', ?, 'x', 'USER_STATE_ACTIVE', 1, 'x', 'x')`,
          [id, username],
        ),
      );
    await storage!.run(
      `INSERT INTO orgs (id, name, primary_domain, state, sequence, created_at, changed_at) VALUES ('1', 'One', 'one.localhost', 'ORG_STATE_ACTIVE', 1, 'x', 'x')`,
    );
    await addUser('1', 'Admin');
    const err = await addUser('2', 'aDMIN').catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    // A command that catches the violation and goes on cannot commit on PostgreSQL: it gets the violation, not 25P02.
    const swallowed = await storage!
      .command(async (tx) => {
        await tx.run("INSERT INTO settings (key, value) VALUES ('k', 'v')");
        await tx.run("INSERT INTO settings (key, value) VALUES ('k', 'v')").catch(() => undefined);
      })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(swallowed)).toBe(true);
    expect(await storage!.one('SELECT lower(username) AS u FROM users WHERE lower(username) = lower(?)', ['ADMIN'])).toEqual({ u: 'admin' });
  });

  it('runs commands side by side: 20 read-then-write increments under row locks add up', async () => {
    await storage!.run("INSERT INTO throttles (key, count, window_end) VALUES ('c', 0, 0)");
    await Promise.all(
      Array.from({ length: 20 }, () =>
        storage!.command(async (tx) => {
          const row = await tx.one<{ count: number }>("SELECT count FROM throttles WHERE key = 'c' FOR UPDATE");
          await tx.run("UPDATE throttles SET count = ? WHERE key = 'c'", [row!.count + 1]);
        }),
      ),
    );
    expect(await storage!.one("SELECT count FROM throttles WHERE key = 'c'")).toEqual({ count: 20 });
    // Each command moved the change counter once; the plain insert before them did not.
    expect(await storage!.one('SELECT v FROM change_version')).toEqual({ v: 20 });
  });

  it('runs a command again after it lost a deadlock, and not after a unique violation', async () => {
    await storage!.run("INSERT INTO settings (key, value) VALUES ('x', '0'), ('y', '0')");
    let bothLocked!: () => void;
    const barrier = new Promise<void>((resolve) => {
      let n = 0;
      bothLocked = () => ++n === 2 && resolve();
    });
    const runs = { xy: 0, yx: 0 };
    const lockInOrder = (first: string, second: string, key: 'xy' | 'yx') =>
      storage!.command(async (tx) => {
        runs[key]++;
        await tx.run('UPDATE settings SET value = value || ? WHERE key = ?', [key, first]);
        if (runs[key] === 1) {
          bothLocked();
          await barrier;
        }
        await tx.run('UPDATE settings SET value = value || ? WHERE key = ?', [key, second]);
      });
    await Promise.all([lockInOrder('x', 'y', 'xy'), lockInOrder('y', 'x', 'yx')]);
    expect(runs.xy + runs.yx).toBe(3);
    const rows = await storage!.all<{ key: string; value: string }>('SELECT key, value FROM settings ORDER BY key');
    expect(rows.map((r) => r.value.length)).toEqual([5, 5]);

    let attempts = 0;
    const dup = await storage!
      .command(async (tx) => {
        attempts++;
        await tx.run("INSERT INTO settings (key, value) VALUES ('x', '1')");
      })
      .catch((e: unknown) => e);
    expect([isUniqueViolation(dup), attempts]).toEqual([true, 1]);
  });

  it('survives an idle pooled connection being cut, and answers from a new one', async () => {
    await Promise.all([storage!.ping(), storage!.ping(), storage!.ping()]);
    const cut = await onServer((admin) => admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`${database}-a`]));
    expect(cut.rowCount).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await storage!.ping();
    expect(await storage!.one('SELECT 1 AS one')).toEqual({ one: 1 });
  });

  it('says StorageUnavailable when nothing listens where the database should be', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const down = await openPgStorage(`postgres://tessera@127.0.0.1:${port}/tessera`, { connectionTimeoutMs: 500 });
    try {
      await expect(down.one('SELECT 1')).rejects.toBeInstanceOf(StorageUnavailable);
      await expect(down.command(async () => 1)).rejects.toBeInstanceOf(StorageUnavailable);
      await expect(down.ping()).rejects.toBeInstanceOf(StorageUnavailable);
      // It cannot know what changed, so no cache may answer.
      expect(down.version.current()).not.toBe(down.version.current());
    } finally {
      await down.close();
    }
  });
});
