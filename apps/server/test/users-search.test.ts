import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listUsersSchema, type TextQueryMethod } from '@tessera/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchUsers, SELECTIVE_HITS } from '../src/domain/users/search.js';
import { openDatabase, type Db } from '../src/storage/db.js';
import { migrate } from '../src/storage/migrate.js';
import { SqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import { caselessForm, storedForms } from '../src/storage/search-forms.js';

let dir: string;
let db: Db;
let store: SqliteStorage;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-search-'));
  db = openDatabase(path.join(dir, 'search.db'));
  migrate(db);
  store = new SqliteStorage(db);
  db.prepare(
    `INSERT INTO orgs (id, name, primary_domain, state, sequence, created_at, changed_at)
     VALUES ('1', 'One', 'one.localhost', 'ORG_STATE_ACTIVE', 1, 'x', 'x'), ('2', 'Two', 'two.localhost', 'ORG_STATE_ACTIVE', 1, 'x', 'x')`,
  ).run();
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Seed {
  id: string;
  org: string;
  type: 'human' | 'machine';
  username: string;
  displayName: string;
  createdAt: string;
}

let nextId = 1_000;
function insert(users: Omit<Seed, 'id'>[]): Seed[] {
  const stmt = db.prepare(
    `INSERT INTO users (id, org_id, type, username, display_name, display_name_nfc, display_name_fold, state, access_token_type, sequence, created_at, changed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'USER_STATE_ACTIVE', ?, 1, ?, ?)`,
  );
  return db.transaction(() =>
    users.map((u) => {
      const id = String(nextId++);
      const forms = storedForms(u.displayName);
      stmt.run(
        id,
        u.org,
        u.type,
        u.username,
        u.displayName,
        forms.nfc,
        forms.fold,
        u.type === 'machine' ? 'ACCESS_TOKEN_TYPE_BEARER' : null,
        u.createdAt,
        u.createdAt,
      );
      return { id, ...u };
    }),
  )();
}

// Ignoring case means Unicode case folding (users-search-unicode.test.ts pins down what that folds).
const contains = (value: string, term: string, method: TextQueryMethod) =>
  method === 'TEXT_QUERY_METHOD_CONTAINS' ? value.includes(term) : caselessForm(value).includes(caselessForm(term));

/** What the console asks: service users whose user name or display name contains the term. */
function consoleQuery(term: string, method: TextQueryMethod, offset: number, limit: number, asc = false) {
  return listUsersSchema.parse({
    query: { offset, limit, asc },
    queries: [
      { typeQuery: { type: 'TYPE_MACHINE' } },
      { orQuery: { queries: [{ userNameQuery: { userName: term, method } }, { displayNameQuery: { displayName: term, method } }] } },
    ],
  });
}

/** The same search written the slow, obvious way. Ties keep the order of insertion, in the sort's direction. */
function expected(seeds: Seed[], org: string, term: string, method: TextQueryMethod, asc: boolean) {
  return seeds
    .filter((u) => u.org === org && u.type === 'machine' && (contains(u.username, term, method) || contains(u.displayName, term, method)))
    .sort((a, b) => ((a.createdAt === b.createdAt ? Number(a.id) < Number(b.id) : a.createdAt < b.createdAt) === asc ? -1 : 1));
}

describe('user search', () => {
  it('indexes the users that existed before the search migration', () => {
    const old = openDatabase(path.join(dir, 'before-003.db'));
    old.exec(fs.readFileSync(new URL('../src/storage/migrations/001_initial.sqlite.sql', import.meta.url), 'utf8'));
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
    old.prepare("INSERT INTO schema_migrations VALUES (1, 'initial', 'x')").run();
    old.prepare("INSERT INTO orgs VALUES ('1', 'One', 'one.localhost', 'ORG_STATE_ACTIVE', 1, 'x', 'x')").run();
    old
      .prepare(
        `INSERT INTO users (id, org_id, type, username, display_name, state, access_token_type, sequence, created_at, changed_at)
       VALUES ('424242', '1', 'machine', 'legacy-importer', 'Legacy', 'USER_STATE_ACTIVE', 'ACCESS_TOKEN_TYPE_BEARER', 1, 'x', 'x')`,
      )
      .run();
    expect(migrate(old)).toContain(3);
    expect(old.prepare(`SELECT CAST(rowid AS TEXT) FROM users_fts WHERE users_fts MATCH '"IMPORT"'`).pluck().all()).toEqual(['424242']);
    old.close();
  });

  it('keeps the trigram index in step with inserts, renames and deletes', () => {
    const [u] = insert([{ org: '1', type: 'machine', username: 'sync-probe', displayName: 'Zephyr', createdAt: '2024-01-01T00:00:00.000Z' }]);
    const hits = (term: string) => db.prepare('SELECT CAST(rowid AS TEXT) FROM users_fts WHERE users_fts MATCH ?').pluck().all(`"${term}"`);
    expect(hits('zephyr')).toEqual([u!.id]);
    db.prepare("UPDATE users SET display_name = 'Mistral' WHERE id = ?").run(u!.id);
    expect([hits('zephyr'), hits('MISTRAL')]).toEqual([[], [u!.id]]);
    db.prepare('DELETE FROM users WHERE id = ?').run(u!.id);
    expect(hits('mistral')).toEqual([]);
  });

  it('counts exactly on both sides of the selective threshold, with ties at the page edge', async () => {
    const at = (i: number) => `2024-02-01T00:00:${String(Math.floor(i / 3) % 60).padStart(2, '0')}.${String(Math.floor(i / 180)).padStart(3, '0')}Z`;
    const seeds = insert([
      ...Array.from({ length: SELECTIVE_HITS + 150 }, (_, i) => ({
        org: '1',
        type: 'machine' as const,
        username: `fleet-${i}`,
        displayName: i % 7 ? 'Truck' : 'Lorry QX',
        createdAt: at(i),
      })),
      ...Array.from({ length: 40 }, (_, i): Omit<Seed, 'id'> => ({
        org: i % 2 ? '2' : '1',
        type: i % 3 ? 'machine' : 'human',
        username: `fleet-other-${i}`,
        displayName: 'Van',
        createdAt: at(i),
      })),
    ]);
    const method = 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE';
    for (const [term, offset, limit] of [
      ['FLEET', 0, 20],
      ['fleet', 1000, 7],
      ['lorry', 0, 25],
      ['fleet-1', 3, 50],
      ['qx', 0, 20],
      ['t-', 2130, 100],
    ] as const) {
      for (const asc of [false, true]) {
        const want = expected(seeds, '1', term, method, asc);
        const got = await searchUsers(store, '1', consoleQuery(term, method, offset, limit, asc));
        expect({ term, asc, total: got.details.totalResult, ids: got.result.map((u) => u.id) }).toEqual({
          term,
          asc,
          total: String(want.length),
          ids: want.slice(offset, offset + limit).map((u) => u.id),
        });
      }
    }
  });

  it('answers exactly what a naive filter answers, for any names and terms', async () => {
    const ascii = ['a', 'B', 'b', '%', '_', '\\', '"', ' ', '-', 'x', 'Y'];
    const text = fc.string({ unit: fc.constantFrom(...ascii, 'é', 'É'), minLength: 0, maxLength: 8 });
    // User names are ASCII (USERNAME_PATTERN, enforced on every write); display names and terms are not.
    const userName = fc.string({ unit: fc.constantFrom(...ascii), minLength: 0, maxLength: 8 });
    const user = fc.record({ username: userName, displayName: text, org: fc.constantFrom('1', '2'), tick: fc.integer({ min: 0, max: 5 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(user, { minLength: 1, maxLength: 25 }),
        text,
        fc.constantFrom<TextQueryMethod>('TEXT_QUERY_METHOD_CONTAINS', 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE'),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        async (users, term, method, offset, limit, asc) => {
          db.prepare("DELETE FROM users WHERE org_id IN ('1', '2')").run();
          // User names are unique; the prefix holds only characters no term contains.
          const seeds = insert(
            users.map((u, i) => ({ ...u, username: `#${i}#${u.username}`, type: 'machine' as const, createdAt: `2024-03-01T00:00:0${u.tick}.000Z` })),
          );
          const want = expected(seeds, '1', term, method, asc);
          const got = await searchUsers(store, '1', consoleQuery(term, method, offset, limit, asc));
          expect(got.details.totalResult).toBe(String(want.length));
          expect(got.result.map((u) => u.id)).toEqual(want.slice(offset, offset + limit).map((u) => u.id));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses control characters in a term, and never hands a NUL to the full-text parser', async () => {
    const parsed = listUsersSchema.safeParse({ queries: [{ userNameQuery: { userName: 'abc\u0000def' } }] });
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['queries.0.userNameQuery.userName', 'must not contain control characters'],
    ]);
    const raw = { queries: [{ userNameQuery: { userName: 'abc\u0000def', method: 'TEXT_QUERY_METHOD_CONTAINS' as const } }] };
    expect((await searchUsers(store, '1', raw)).details.totalResult).toMatch(/^\d+$/);
  });

  it('reads only the covering index when it scans', async () => {
    const q = consoleQuery('ab', 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE', 0, 20);
    const where = "u.org_id = '1' AND u.type = 'machine' AND (u.username LIKE 'x' OR u.display_name LIKE 'x')";
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM users u WHERE ${where} AND u.created_at <= 'z'`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail)).toEqual(['SEARCH u USING COVERING INDEX users_org_type_created_names (org_id=? AND type=? AND created_at<?)']);
    expect((await searchUsers(store, '1', q)).details.totalResult).toMatch(/^\d+$/);
  });
});
