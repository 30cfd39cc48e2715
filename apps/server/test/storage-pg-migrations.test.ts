import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/storage/db.js';
import { loadMigrations, migrate } from '../src/storage/migrate.js';
import { MIGRATION_LOCK, migratePg } from '../src/storage/pg/migrate-pg.js';
import { registerSearchFormFunctions } from '../src/storage/search-forms.js';
import { dropDatabase, freshDatabase, serverUrl } from './support/pg-server.js';

/**
 * Migrations for two engines from one folder: `NNN_name.sql` for both, `.sqlite.sql` or `.pg.sql` for
 * one. The PostgreSQL tests need TESSERA_TEST_DATABASE_URL (a server; each test makes and drops its
 * own database) and are skipped without it, until the test harness starts a server itself.
 */

/** What today's releases recorded in schema_migrations; renaming the files must not change a name. */
const RECORDED_BEFORE = [
  [1, 'initial'],
  [3, 'user_search'],
  [4, 'name_search_forms'],
  [5, 'token_generations'],
  [6, 'instance_key_ids'],
  [7, 'session_id_hashes'],
] as const;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-migrations-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("choosing each engine's files", () => {
  it('gives SQLite its own files under the names it always recorded, and PostgreSQL its baseline', () => {
    const sqlite = loadMigrations('sqlite');
    expect(sqlite.map((m) => [m.version, m.name])).toEqual([
      ...RECORDED_BEFORE,
      [8, 'lowercase_usernames'],
      [9, 'machine_keys'],
      [10, 'personal_access_tokens'],
      [11, 'machine_key_jwks'],
      [12, 'machine_secret_rotation'],
      [13, 'human_operators'],
      [14, 'projects'],
      [15, 'throttles'],
      [16, 'user_counts'],
    ]);
    expect(sqlite.every((m) => m.file.endsWith('.sqlite.sql') || m.file === '011_machine_key_jwks.sql')).toBe(true);
    expect(loadMigrations('pg').map((m) => [m.version, m.name, m.file])).toEqual([
      [1, 'initial', '001_initial.pg.sql'],
      [9, 'machine_keys', '009_machine_keys.pg.sql'],
      [10, 'personal_access_tokens', '010_personal_access_tokens.pg.sql'],
      [11, 'machine_key_jwks', '011_machine_key_jwks.sql'],
      [12, 'machine_secret_rotation', '012_machine_secret_rotation.pg.sql'],
      [13, 'human_operators', '013_human_operators.pg.sql'],
      [14, 'projects', '014_projects.pg.sql'],
      [16, 'user_counts', '016_user_counts.pg.sql'],
    ]);
  });
});

describe('SQLite', () => {
  it('upgrades a database as the releases before 008 left it in place, adding the lower(username) index and the key and token tables', () => {
    // The state the release before this one leaves: migrations 001-007 applied and recorded, some users.
    const file = path.join(dir, 'before-008.db');
    const old = openDatabase(file);
    registerSearchFormFunctions(old);
    for (const [version] of RECORDED_BEFORE) {
      const name = fs
        .readdirSync(new URL('../src/storage/migrations/', import.meta.url))
        .find((f) => f.startsWith(`${String(version).padStart(3, '0')}_`) && f.endsWith('.sqlite.sql'))!;
      old.exec(fs.readFileSync(new URL(`../src/storage/migrations/${name}`, import.meta.url), 'utf8'));
    }
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
    for (const [version, name] of RECORDED_BEFORE) old.prepare("INSERT INTO schema_migrations VALUES (?, ?, 'x')").run(version, name);
    old
      .prepare(
        "INSERT INTO orgs (id, name, primary_domain, state, sequence, created_at, changed_at) VALUES ('1', 'One', 'one.localhost', 'ORG_STATE_ACTIVE', 1, 'x', 'x')",
      )
      .run();
    const addUser = (db: Db, id: string, username: string) =>
      db
        .prepare(
          `INSERT INTO users (id, org_id, type, username, display_name, state, sequence, created_at, changed_at) VALUES (?, '1', 'human', ?, 'x', 'USER_STATE_ACTIVE', 1, 'x', 'x')`,
        )
        .run(id, username);
    addUser(old, '10', 'Admin');
    old.close();

    const db = openDatabase(file);
    expect(migrate(db)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').raw().all()).toEqual([
      ...RECORDED_BEFORE,
      [8, 'lowercase_usernames'],
      [9, 'machine_keys'],
      [10, 'personal_access_tokens'],
      [11, 'machine_key_jwks'],
      [12, 'machine_secret_rotation'],
      [13, 'human_operators'],
      [14, 'projects'],
      [15, 'throttles'],
      [16, 'user_counts'],
    ]);
    expect(db.prepare('SELECT id FROM users WHERE lower(username) = lower(?)').pluck().all('ADMIN')).toEqual(['10']);
    // The users already there are counted (016), and the triggers keep counting from then on.
    expect(db.prepare('SELECT org_id, type, state, n FROM user_counts').raw().all()).toEqual([['1', 'human', 'USER_STATE_ACTIVE', 1]]);
    expect(db.prepare('EXPLAIN QUERY PLAN SELECT id FROM users WHERE lower(username) = lower(?)').all('x')).toEqual([
      expect.objectContaining({ detail: 'SEARCH users USING INDEX users_username_lower (<expr>=?)' }),
    ]);
    expect(() => addUser(db, '11', 'aDMIN')).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_UNIQUE' }));
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('applies each migration once when another process migrates the same file at the same moment', () => {
    const file = path.join(dir, 'race.db');
    const first = openDatabase(file);
    const second = openDatabase(file);
    // The other process runs its whole migration after this one has read the applied set but before
    // it takes the write lock: the one interleaving in which both think every migration is pending.
    let raced = false;
    const racing = new Proxy(first, {
      get(target, prop) {
        if (prop === 'transaction' && !raced) {
          return (fn: () => unknown) => {
            raced = true;
            expect(migrate(second)).toEqual(loadMigrations('sqlite').map((m) => m.version));
            return target.transaction(fn);
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    expect(migrate(racing)).toEqual([]);
    expect(raced).toBe(true);
    expect(first.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(loadMigrations('sqlite').length);
    first.close();
    second.close();
  });
});

describe.skipIf(!serverUrl)('PostgreSQL (TESSERA_TEST_DATABASE_URL)', () => {
  let url: string;

  async function query<T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]> {
    const c = new pg.Client(url);
    await c.connect();
    try {
      return (await c.query<T>(text, values)).rows;
    } finally {
      await c.end();
    }
  }

  beforeEach(async () => {
    ({ url } = await freshDatabase());
  });

  afterEach(async () => {
    await dropDatabase(url);
  });

  it('migrates once when several nodes start together on a fresh database', async () => {
    const runs = await Promise.all([migratePg(url), migratePg(url), migratePg(url)]);
    expect(runs.flat()).toEqual([1, 9, 10, 11, 12, 13, 14, 16]);
    expect(await query('SELECT version, name FROM schema_migrations')).toEqual([
      { version: 1, name: 'initial' },
      { version: 9, name: 'machine_keys' },
      { version: 10, name: 'personal_access_tokens' },
      { version: 11, name: 'machine_key_jwks' },
      { version: 12, name: 'machine_secret_rotation' },
      { version: 13, name: 'human_operators' },
      { version: 14, name: 'projects' },
      { version: 16, name: 'user_counts' },
    ]);
    expect(await migratePg(url)).toEqual([]);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      expect(await migratePg(pool)).toEqual([]);
      // The lock went with the run: nothing on this connection still holds it.
      expect((await pool.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'")).rows).toEqual([{ n: 0 }]);
    } finally {
      await pool.end();
    }
  });

  it("has the trigram indexes user search uses, and they serve LIKE '%term%'", async () => {
    await migratePg(url);
    expect(await query("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")).toEqual([{ extname: 'pg_trgm' }]);
    const indexes = await query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'users' AND indexdef LIKE '%gin_trgm_ops%'");
    expect(indexes).toEqual([{ indexname: 'users_names_trgm' }]);
    // An empty table is read whole whatever the indexes; forbid that to see which index each form reaches.
    const c = new pg.Client(url);
    await c.connect();
    try {
      await c.query('SET enable_seqscan = off');
      const plan = async (where: string) => JSON.stringify((await c.query(`EXPLAIN (FORMAT JSON) SELECT id FROM users u WHERE ${where}`, ['%abc%'])).rows);
      for (const form of ['u.username', 'coalesce(u.display_name_nfc, u.display_name)', 'coalesce(u.display_name_fold, lower(u.display_name))']) {
        expect(await plan(`${form} LIKE $1`)).toMatch(/"Bitmap Index Scan".*"Index Name":"users_names_trgm"/);
      }
    } finally {
      await c.end();
    }
  });

  it('refuses a database a newer Tessera has migrated', async () => {
    await migratePg(url);
    await query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 'x')");
    await expect(migratePg(url)).rejects.toThrow(/migration 999, newer than this Tessera knows/);
  });

  it('gives up with a clear error when another process holds the migration lock too long', async () => {
    const holder = new pg.Client(url);
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
      await expect(migratePg(url, { lockTimeoutMs: 200 })).rejects.toThrow(/another Tessera process has been migrating/);
    } finally {
      await holder.end();
    }
    expect(await migratePg(url)).toEqual([1, 9, 10, 11, 12, 13, 14, 16]);
  });
});
