import type { ListUsersQuery, ListUsersResponse } from '@tessera/contracts';
import type { Db } from '../../storage/db.js';
import { userFilter, type UserFilter } from './search-filter.js';
import { toUserView, USER_COLUMNS, USER_FROM, type UserRow } from './views.js';

export const DEFAULT_LIMIT = 100;

/**
 * Above this many full-text hits, checking every row of the organization in index order is cheaper
 * than looking each hit up. Measured with scripts/bench-user-search.ts at 100,000 users: 1,000 hits
 * take ~5 ms to look up, a scan of the whole index ~13 ms.
 */
export const SELECTIVE_HITS = 2000;

const SORT_COLUMNS: Record<string, string> = {
  USER_FIELD_NAME_UNSPECIFIED: 'u.created_at',
  USER_FIELD_NAME_CREATION_DATE: 'u.created_at',
  USER_FIELD_NAME_USER_NAME: 'u.username COLLATE NOCASE',
  USER_FIELD_NAME_DISPLAY_NAME: 'u.display_name COLLATE NOCASE',
  USER_FIELD_NAME_STATE: 'u.state',
};

interface Page {
  total: number;
  /** users.rowid of the page's rows, in order; only meaningful within this call. */
  rowids: number[];
}

interface Plan {
  filter: UserFilter;
  asc: boolean;
  order: string;
  offset: number;
  limit: number;
}

/** Few hits: look each one up, then sort them all (at most SELECTIVE_HITS rows). */
function viaFullText(db: Db, p: Plan, ids: string[]): Page {
  const ordered = db
    .prepare(
      `SELECT u.rowid FROM json_each(?) j CROSS JOIN users u ON u.id = j.value
       WHERE ${p.filter.where} ORDER BY ${p.order}`,
    )
    .pluck()
    .all(JSON.stringify(ids), ...p.filter.args) as number[];
  return { total: ordered.length, rowids: ordered.slice(p.offset, p.offset + p.limit) };
}

/**
 * Newest (or oldest) first, walking users_org_type_created_names: the page is the first matches in
 * index order, and the total is those plus a count of the rest of the index, so every entry is read
 * once. Counting first and then paging would read a rare term's whole range twice.
 */
function viaCreationOrder(db: Db, p: Plan): Page {
  const wanted = p.offset + p.limit;
  const walked = db
    .prepare(`SELECT u.rowid AS rowid, u.created_at AS createdAt FROM users u WHERE ${p.filter.where} ORDER BY ${p.order} LIMIT ?`)
    .all(...p.filter.args, wanted) as { rowid: number; createdAt: string }[];
  const rowids = walked.slice(p.offset).map((r) => r.rowid);
  if (walked.length < wanted) return { total: walked.length, rowids };
  // Rows created in the same millisecond as the last one walked may sit on either side of it.
  const last = walked.at(-1)!.createdAt;
  const sameInstant = walked.filter((r) => r.createdAt === last).length;
  const rest = db
    .prepare(`SELECT count(*) FROM users u WHERE ${p.filter.where} AND u.created_at ${p.asc ? '>=' : '<='} ?`)
    .pluck()
    .get(...p.filter.args, last) as number;
  return { total: walked.length - sameInstant + rest, rowids };
}

function viaCountAndPage(db: Db, p: Plan): Page {
  const total = db.prepare(`SELECT count(*) FROM users u WHERE ${p.filter.where}`).pluck().get(...p.filter.args) as number;
  const rowids = db
    .prepare(`SELECT u.rowid FROM users u WHERE ${p.filter.where} ORDER BY ${p.order} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...p.filter.args, p.limit, p.offset) as number[];
  return { total, rowids };
}

/** The full-text hits as user ids, or undefined when there are too many for looking them up to pay. */
function fullTextHits(db: Db, fts: string): string[] | undefined {
  const ids = db
    .prepare('SELECT CAST(rowid AS TEXT) FROM users_fts WHERE users_fts MATCH ? LIMIT ?')
    .pluck()
    .all(fts, SELECTIVE_HITS + 1) as string[];
  return ids.length > SELECTIVE_HITS ? undefined : ids;
}

function loadRows(db: Db, rowids: number[]): UserRow[] {
  if (rowids.length === 0) return [];
  const rows = db
    .prepare(`SELECT ${USER_COLUMNS}, u.rowid AS _rowid FROM ${USER_FROM} WHERE u.rowid IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(rowids)) as (UserRow & { _rowid: number })[];
  const byRowid = new Map(rows.map((r) => [r._rowid, r]));
  return rowids.map((id) => byRowid.get(id)).filter((r) => r !== undefined);
}

/** ListUsers: ZITADEL's paging (offset/limit, asc defaults to false = descending) and filters. */
export function searchUsers(db: Db, orgId: string, req: ListUsersQuery): ListUsersResponse {
  const sortingColumn = req.sortingColumn ?? 'USER_FIELD_NAME_UNSPECIFIED';
  const asc = req.query?.asc ?? false;
  const sortColumn = SORT_COLUMNS[sortingColumn]!;
  const plan: Plan = {
    filter: userFilter(orgId, req.queries ?? []),
    asc,
    order: `${sortColumn} ${asc ? 'ASC' : 'DESC'}, u.id`,
    offset: req.query?.offset ?? 0,
    limit: req.query?.limit || DEFAULT_LIMIT,
  };
  // One read transaction: the count, the page and its rows come from the same snapshot.
  return db.transaction((): ListUsersResponse => {
    const hits = plan.filter.fts === undefined ? undefined : fullTextHits(db, plan.filter.fts);
    const page = hits
      ? viaFullText(db, plan, hits)
      : sortColumn === 'u.created_at'
        ? viaCreationOrder(db, plan)
        : viaCountAndPage(db, plan);
    return {
      details: { totalResult: String(page.total), viewTimestamp: new Date().toISOString() },
      sortingColumn,
      result: loadRows(db, page.rowids).map(toUserView),
    };
  })();
}
