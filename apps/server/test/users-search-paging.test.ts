import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceUser } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

// ListUsers' cursor and its totals kept by triggers (migration 016), on each engine: both must agree
// with what offset paging and a plain count of the rows answer.

let t: TestApp;
let s: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
});
afterAll(() => t.cleanup());

interface Page {
  details: { totalResult: string; totalResultCapped?: boolean };
  result: { id: string; userName: string; state: string; machine: { name: string } }[];
  nextCursor?: string;
}

const search = async (body: object, status = 200): Promise<Page> =>
  (await s.agent.post('/management/v1/users/_search').set('x-csrf-token', s.csrf).send(body).expect(status)).body as Page;

const post = (path: string) => s.agent.post(`/management/v1${path}`).set('x-csrf-token', s.csrf).send({}).expect(200);

const machines = { typeQuery: { type: 'TYPE_MACHINE' } };
const COLUMNS = [
  'USER_FIELD_NAME_UNSPECIFIED',
  'USER_FIELD_NAME_USER_NAME',
  'USER_FIELD_NAME_DISPLAY_NAME',
  'USER_FIELD_NAME_STATE',
  'USER_FIELD_NAME_CREATION_DATE',
];

describe('paging with the cursor', () => {
  const ids: string[] = [];
  beforeAll(async () => {
    // Display names that tie once case is ignored, and states that tie: a page edge falls inside each tie.
    const names = ['Beta', 'alpha', 'Alpha', 'gamma', 'ALPHA'];
    for (let i = 0; i < 13; i++) ids.push(await createServiceUser(s, `Paging-${String.fromCharCode(109 - i)}${i}`, { name: names[i % names.length] }));
    for (const id of ids.filter((_, i) => i % 3 === 0)) await post(`/users/${id}/_deactivate`);
  });

  it.each(COLUMNS.flatMap((c) => [false, true].map((asc) => [c, asc] as const)))(
    'meets every user once, in the offset order: %s, asc %s',
    async (column, asc) => {
      const all = await search({ query: { limit: 1000, asc }, sortingColumn: column, queries: [machines] });
      expect(all.result).toHaveLength(13);
      expect(all.nextCursor).toBeUndefined();
      const walked: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await search({ query: { limit: 4, asc, ...(cursor ? { cursor } : {}) }, sortingColumn: column, queries: [machines] });
        expect(page.details.totalResult).toBe('13');
        walked.push(...page.result.map((u) => u.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(4);
      expect(walked).toEqual(all.result.map((u) => u.id));
    },
  );

  it('orders display names and user names ignoring case, in the direction asked', async () => {
    const byName = await search({ query: { limit: 1000, asc: true }, sortingColumn: 'USER_FIELD_NAME_DISPLAY_NAME', queries: [machines] });
    const names = byName.result.map((u) => u.machine.name.toLowerCase());
    expect(names).toEqual([...names].sort());
    const byUser = await search({ query: { limit: 1000, asc: false }, sortingColumn: 'USER_FIELD_NAME_USER_NAME', queries: [machines] });
    const users = byUser.result.map((u) => u.userName.toLowerCase());
    expect(users).toEqual([...users].sort().reverse());
  });

  it('counts an offset from the cursor, and ends without a cursor', async () => {
    const first = await search({ query: { limit: 3 }, queries: [machines] });
    const skipped = await search({ query: { limit: 3, offset: 2, cursor: first.nextCursor }, queries: [machines] });
    const all = await search({ query: { limit: 1000 }, queries: [machines] });
    expect(skipped.result.map((u) => u.id)).toEqual(all.result.slice(5, 8).map((u) => u.id));
    const last = await search({ query: { limit: 3, offset: 10 }, queries: [machines] });
    expect([last.result.length, last.nextCursor]).toEqual([3, undefined]);
  });

  it('pages a text search with the cursor too', async () => {
    const query = { userNameQuery: { userName: 'paging-', method: 'TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE' } };
    const first = await search({ query: { limit: 10 }, queries: [machines, query] });
    const second = await search({ query: { limit: 10, cursor: first.nextCursor }, queries: [machines, query] });
    expect([first.details.totalResult, first.details.totalResultCapped, second.nextCursor]).toEqual(['13', undefined, undefined]);
    expect(new Set([...first.result, ...second.result].map((u) => u.id))).toEqual(new Set(ids));
  });

  it('refuses a cursor of another sorting column or direction, or none at all, with a 400 naming it', async () => {
    const { nextCursor } = await search({ query: { limit: 2 }, sortingColumn: 'USER_FIELD_NAME_USER_NAME', queries: [machines] });
    const forged = Buffer.from(JSON.stringify({ c: 'USER_FIELD_NAME_USER_NAME', a: false, s: 'x', k: [1] })).toString('base64url');
    for (const [query, sortingColumn] of [
      [{ cursor: nextCursor }, 'USER_FIELD_NAME_DISPLAY_NAME'],
      [{ cursor: nextCursor, asc: true }, 'USER_FIELD_NAME_USER_NAME'],
      [{ cursor: 'not a cursor' }, 'USER_FIELD_NAME_USER_NAME'],
      [{ cursor: Buffer.from('[1,2]').toString('base64url') }, 'USER_FIELD_NAME_USER_NAME'],
      [{ cursor: forged }, 'USER_FIELD_NAME_USER_NAME'],
    ] as const) {
      const res = await s.agent.post('/management/v1/users/_search').set('x-csrf-token', s.csrf).send({ query, sortingColumn }).expect(400);
      expect(res.body).toMatchObject({ code: 3, details: [{ id: 'USER-Cursor', field: 'query.cursor' }] });
    }
    await search({ query: { cursor: '' } }, 400);
    await search({ query: { cursor: 'x'.repeat(1025) } }, 400);
  });
});

describe('totals kept by the database', () => {
  /** The total as the search answers it, and the number of rows the same search lists. */
  const both = async (queries: object[]) => {
    const page = await search({ query: { limit: 1000 }, queries });
    return [page.details.totalResult, String(page.result.length)];
  };
  const totals = async () => ({
    all: await both([]),
    machines: await both([machines]),
    active: await both([machines, { stateQuery: { state: 'USER_STATE_ACTIVE' } }]),
    inactive: await both([machines, { stateQuery: { state: 'USER_STATE_INACTIVE' } }]),
    humansInactive: await both([{ typeQuery: { type: 'TYPE_HUMAN' } }, { stateQuery: { state: 'USER_STATE_INACTIVE' } }]),
    contradiction: await both([machines, { typeQuery: { type: 'TYPE_HUMAN' } }]),
  });

  it('follow creation, deactivation, reactivation and removal, also of many users at once', async () => {
    const before = await totals();
    const n = (pair: string[]) => Number(pair[0]);
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => createServiceUser(s, `counted-${i}`)));
    await Promise.all(created.slice(0, 6).map((id) => post(`/users/${id}/_deactivate`)));
    await Promise.all(created.slice(0, 2).map((id) => post(`/users/${id}/_reactivate`)));
    await Promise.all(
      created
        .slice(2, 3)
        .concat(created.slice(10, 13))
        .map((id) => s.agent.delete(`/management/v1/users/${id}`).set('x-csrf-token', s.csrf).expect(200)),
    );

    const after = await totals();
    for (const pair of Object.values(after)) expect(pair[0]).toBe(pair[1]);
    expect(n(after.machines) - n(before.machines)).toBe(16);
    expect(n(after.inactive) - n(before.inactive)).toBe(3);
    expect(n(after.active) - n(before.active)).toBe(13);
    expect(n(after.all) - n(before.all)).toBe(16);
    expect([after.humansInactive, after.contradiction]).toEqual([
      ['0', '0'],
      ['0', '0'],
    ]);
  });
});
