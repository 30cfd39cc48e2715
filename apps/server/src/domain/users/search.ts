import type { ListUsersQuery, ListUsersResponse } from '@tessera/contracts';
import type { Sql } from '../../storage/port.js';
import { userFilter, type UserFilter } from './search-filter.js';
import { toUserView, USER_COLUMNS, USER_FROM, type UserRow } from './views.js';

export const DEFAULT_LIMIT = 100;

/**
 * Above this many full-text hits, checking every row of the organization in index order is cheaper
 * than looking each hit up. Measured with scripts/bench-user-search.ts at 100,000 users: 1,000 hits
 * take ~5 ms to look up, a scan of the whole index ~13 ms.
 */
export const SELECTIVE_HITS = 2000;

// lower() is NOCASE's ASCII folding on SQLite, and a caseless order on PostgreSQL.
const SORT_COLUMNS: Record<string, string> = {
  USER_FIELD_NAME_UNSPECIFIED: 'u.created_at',
  USER_FIELD_NAME_CREATION_DATE: 'u.created_at',
  USER_FIELD_NAME_USER_NAME: 'lower(u.username)',
  USER_FIELD_NAME_DISPLAY_NAME: 'lower(u.display_name)',
  USER_FIELD_NAME_STATE: 'u.state',
};

/**
 * A row's key within one call: SQLite's rowid (the cheapest lookup there), PostgreSQL's primary key.
 */
type Key = number | string;

interface Page {
  total: number;
  /** The keys of the page's rows, in order. */
  keys: Key[];
}

interface Plan {
  filter: UserFilter;
  asc: boolean;
  order: string;
  offset: number;
  limit: number;
  key: string;
}

/** Few hits (SQLite's FTS5): look each one up, then sort them all (at most SELECTIVE_HITS rows). */
async function viaFullText(sql: Sql, p: Plan, ids: string[]): Promise<Page> {
  const ordered = await sql.all<{ k: number }>(
    `SELECT u.rowid AS k FROM json_each(?) j CROSS JOIN users u ON u.id = j.value
     WHERE ${p.filter.where} ORDER BY ${p.order}`,
    [JSON.stringify(ids), ...p.filter.args],
  );
  return { total: ordered.length, keys: ordered.slice(p.offset, p.offset + p.limit).map((r) => r.k) };
}

/**
 * Newest (or oldest) first, walking users_org_type_created_names: the page is the first matches in
 * index order, and the total is those plus a count of the rest of the index, so every entry is read
 * once. Counting first and then paging would read a rare term's whole range twice.
 */
async function viaCreationOrder(sql: Sql, p: Plan): Promise<Page> {
  const wanted = p.offset + p.limit;
  const walked = await sql.all<{ k: Key; createdAt: string }>(
    `SELECT ${p.key} AS k, u.created_at AS "createdAt" FROM users u WHERE ${p.filter.where} ORDER BY ${p.order} LIMIT ?`,
    [...p.filter.args, wanted],
  );
  const keys = walked.slice(p.offset).map((r) => r.k);
  if (walked.length < wanted) return { total: walked.length, keys };
  // Rows created in the same millisecond as the last one walked may sit on either side of it.
  const last = walked.at(-1)!.createdAt;
  const sameInstant = walked.filter((r) => r.createdAt === last).length;
  const rest = await sql.one<{ n: number }>(`SELECT count(*) AS n FROM users u WHERE ${p.filter.where} AND u.created_at ${p.asc ? '>=' : '<='} ?`, [
    ...p.filter.args,
    last,
  ]);
  return { total: walked.length - sameInstant + rest!.n, keys };
}

async function viaCountAndPage(sql: Sql, p: Plan): Promise<Page> {
  const total = (await sql.one<{ n: number }>(`SELECT count(*) AS n FROM users u WHERE ${p.filter.where}`, p.filter.args))!.n;
  const rows = await sql.all<{ k: Key }>(`SELECT ${p.key} AS k FROM users u WHERE ${p.filter.where} ORDER BY ${p.order} LIMIT ? OFFSET ?`, [
    ...p.filter.args,
    p.limit,
    p.offset,
  ]);
  return { total, keys: rows.map((r) => r.k) };
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
 * ListUsers: ZITADEL's paging (offset/limit, asc defaults to false = descending) and filters. The
 * count and the page are separate reads: a user created between them can make the total one off.
 */
export async function searchUsers(sql: Sql, orgId: string, req: ListUsersQuery): Promise<ListUsersResponse> {
  const sortingColumn = req.sortingColumn ?? 'USER_FIELD_NAME_UNSPECIFIED';
  const asc = req.query?.asc ?? false;
  const sortColumn = SORT_COLUMNS[sortingColumn]!;
  const plan: Plan = {
    filter: userFilter(sql.engine, orgId, req.queries ?? []),
    asc,
    order: `${sortColumn} ${asc ? 'ASC' : 'DESC'}, u.id`,
    offset: req.query?.offset ?? 0,
    limit: req.query?.limit || DEFAULT_LIMIT,
    key: sql.engine === 'pg' ? 'u.id' : 'u.rowid',
  };
  const hits = plan.filter.fts === undefined ? undefined : await fullTextHits(sql, plan.filter.fts);
  const page = hits ? await viaFullText(sql, plan, hits) : sortColumn === 'u.created_at' ? await viaCreationOrder(sql, plan) : await viaCountAndPage(sql, plan);
  return {
    details: { totalResult: String(page.total), viewTimestamp: new Date().toISOString() },
    sortingColumn,
    result: (await loadRows(sql, page.keys)).map(toUserView),
  };
}
