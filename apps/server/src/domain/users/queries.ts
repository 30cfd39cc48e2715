import type { ListUsersQuery, MachineUserView, TextQueryMethod, UserQuery } from '@tessera/contracts';
import type { Db } from '../../storage/db.js';
import { notFound } from '../errors.js';
import { toUserView, USER_COLUMNS, USER_FROM, type UserRow } from './views.js';

export function getUser(db: Db, orgId: string, userId: string): MachineUserView {
  return toUserView(findUserRow(db, orgId, userId));
}

/** A user of this organization; another organization's user is "not found", exactly like a missing one. */
export function findUserRow(db: Db, orgId: string, userId: string): UserRow {
  const row = db.prepare(`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE u.id = ? AND u.org_id = ?`).get(userId, orgId) as
    | UserRow
    | undefined;
  if (!row) throw notFound('USER-NotFound', 'user not found');
  return row;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function textCondition(column: string, value: string, method: TextQueryMethod, args: unknown[]): string {
  switch (method) {
    case 'TEXT_QUERY_METHOD_EQUALS':
      args.push(value);
      return `${column} = ?`;
    case 'TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE':
      args.push(value);
      return `${column} = ? COLLATE NOCASE`;
    case 'TEXT_QUERY_METHOD_STARTS_WITH':
      args.push(value.length, value);
      return `substr(${column}, 1, ?) = ?`;
    case 'TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE':
      args.push(`${escapeLike(value)}%`);
      return `${column} LIKE ? ESCAPE '\\'`;
    case 'TEXT_QUERY_METHOD_CONTAINS':
      args.push(value);
      return `instr(${column}, ?) > 0`;
    case 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE':
      args.push(`%${escapeLike(value)}%`);
      return `${column} LIKE ? ESCAPE '\\'`;
  }
}

function condition(q: UserQuery, args: unknown[]): string {
  if ('userNameQuery' in q) return textCondition('u.username', q.userNameQuery.userName, q.userNameQuery.method, args);
  if ('displayNameQuery' in q) return textCondition('u.display_name', q.displayNameQuery.displayName, q.displayNameQuery.method, args);
  if ('typeQuery' in q) {
    args.push(q.typeQuery.type === 'TYPE_HUMAN' ? 'human' : 'machine');
    return 'u.type = ?';
  }
  return `(${q.orQuery.queries.map((sub) => condition(sub, args)).join(' OR ')})`;
}

const SORT_COLUMNS: Record<string, string> = {
  USER_FIELD_NAME_UNSPECIFIED: 'u.created_at',
  USER_FIELD_NAME_CREATION_DATE: 'u.created_at',
  USER_FIELD_NAME_USER_NAME: 'u.username COLLATE NOCASE',
  USER_FIELD_NAME_DISPLAY_NAME: 'u.display_name COLLATE NOCASE',
  USER_FIELD_NAME_STATE: 'u.state',
};

export const DEFAULT_LIMIT = 100;

/** ListUsers: ZITADEL's paging (offset/limit, asc defaults to false = descending) and filters. */
export function searchUsers(db: Db, orgId: string, req: ListUsersQuery) {
  const args: unknown[] = [orgId];
  const where = ['u.org_id = ?', ...(req.queries ?? []).map((q) => condition(q, args))].join(' AND ');
  const order = `${SORT_COLUMNS[req.sortingColumn ?? 'USER_FIELD_NAME_UNSPECIFIED']} ${req.query?.asc ? 'ASC' : 'DESC'}`;
  const limit = req.query?.limit || DEFAULT_LIMIT;
  const offset = req.query?.offset ?? 0;
  const total = db.prepare(`SELECT count(*) FROM users u WHERE ${where}`).pluck().get(...args) as number;
  const rows = db
    .prepare(`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE ${where} ORDER BY ${order}, u.id LIMIT ? OFFSET ?`)
    .all(...args, limit, offset) as UserRow[];
  return {
    details: { totalResult: String(total), viewTimestamp: new Date().toISOString() },
    sortingColumn: req.sortingColumn ?? 'USER_FIELD_NAME_UNSPECIFIED',
    result: rows.map(toUserView),
  };
}
