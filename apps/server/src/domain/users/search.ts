import type { ListUsersQuery, ListUsersResponse, UserQuery } from '@tessera/contracts';
import type { Engine, Sql } from '../../storage/port.js';
import { readCursor, writeCursor, type Cursor, type Key } from './search-cursor.js';
import { userFilter, type UserFilter } from './search-filter.js';
import { toUserView, USER_COLUMNS, USER_FROM, type UserRow } from './views.js';

export const DEFAULT_LIMIT = 100;

/**
 * Above this many full-text hits, walking the organization's users in the sort's index order is cheaper
 * than looking each hit up. Measured with scripts/bench-user-search.ts at 100,000 users: 1,000 hits
 * take ~5 ms to look up, a scan of the whole index ~13 ms.
 */
export const SELECTIVE_HITS = 2000;

/** A search by text counts its matches up to this many; above, the total says "more than" (totalResultCapped). */
export const COUNT_CAP = 10_000;

type SortingColumn = NonNullable<ListUsersQuery['sortingColumn']>;

/**
 * Each column's order, written as its index is (migrations 001 and 016), so a page is a walk of the index
 * from the cursor, never a sort of the organization. User and display names sort caselessly: SQLite's
 * NOCASE and its lower() both fold ASCII only, so the two engines order alike.
 */
const SORT_COLUMNS: Record<Engine, Record<SortingColumn, string>> = {
  sqlite: {
    USER_FIELD_NAME_UNSPECIFIED: 'u.created_at',
    USER_FIELD_NAME_CREATION_DATE: 'u.created_at',
    USER_FIELD_NAME_USER_NAME: 'u.username COLLATE NOCASE',
    USER_FIELD_NAME_DISPLAY_NAME: 'u.display_name COLLATE NOCASE',
    USER_FIELD_NAME_STATE: 'u.state',
  },
  pg: {
    USER_FIELD_NAME_UNSPECIFIED: 'u.created_at',
    USER_FIELD_NAME_CREATION_DATE: 'u.created_at',
    USER_FIELD_NAME_USER_NAME: 'lower(u.username)',
    USER_FIELD_NAME_DISPLAY_NAME: 'lower(u.display_name)',
    USER_FIELD_NAME_STATE: 'u.state',
  },
};

interface Plan {
  filter: UserFilter;
  /** The sort's expression, then the row's key (SQLite's rowid, PostgreSQL's id) to break ties. */
  sort: string;
  key: string;
  asc: boolean;
  offset: number;
  limit: number;
  after?: Cursor;
}

/** A page's rows by key and sort value, in order, one more than the limit when there is a next page. */
type Walked = { k: Key; s: string }[];

const order = (p: Plan) => `${p.sort} ${p.asc ? 'ASC' : 'DESC'}, ${p.key} ${p.asc ? 'ASC' : 'DESC'}`;

/**
 * The page's rows from the start, or past the cursor in two seeks: the rest of the cursor's tie (its sort
 * value, the keys beyond it), then the values beyond it. Each is a range of one index on both engines;
 * a single condition (a row value, or "value beyond, or equal and key beyond") is not, and a state, with
 * a million users in one tie, would be walked from its start.
 */
async function walk(sql: Sql, p: Plan, from: string, fromArgs: unknown[] = []): Promise<Walked> {
  const read = (condition: string, args: unknown[], limit: number, offset = 0) =>
    sql.all<{ k: Key; s: string }>(
      `SELECT ${p.key} AS k, ${p.sort} AS s FROM ${from} WHERE ${p.filter.where}${condition} ORDER BY ${order(p)} LIMIT ? OFFSET ?`,
      [...fromArgs, ...p.filter.args, ...args, limit, offset],
    );
  if (!p.after) return read('', [], p.limit + 1, p.offset);
  const op = p.asc ? '>' : '<';
  const wanted = p.offset + p.limit + 1;
  const ties = await read(` AND ${p.sort} = ? AND ${p.key} ${op} ?`, [p.after.s, p.after.k], wanted);
  const beyond = ties.length < wanted ? await read(` AND ${p.sort} ${op} ?`, [p.after.s], wanted - ties.length) : [];
  return [...ties, ...beyond].slice(p.offset);
}

/** A page's rows, and the size of the whole result. */
interface Found {
  walked: Walked;
  total: number;
  capped: boolean;
}

/** Few hits (SQLite's FTS5): look each one up; the page and the count each read at most SELECTIVE_HITS rows. */
async function viaFullText(sql: Sql, p: Plan, ids: string[]): Promise<Found> {
  const hits = 'json_each(?) j CROSS JOIN users u ON u.id = j.value';
  const json = JSON.stringify(ids);
  const walked = await walk(sql, p, hits, [json]);
  const total = await sql.one<{ n: number }>(`SELECT count(*) AS n FROM ${hits} WHERE ${p.filter.where}`, [json, ...p.filter.args]);
  return { walked, total: Number(total!.n), capped: false };
}

/** The types and states a search accepts, when those are all it asks for; undefined when it asks for text. */
function typesAndStates(queries: UserQuery[]): { types: string[]; states: string[] } | undefined {
  let types = ['human', 'machine'];
  let states = ['USER_STATE_ACTIVE', 'USER_STATE_INACTIVE'];
  for (const q of queries) {
    if ('typeQuery' in q) types = types.filter((t) => t === (q.typeQuery.type === 'TYPE_HUMAN' ? 'human' : 'machine'));
    else if ('stateQuery' in q) states = states.filter((s) => s === q.stateQuery.state);
    else return undefined;
  }
  return { types, states };
}

/**
 * The size of the whole result: read from user_counts (kept by triggers, migration 016) when the search
 * filters by type and state only, so a million users cost one row per state to count; counted up to
 * COUNT_CAP matches otherwise.
 */
async function countUsers(sql: Sql, orgId: string, queries: UserQuery[], p: Plan): Promise<Omit<Found, 'walked'>> {
  const kept = typesAndStates(queries);
  if (kept) {
    const { types, states } = kept;
    if (types.length === 0 || states.length === 0) return { total: 0, capped: false };
    const row = await sql.one<{ n: number | string | null }>(
      `SELECT sum(n) AS n FROM user_counts WHERE org_id = ? AND type IN (${types.map(() => '?').join(', ')}) AND state IN (${states.map(() => '?').join(', ')})`,
      [orgId, ...types, ...states],
    );
    return { total: Number(row?.n ?? 0), capped: false };
  }
  const row = await sql.one<{ n: number | string }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM users u WHERE ${p.filter.where} LIMIT ${COUNT_CAP + 1}) m`,
    p.filter.args,
  );
  const n = Number(row!.n);
  return n > COUNT_CAP ? { total: COUNT_CAP, capped: true } : { total: n, capped: false };
}

/** The full-text hits as user ids, or undefined when there are too many for looking them up to pay. */
async function fullTextHits(sql: Sql, fts: string): Promise<string[] | undefined> {
  const rows = await sql.all<{ id: string }>('SELECT CAST(rowid AS TEXT) AS id FROM users_fts WHERE users_fts MATCH ? LIMIT ?', [fts, SELECTIVE_HITS + 1]);
  return rows.length > SELECTIVE_HITS ? undefined : rows.map((r) => r.id);
}

async function loadRows(sql: Sql, keys: Key[]): Promise<UserRow[]> {
  if (keys.length === 0) return [];
  const rows =
    sql.engine === 'pg'
      ? await sql.all<UserRow & { k: Key }>(`SELECT ${USER_COLUMNS}, u.id AS k FROM ${USER_FROM} WHERE u.id = ANY(?::text[])`, [keys])
      : await sql.all<UserRow & { k: Key }>(`SELECT ${USER_COLUMNS}, u.rowid AS k FROM ${USER_FROM} WHERE u.rowid IN (SELECT value FROM json_each(?))`, [
          JSON.stringify(keys),
        ]);
  const byKey = new Map(rows.map((r) => [r.k, r]));
  return keys.map((k) => byKey.get(k)).filter((r) => r !== undefined);
}

/**
 * ListUsers: ZITADEL's paging (offset/limit, asc defaults to false = descending) and filters, and a
 * cursor for deep pages. The count and the page are separate reads: a user created between them can
 * make the total one off.
 */
export async function searchUsers(sql: Sql, orgId: string, req: ListUsersQuery): Promise<ListUsersResponse> {
  const sortingColumn = req.sortingColumn ?? 'USER_FIELD_NAME_UNSPECIFIED';
  const asc = req.query?.asc ?? false;
  const queries = req.queries ?? [];
  const plan: Plan = {
    filter: userFilter(sql.engine, orgId, queries),
    sort: SORT_COLUMNS[sql.engine][sortingColumn],
    key: sql.engine === 'pg' ? 'u.id' : 'u.rowid',
    asc,
    offset: req.query?.offset ?? 0,
    limit: req.query?.limit || DEFAULT_LIMIT,
    ...(req.query?.cursor === undefined ? {} : { after: readCursor(req.query.cursor, sql.engine, sortingColumn, asc) }),
  };
  const hits = plan.filter.fts === undefined ? undefined : await fullTextHits(sql, plan.filter.fts);
  const { walked, total, capped } = hits
    ? await viaFullText(sql, plan, hits)
    : { walked: await walk(sql, plan, 'users u'), ...(await countUsers(sql, orgId, queries, plan)) };
  const page = walked.slice(0, plan.limit);
  const last = page.at(-1);
  const users = await loadRows(
    sql,
    page.map((r) => r.k),
  );
  return {
    details: { totalResult: String(total), ...(capped ? { totalResultCapped: true } : {}), viewTimestamp: new Date().toISOString() },
    sortingColumn,
    result: users.map(toUserView),
    ...(walked.length > plan.limit && last ? { nextCursor: writeCursor({ c: sortingColumn, a: asc, s: last.s, k: last.k }) } : {}),
  };
}
