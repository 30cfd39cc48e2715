import type { ListUsersQuery } from '@tessera/contracts';
import type { Engine } from '../../storage/port.js';
import { invalidArgument } from '../errors.js';

/** A row's key within one search: SQLite's rowid (the cheapest lookup there), PostgreSQL's primary key. */
export type Key = number | string;

/**
 * Where a page ended: the sorting column and direction it was for, and its last row's sort value and key.
 * It holds nothing the caller was not just shown, so it is plain base64url JSON, not sealed.
 */
export interface Cursor {
  c: NonNullable<ListUsersQuery['sortingColumn']>;
  a: boolean;
  s: string;
  k: Key;
}

export const writeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

const refused = () => invalidArgument('USER-Cursor', 'query.cursor is not a nextCursor of this search: page from the first page again', 'query.cursor');

/** The cursor a previous page answered, for the same sorting column and direction on this engine; 400 otherwise. */
export function readCursor(text: string, engine: Engine, sortingColumn: Cursor['c'], asc: boolean): Cursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  const c = value as Partial<Cursor> | null;
  const keyFits = engine === 'pg' ? typeof c?.k === 'string' : Number.isSafeInteger(c?.k);
  if (typeof c !== 'object' || c === null || c.c !== sortingColumn || c.a !== asc || typeof c.s !== 'string' || !keyFits) throw refused();
  return { c: c.c, a: c.a, s: c.s, k: c.k! };
}
