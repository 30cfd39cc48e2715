import type { TextQueryMethod, UserQuery } from '@tessera/contracts';
import type { Engine } from '../../storage/port.js';
import { asciiColumn, freeTextColumn, ignoresCase, termForm, textCondition } from '../text-query.js';

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

// User names keep to USERNAME_PATTERN (ASCII); display names are free text with stored search forms.
const USERNAME = asciiColumn('u.username');
const DISPLAY_NAME = freeTextColumn('u.display_name');

function condition(engine: Engine, q: UserQuery, args: unknown[]): string {
  if ('userNameQuery' in q) return textCondition(engine, USERNAME, q.userNameQuery.userName, q.userNameQuery.method, args);
  if ('displayNameQuery' in q) return textCondition(engine, DISPLAY_NAME, q.displayNameQuery.displayName, q.displayNameQuery.method, args);
  if ('typeQuery' in q) {
    args.push(q.typeQuery.type === 'TYPE_HUMAN' ? 'human' : 'machine');
    return 'u.type = ?';
  }
  if ('stateQuery' in q) {
    args.push(q.stateQuery.state);
    return 'u.state = ?';
  }
  return `(${q.orQuery.queries.map((sub) => condition(engine, sub, args)).join(' OR ')})`;
}

/**
 * The trigram index finds the names that contain a term of three characters or more (shorter ones have
 * no trigram), which is also a superset of those that equal, start or end with it. It holds the same
 * forms the condition compares: the user name (whose caseless form, lower(), the index's own folding
 * matches too), and the display name's NFC and case-folded forms. Inside an FTS5 string everything is
 * literal except the quote, which is doubled.
 */
function ftsText(field: 'username' | 'display_name', value: string, method: TextQueryMethod): string | undefined {
  const term = termForm(value, method);
  // FTS5 reads its query as a C string: a NUL would cut it short (the API refuses control characters anyway).
  if ([...term].length < 3 || term.includes('\u0000')) return undefined;
  const column = field === 'display_name' && ignoresCase(method) ? 'display_name_fold' : field;
  return `${column} : "${term.replaceAll('"', '""')}"`;
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

/**
 * ListUsers' queries, ANDed, within one organization. On PostgreSQL the planner narrows a LIKE by its
 * pg_trgm indexes itself; SQLite's FTS5 index is asked first, through `fts`.
 */
export function userFilter(engine: Engine, orgId: string, queries: UserQuery[]): UserFilter {
  const args: unknown[] = [orgId];
  const where = ['u.org_id = ?', ...queries.map((q) => condition(engine, q, args))].join(' AND ');
  if (engine === 'pg') return { where, args };
  const fts = queries.map(ftsExpression).filter((e) => e !== undefined);
  return { where, args, ...(fts.length ? { fts: fts.join(' AND ') } : {}) };
}
