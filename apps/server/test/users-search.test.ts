import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listUsersSchema, type TextQueryMethod } from '@tessera/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNT_CAP, searchUsers, SELECTIVE_HITS } from '../src/domain/users/search.js';
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

  it('seeks an index for every page, first or past a cursor, by each sorting column and state: no scan, no sort of the organization', async () => {
    insert(
      Array.from({ length: 30 }, (_, i) => ({
        org: '1',
        type: 'machine' as const,
        username: `seek-${i}`,
        displayName: `Seek ${i % 4}`,
        createdAt: `2024-04-01T00:00:0${i % 3}.000Z`,
      })),
    );
    const statements: [string, unknown[]][] = [];
    const recording = new Proxy(store, {
      get: (target, name, receiver) =>
        name === 'all' || name === 'one'
          ? (text: string, params: unknown[] = []) => {
              statements.push([text, params]);
              return (target[name] as (t: string, p: unknown[]) => unknown).call(target, text, params);
            }
          : Reflect.get(target, name, receiver),
    });
    const columns = ['USER_FIELD_NAME_USER_NAME', 'USER_FIELD_NAME_DISPLAY_NAME', 'USER_FIELD_NAME_STATE', 'USER_FIELD_NAME_CREATION_DATE'] as const;
    for (const sortingColumn of columns) {
      for (const asc of [false, true]) {
        // As the console asks: service users, and service users in a state.
        const machines = { typeQuery: { type: 'TYPE_MACHINE' as const } };
        for (const queries of [[machines], [machines, { stateQuery: { state: 'USER_STATE_ACTIVE' as const } }]]) {
          const first = await searchUsers(recording, '1', { query: { limit: 5, asc }, sortingColumn, queries });
          expect(first.nextCursor).toBeDefined();
          await searchUsers(recording, '1', { query: { limit: 5, asc, cursor: first.nextCursor }, sortingColumn, queries });
        }
      }
    }
    const plans = statements.map(([text, params]) => ({
      text,
      details: (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as { detail: string }[]).map((p) => p.detail),
    }));
    expect(plans.length).toBeGreaterThan(60);
    for (const { text, details } of plans) {
      expect({ text, details }).toEqual({ text, details: expect.not.arrayContaining([expect.stringMatching(/^SCAN u\b|TEMP B-TREE FOR ORDER BY/)]) });
      // Past a cursor, the index is entered at the cursor (a range in its search), not walked from its start.
      if (/ [<>] \? ORDER BY /.test(text))
        expect({ text, details }).toEqual({ text, details: [expect.stringMatching(/^SEARCH u .*\b(username|display_name|state|created_at|rowid)[<>=]\?\)$/)] });
    }
  });

  it('counts a broad text search up to 10,000 and says so, and counts type and state totals exactly from user_counts', async () => {
    db.prepare(
      "INSERT INTO orgs (id, name, primary_domain, state, sequence, created_at, changed_at) VALUES ('3', 'Three', 'three.localhost', 'ORG_STATE_ACTIVE', 1, 'x', 'x')",
    ).run();
    insert(
      Array.from({ length: COUNT_CAP + 50 }, (_, i) => ({
        org: '3',
        type: 'machine' as const,
        username: `capped-${String(i).padStart(5, '0')}`,
        displayName: 'Many',
        createdAt: '2024-05-01T00:00:00.000Z',
      })),
    );
    const contains = (userName: string) => ({
      query: { limit: 20 },
      queries: [{ userNameQuery: { userName, method: 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE' as const } }],
    });
    const broad = await searchUsers(store, '3', contains('capped'));
    expect([broad.details.totalResult, broad.details.totalResultCapped, broad.result.length]).toEqual([String(COUNT_CAP), true, 20]);
    const narrow = await searchUsers(store, '3', contains('capped-0004'));
    expect([narrow.details.totalResult, narrow.details.totalResultCapped]).toEqual(['10', undefined]);
    const all = await searchUsers(store, '3', { query: { limit: 1 }, queries: [{ typeQuery: { type: 'TYPE_MACHINE' } }] });
    expect([all.details.totalResult, all.details.totalResultCapped]).toEqual([String(COUNT_CAP + 50), undefined]);
  });
});
