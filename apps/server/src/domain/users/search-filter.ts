import type { TextQueryMethod, UserQuery } from '@tessera/contracts';
import { textCondition } from '../text-query.js';

/** A search's WHERE clause over `users u`, and an optional full-text expression that narrows it. */
export interface UserFilter {
  where: string;
  args: unknown[];
  /**
   * An FTS5 MATCH over users_fts whose hits are a superset of the rows `where` accepts, when the
   * search has a term the trigram index can serve; `where` still decides exactly.
   */
  fts?: string;
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

/**
 * The trigram index answers "contains" for terms of three characters or more (shorter ones have no
 * trigram). Inside an FTS5 string everything is literal except the quote, which is doubled.
 */
function ftsText(column: string, value: string, method: TextQueryMethod): string | undefined {
  if (method !== 'TEXT_QUERY_METHOD_CONTAINS' && method !== 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE') return undefined;
  // FTS5 reads its query as a C string: a NUL would cut it short (the API refuses control characters anyway).
  if ([...value].length < 3 || value.includes('\u0000')) return undefined;
  return `${column} : "${value.replaceAll('"', '""')}"`;
}

function ftsExpression(q: UserQuery): string | undefined {
  if ('userNameQuery' in q) return ftsText('username', q.userNameQuery.userName, q.userNameQuery.method);
  if ('displayNameQuery' in q) return ftsText('display_name', q.displayNameQuery.displayName, q.displayNameQuery.method);
  if ('orQuery' in q) {
    // An OR can only be narrowed when every branch can: one unindexable branch may match anything.
    const parts = q.orQuery.queries.map(ftsExpression);
    return parts.every((p) => p !== undefined) ? `(${parts.join(' OR ')})` : undefined;
  }
  return undefined;
}

/** ListUsers' queries, ANDed, within one organization. */
export function userFilter(orgId: string, queries: UserQuery[]): UserFilter {
  const args: unknown[] = [orgId];
  const where = ['u.org_id = ?', ...queries.map((q) => condition(q, args))].join(' AND ');
  const fts = queries.map(ftsExpression).filter((e) => e !== undefined);
  return { where, args, ...(fts.length ? { fts: fts.join(' AND ') } : {}) };
}
