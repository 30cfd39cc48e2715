import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INSTANCE_OWNER_ROLE, listUsersSchema, type TextQueryMethod } from '@tessera/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMachineUser } from '../src/domain/users/commands.js';
import { searchUsers } from '../src/domain/users/search.js';
import { userFilter } from '../src/domain/users/search-filter.js';
import { openDatabase } from '../src/storage/db.js';
import { caselessForm, exactForm } from '../src/storage/search-forms.js';
import { createOrg, HUMAN_PASSWORD, insertHuman } from './support/humans.js';
import { createTestApp, signIn, TEST_ENGINE, type SignedIn, type TestApp } from './support/test-app.js';

type Method = 'EQUALS' | 'STARTS_WITH' | 'CONTAINS' | 'ENDS_WITH' | `${'EQUALS' | 'STARTS_WITH' | 'CONTAINS' | 'ENDS_WITH'}_IGNORE_CASE`;
const METHODS: Method[] = ['EQUALS', 'STARTS_WITH', 'CONTAINS', 'ENDS_WITH'].flatMap((m) => [m, `${m}_IGNORE_CASE`] as Method[]);
const nfd = (s: string) => s.normalize('NFD');
const TERM_CHANGES = [(s: string) => s, (s: string) => s.toUpperCase(), (s: string) => s.toLowerCase(), nfd];

/** Display names in many scripts, each under an ASCII user name (user names are ASCII by rule). */
const USERS = {
  emojiFirst: ['emoji-first', '😀 emoji first'],
  emojiLast: ['emoji-last', 'last emoji 🚀'],
  nfc: ['uni-nfc', 'Ünïcödé Name'],
  nfd: ['uni-nfd', nfd('Ünïcödé NFD')],
  sharpS: ['strasse-sz', 'Straße Süd'],
  doubleS: ['strasse-ss', 'STRASSE NORD'],
  greekUpper: ['greek-upper', 'ΟΔΟΣ ΣΟΦΙΑΣ'],
  greekLower: ['greek-lower', 'οδος σοφιας'],
  tokyo: ['cjk-tokyo', '東京データ連携'],
  yoshinoya: ['cjk-yoshinoya', '𠮷野家ＡＰＩ'],
  turkish: ['turkish', 'İstanbul Ilıca'],
  likeChars: ['like-chars', '100%_off \\ Ünï'],
  ascii: ['kelvin-plain', 'Plain ascii'],
} as const;
type Key = keyof typeof USERS;
type Row = [Method, string, Key[]];

let t: TestApp;
let admin: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app);
  for (const [userName, name] of Object.values(USERS)) {
    await admin.agent.post('/management/v1/users/machine').set('x-csrf-token', admin.csrf).send({ userName, name }).expect(200);
  }
});
afterAll(() => t.cleanup());

/** The display names a search finds among service users, sorted; a refusal shows as its status. */
async function found(s: SignedIn, query: object, orgId?: string, route = '/management/v1/users/_search'): Promise<string[] | string> {
  let req = s.agent.post(route).set('x-csrf-token', s.csrf);
  if (orgId) req = req.set('x-zitadel-orgid', orgId);
  const queries = route.includes('/users/') ? [{ typeQuery: { type: 'TYPE_MACHINE' } }, query] : [query];
  const res = await req.send({ query: { limit: 100 }, queries });
  if (res.status !== 200) return `HTTP ${res.status}`;
  return (res.body.result as { name?: string; machine?: { name: string } }[]).map((r) => r.machine?.name ?? r.name!).sort();
}

/** Runs every row and compares all answers at once, so a failure lists every wrong row. */
async function expectRows(field: 'displayName' | 'userName', rows: Row[]) {
  const got: unknown[] = [];
  const want: unknown[] = [];
  for (const [method, term, keys] of rows) {
    const m = `TEXT_QUERY_METHOD_${method}`;
    const query = field === 'displayName' ? { displayNameQuery: { displayName: term, method: m } } : { userNameQuery: { userName: term, method: m } };
    got.push([method, term, await found(admin, query)]);
    want.push([method, term, keys.map((k) => USERS[k][1]).sort()]);
  }
  expect(got).toEqual(want);
}

describe('user search in any script (POST /management/v1/users/_search)', () => {
  it('finds the two reported misses: an emoji prefix, and ignoring case beyond ASCII', async () => {
    await expectRows('displayName', [
      ['STARTS_WITH', '😀', ['emojiFirst']],
      ['CONTAINS_IGNORE_CASE', 'ünï', ['nfc', 'nfd', 'likeChars']],
    ]);
  });

  it('counts emoji as one character in every method', async () => {
    await expectRows('displayName', [
      ['EQUALS', '😀 emoji first', ['emojiFirst']],
      ['EQUALS_IGNORE_CASE', '😀 EMOJI FIRST', ['emojiFirst']],
      ['STARTS_WITH', '😀 e', ['emojiFirst']],
      ['STARTS_WITH_IGNORE_CASE', '😀 EMO', ['emojiFirst']],
      ['CONTAINS', '🚀', ['emojiLast']],
      ['CONTAINS', 'ji 🚀', ['emojiLast']],
      ['CONTAINS_IGNORE_CASE', 'JI 🚀', ['emojiLast']],
      ['CONTAINS_IGNORE_CASE', '😀', ['emojiFirst']],
      ['ENDS_WITH', '🚀', ['emojiLast']],
      ['ENDS_WITH', 'y 🚀', []],
      ['ENDS_WITH_IGNORE_CASE', 'EMOJI 🚀', ['emojiLast']],
      ['ENDS_WITH_IGNORE_CASE', 'I 🚀', ['emojiLast']],
    ]);
  });

  it('matches combining characters with their precomposed letters, both ways (NFC)', async () => {
    await expectRows('displayName', [
      ['EQUALS', nfd('Ünïcödé Name'), ['nfc']],
      ['EQUALS', 'Ünïcödé NFD', ['nfd']],
      ['EQUALS_IGNORE_CASE', nfd('ÜNÏCÖDÉ NAME'), ['nfc']],
      ['STARTS_WITH', nfd('Ünïcödé'), ['nfc', 'nfd']],
      ['STARTS_WITH_IGNORE_CASE', nfd('ünïcödé n'), ['nfc', 'nfd']],
      ['CONTAINS', nfd('ïcö'), ['nfc', 'nfd']],
      ['CONTAINS', 'Ün', ['nfc', 'nfd', 'likeChars']],
      // A precomposed Ü is not a U: the decomposed name must not answer for its bare base letter.
      ['CONTAINS', 'U', []],
      ['CONTAINS_IGNORE_CASE', nfd('CÖDÉ'), ['nfc', 'nfd']],
      ['ENDS_WITH', nfd('dé NFD'), ['nfd']],
      ['ENDS_WITH_IGNORE_CASE', nfd('ÜNÏ'), ['likeChars']],
    ]);
  });

  it('folds ß and ẞ to ss when ignoring case, and only then', async () => {
    await expectRows('displayName', [
      ['EQUALS', 'Strasse Süd', []],
      ['EQUALS_IGNORE_CASE', 'strasse süd', ['sharpS']],
      ['EQUALS_IGNORE_CASE', 'STRAẞE NORD', ['doubleS']],
      ['STARTS_WITH', 'Straß', ['sharpS']],
      ['STARTS_WITH_IGNORE_CASE', 'STRAẞE', ['sharpS', 'doubleS']],
      ['CONTAINS', 'ß', ['sharpS']],
      ['CONTAINS_IGNORE_CASE', 'ß', ['sharpS', 'doubleS']],
      ['CONTAINS_IGNORE_CASE', 'ẞ', ['sharpS', 'doubleS']],
      ['CONTAINS_IGNORE_CASE', 'aße', ['sharpS', 'doubleS']],
      ['ENDS_WITH', 'NORD', ['doubleS']],
      ['ENDS_WITH_IGNORE_CASE', 'SÜD', ['sharpS']],
    ]);
  });

  it('folds Σ, σ and final ς alike when ignoring case', async () => {
    await expectRows('displayName', [
      ['EQUALS', 'οδος σοφιας', ['greekLower']],
      ['EQUALS_IGNORE_CASE', 'ΟΔΟΣ ΣΟΦΙΑΣ', ['greekUpper', 'greekLower']],
      ['EQUALS_IGNORE_CASE', 'οδοσ σοφιασ', ['greekUpper', 'greekLower']],
      ['STARTS_WITH', 'ΟΔΟΣ', ['greekUpper']],
      ['STARTS_WITH_IGNORE_CASE', 'οδος', ['greekUpper', 'greekLower']],
      ['CONTAINS', 'δοσ', []],
      ['CONTAINS', 'ΣΟ', ['greekUpper']],
      ['CONTAINS_IGNORE_CASE', 'δοσ', ['greekUpper', 'greekLower']],
      ['CONTAINS_IGNORE_CASE', 'ος σ', ['greekUpper', 'greekLower']],
      ['ENDS_WITH', 'ας', ['greekLower']],
      ['ENDS_WITH_IGNORE_CASE', 'ΙΑς', ['greekUpper', 'greekLower']],
    ]);
  });

  it('handles CJK, characters beyond the BMP and full-width Latin', async () => {
    await expectRows('displayName', [
      ['EQUALS', '東京データ連携', ['tokyo']],
      ['EQUALS_IGNORE_CASE', '𠮷野家ａｐｉ', ['yoshinoya']],
      ['STARTS_WITH', '𠮷野', ['yoshinoya']],
      ['STARTS_WITH_IGNORE_CASE', '𠮷野家ａ', ['yoshinoya']],
      ['CONTAINS', 'データ', ['tokyo']],
      ['CONTAINS', '京デ', ['tokyo']],
      ['CONTAINS', 'ａｐｉ', []],
      ['CONTAINS_IGNORE_CASE', 'ａｐｉ', ['yoshinoya']],
      ['ENDS_WITH', '連携', ['tokyo']],
      ['ENDS_WITH_IGNORE_CASE', '家ａｐｉ', ['yoshinoya']],
    ]);
  });

  it('uses the default (not Turkish) folding: İ is i with a dot above, ı stays ı', async () => {
    await expectRows('displayName', [
      ['EQUALS_IGNORE_CASE', 'i\u0307stanbul ilıca', ['turkish']],
      ['STARTS_WITH_IGNORE_CASE', 'İSTANBUL', ['turkish']],
      ['CONTAINS_IGNORE_CASE', 'i\u0307stanbul', ['turkish']],
      ['CONTAINS_IGNORE_CASE', 'istanbul', []],
      ['CONTAINS_IGNORE_CASE', 'ILICA', []],
      ['ENDS_WITH_IGNORE_CASE', 'ILıCA', ['turkish']],
    ]);
  });

  it('takes %, _, \\ and quotes literally next to non-ASCII letters', async () => {
    await expectRows('displayName', [
      ['EQUALS_IGNORE_CASE', '100%_OFF \\ ÜNÏ', ['likeChars']],
      ['STARTS_WITH_IGNORE_CASE', '100%', ['likeChars']],
      ['STARTS_WITH_IGNORE_CASE', '1_0', []],
      ['CONTAINS_IGNORE_CASE', '%_OFF \\ ÜNÏ', ['likeChars']],
      ['CONTAINS', '%', ['likeChars']],
      ['CONTAINS_IGNORE_CASE', '0_', []],
      ['CONTAINS', '\\', ['likeChars']],
      ['CONTAINS_IGNORE_CASE', '"ünï', []],
      ['ENDS_WITH_IGNORE_CASE', '\\ ünï', ['likeChars']],
    ]);
  });

  it('folds non-ASCII terms against ASCII user names (Kelvin sign, long s, capital sharp s)', async () => {
    await expectRows('userName', [
      ['EQUALS', 'emoji-first', ['emojiFirst']],
      ['EQUALS_IGNORE_CASE', '\u212AELVIN-PLAIN', ['ascii']],
      ['STARTS_WITH_IGNORE_CASE', '\u017Ftrasse', ['sharpS', 'doubleS']],
      ['CONTAINS', 'Ss', []],
      ['CONTAINS_IGNORE_CASE', 'ẞ', ['sharpS', 'doubleS']],
      ['CONTAINS_IGNORE_CASE', 'TRAẞE', ['sharpS', 'doubleS']],
      ['ENDS_WITH', 'nfd', ['nfd']],
      ['ENDS_WITH_IGNORE_CASE', 'NFD', ['nfd']],
    ]);
  });

  it('searches a renamed service user by its new name only', async () => {
    const org = await createOrg(admin, 'Rename Org');
    const created = await admin.agent
      .post('/management/v1/users/machine')
      .set('x-csrf-token', admin.csrf)
      .set('x-zitadel-orgid', org)
      .send({ userName: 'renamed', name: 'Ölfeld Nord' })
      .expect(200);
    await admin.agent
      .put(`/management/v1/users/${created.body.userId}/machine`)
      .set('x-csrf-token', admin.csrf)
      .set('x-zitadel-orgid', org)
      .send({ name: 'Grüße aus Köln' })
      .expect(200);
    const ic = (displayName: string, method = 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE') => found(admin, { displayNameQuery: { displayName, method } }, org);
    expect([await ic('GRÜSSE'), await ic('köln'), await ic('ölfeld'), await ic('ÖLFELD NORD', 'TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE')]).toEqual([
      ['Grüße aus Köln'],
      ['Grüße aus Köln'],
      [],
      [],
    ]);
  });
});

describe('organization search in any script (POST /admin/v1/orgs/_search)', () => {
  it('applies the same forms to organization names, also after a rename', async () => {
    for (const name of ['Ünïcödé GmbH', 'Straße AG', 'ΟΔΟΣ Ltd', '😀 Org']) await createOrg(admin, name);
    const orgs = (method: string, name: string) =>
      found(admin, { nameQuery: { name, method: `TEXT_QUERY_METHOD_${method}` } }, undefined, '/admin/v1/orgs/_search');
    expect([
      await orgs('CONTAINS_IGNORE_CASE', 'ünï'),
      await orgs('EQUALS_IGNORE_CASE', 'STRASSE AG'),
      await orgs('STARTS_WITH', '😀'),
      await orgs('ENDS_WITH_IGNORE_CASE', 'οσ ltd'),
      await orgs('EQUALS', nfd('Ünïcödé GmbH')),
    ]).toEqual([['Ünïcödé GmbH'], ['Straße AG'], ['😀 Org'], ['ΟΔΟΣ Ltd'], ['Ünïcödé GmbH']]);
    const straße = (
      await admin.agent
        .post('/admin/v1/orgs/_search')
        .set('x-csrf-token', admin.csrf)
        .send({ queries: [{ nameQuery: { name: 'Straße AG', method: 'TEXT_QUERY_METHOD_EQUALS' } }] })
    ).body.result[0].id as string;
    await admin.agent.put('/management/v1/orgs/me').set('x-csrf-token', admin.csrf).set('x-zitadel-orgid', straße).send({ name: 'Grüße KG' }).expect(200);
    expect([await orgs('CONTAINS_IGNORE_CASE', 'GRÜSSE'), await orgs('EQUALS_IGNORE_CASE', 'straße ag')]).toEqual([['Grüße KG'], []]);
  });
});

describe('search forms of names stored before migration 004', () => {
  // A SQLite file of the schema before 004, migrated in place; PostgreSQL databases start with the
  // search forms (001_initial.pg.sql).
  it.skipIf(TEST_ENGINE === 'pg')('fills them in place, so existing users and organizations are found', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-unicode-'));
    const old = openDatabase(path.join(dir, 'tessera.db'));
    for (const f of ['001_initial.sqlite.sql', '003_user_search.sqlite.sql'])
      old.exec(fs.readFileSync(new URL(`../src/storage/migrations/${f}`, import.meta.url), 'utf8'));
    old.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;
      INSERT INTO schema_migrations VALUES (1, 'initial', 'x'), (3, 'user_search', 'x');
      INSERT INTO orgs VALUES ('1', 'Ünïcödé Alt', 'alt.localhost', 'ORG_STATE_ACTIVE', 1, 'x', 'x');`);
    const user = old.prepare(
      `INSERT INTO users (id, org_id, type, username, display_name, state, access_token_type, sequence, created_at, changed_at)
       VALUES (?, '1', 'machine', ?, ?, 'USER_STATE_ACTIVE', 'ACCESS_TOKEN_TYPE_BEARER', 1, 'x', 'x')`,
    );
    [
      ['11', 'legacy-nfd', nfd('Ünïcödé Legacy')],
      ['12', 'legacy-sz', 'Straße Legacy'],
      ['13', 'legacy-greek', 'ΟΔΟΣ Legacy'],
    ].forEach((u) => user.run(...u));
    old.close();

    const app = await createTestApp({}, dir);
    try {
      const adminId = await insertHuman(app.storage, '1', 'legacy-admin');
      await app.storage.run('INSERT INTO instance_members (user_id, roles, created_at) VALUES (?, ?, ?)', [
        adminId,
        JSON.stringify([INSTANCE_OWNER_ROLE]),
        'x',
      ]);
      const s = await signIn(app.app, 'legacy-admin', HUMAN_PASSWORD);
      const ic = (displayName: string, method = 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE') => found(s, { displayNameQuery: { displayName, method } }, '1');
      expect([
        await ic('ünïcödé'),
        await ic('STRASSE LEGACY', 'TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE'),
        await ic('δοσ'),
        await ic('Ün', 'TEXT_QUERY_METHOD_STARTS_WITH'),
        await found(s, { nameQuery: { name: 'ÜNÏ', method: 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE' } }, undefined, '/admin/v1/orgs/_search'),
      ]).toEqual([[nfd('Ünïcödé Legacy')], ['Straße Legacy'], ['ΟΔΟΣ Legacy'], [nfd('Ünïcödé Legacy')], ['Ünïcödé Alt']]);
    } finally {
      await app.cleanup();
    }
  });
});

describe('search plans and the rule behind them', () => {
  // SQLite's FTS5 index and query plans; storage-pg-migrations checks PostgreSQL's trigram index.
  it.skipIf(TEST_ENGINE === 'pg')('narrows with the trigram index and scans only the covering index', () => {
    const orgId = admin.whoami.orgId;
    const q = (term: string, method: TextQueryMethod) =>
      listUsersSchema.parse({
        queries: [
          { typeQuery: { type: 'TYPE_MACHINE' } },
          { orQuery: { queries: [{ userNameQuery: { userName: term, method } }, { displayNameQuery: { displayName: term, method } }] } },
        ],
      }).queries!;
    expect(userFilter('sqlite', orgId, q('STRAẞE', 'TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE')).fts).toBe(
      '(username : "strasse" OR display_name_fold : "strasse")',
    );
    expect(userFilter('sqlite', orgId, q(nfd('Ünï'), 'TEXT_QUERY_METHOD_CONTAINS')).fts).toBe('(username : "Ünï" OR display_name : "Ünï")');
    const plan = (sql: string, args: unknown[]) => (t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);
    for (const method of METHODS) {
      const scan = userFilter('sqlite', orgId, q('ß', `TEXT_QUERY_METHOD_${method}`));
      expect(scan.fts).toBeUndefined();
      expect(plan(`SELECT count(*) FROM users u WHERE ${scan.where}`, scan.args)).toEqual([
        'SEARCH u USING COVERING INDEX users_org_type_created_names (org_id=? AND type=?)',
      ]);
    }
    expect(plan('SELECT rowid FROM users_fts WHERE users_fts MATCH ?', ['display_name_fold : "strasse"'])).toEqual([
      expect.stringMatching(/^SCAN users_fts VIRTUAL TABLE INDEX 0:M/),
    ]);
  });

  it('answers every method as the rule says, for any text, through the index and without it', async () => {
    // A database of its own, on this run's engine, so the shared app's users stay out of it.
    const fresh = await createTestApp();
    const store = fresh.storage;
    // Letters whose folding or normalization is special, marks, astral characters and LIKE's wildcards.
    const unit = fc.constantFrom(
      'a',
      'S',
      's',
      'ß',
      'ẞ',
      'ſ',
      'Σ',
      'σ',
      'ς',
      'ι',
      'ΐ',
      'I',
      'i',
      'İ',
      'ı',
      'J',
      'ǰ',
      'e',
      'é',
      'É',
      '\u0301',
      '\u0308',
      '\u030c',
      '\u0345',
      '\u212a',
      'k',
      '😀',
      '東',
      '%',
      '_',
      ' ',
    );
    const ascii = fc.constantFrom('a', 's', 'S', 'k', 'K', 'i', 'I', 'j', '%', '_');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ name: fc.string({ unit, maxLength: 7 }), login: fc.string({ unit: ascii, maxLength: 5 }) }), { minLength: 1, maxLength: 12 }),
        fc.string({ unit, maxLength: 4 }),
        // Most random terms match nothing, so half the time the term is a piece of a name, recased or decomposed.
        fc.option(fc.record({ user: fc.nat(), start: fc.nat(7), length: fc.integer({ min: 1, max: 6 }), change: fc.constantFrom(...TERM_CHANGES) })),
        fc.constantFrom(...METHODS),
        fc.boolean(),
        async (users, random, piece, method, byUserName) => {
          const orgId = String(++run);
          await store.run(
            `INSERT INTO orgs (id, name, primary_domain, state, sequence, created_at, changed_at) VALUES (?, ?, ?, 'ORG_STATE_ACTIVE', 1, 'x', 'x')`,
            [orgId, `org ${orgId}`, `${orgId}.localhost`],
          );
          const login = (i: number) => `${orgId}-${i}-${users[i]!.login}`;
          const ids: string[] = [];
          for (const [i, u] of users.entries()) {
            ids.push(
              (await addMachineUser(store, orgId, null, { userName: login(i), name: u.name, description: '', accessTokenType: 'ACCESS_TOKEN_TYPE_BEARER' }))
                .userId,
            );
          }
          const source = piece && (byUserName ? login(piece.user % users.length) : users[piece.user % users.length]!.name);
          const term = piece ? piece.change([...source!].slice(piece.start, piece.start + piece.length).join('')) : random;
          const m: TextQueryMethod = `TEXT_QUERY_METHOD_${method}`;
          const form = method.endsWith('_IGNORE_CASE') ? caselessForm : exactForm;
          const f = form(term);
          const want = ids.filter((_, i) => {
            const v = form(byUserName ? login(i) : users[i]!.name);
            return method.startsWith('EQUALS')
              ? v === f
              : method.startsWith('STARTS')
                ? v.startsWith(f)
                : method.startsWith('ENDS')
                  ? v.endsWith(f)
                  : v.includes(f);
          });
          const query = byUserName ? { userNameQuery: { userName: term, method: m } } : { displayNameQuery: { displayName: term, method: m } };
          const got = await searchUsers(store, orgId, { query: { limit: 100 }, queries: [query] });
          expect(got.result.map((u) => u.id).sort()).toEqual(want.sort());
          expect(got.details.totalResult).toBe(String(want.length));
        },
      ),
      { numRuns: 400 },
    );
    await fresh.cleanup();
  }, 60_000);
});
