import type { TextQueryMethod } from '@tessera/contracts';
import { caselessForm, exactForm } from '../storage/search-forms.js';
import type { Engine } from '../storage/port.js';

/**
 * SQL expressions for a searchable column: its exact form (NFC), and what LIKE runs on for its caseless
 * form. The caseless form is the stored fold, or where none is stored the name itself, whose fold is then
 * its ASCII lowercase: exactly what LIKE's own ASCII-only case-insensitivity compares. Against an already
 * folded one it changes nothing, since a fold holds no uppercase ASCII. So LIKE needs no lower() call per
 * row, which a scan of 100,000 names would feel.
 */
export interface TextColumn {
  exact: string;
  caselessLike: string;
  /**
   * PostgreSQL's form of the same, and its operator: exactly the expressions its trigram index
   * holds (storage/migrations/001_initial.pg.sql), so a LIKE there is narrowed by the index.
   */
  caselessPg: { expr: string; op: 'LIKE' | 'ILIKE' };
  /**
   * PostgreSQL's caseless form for a prefix: one a b-tree in the C collation holds (migrations 001 and 016),
   * where a prefix is a range. The trigrams of a prefix that a million names share ("billing-") narrow nothing.
   */
  prefixPg: { expr: string; op: 'LIKE' };
}

/** A free-text column with stored forms beside it (`<column>_nfc`, `<column>_fold`, NULL where the column serves). */
export const freeTextColumn = (column: string): TextColumn => ({
  exact: `coalesce(${column}_nfc, ${column})`,
  caselessLike: `coalesce(${column}_fold, ${column})`,
  // lower() folds ASCII only on these columns (COLLATE "C"), as a missing fold implies.
  caselessPg: { expr: `coalesce(${column}_fold, lower(${column}))`, op: 'LIKE' },
  prefixPg: { expr: `coalesce(${column}_fold, lower(${column}))`, op: 'LIKE' },
});

/** A column that only ever holds ASCII (user names, domains): already NFC, and its fold is its ASCII lowercase. */
export const asciiColumn = (column: string): TextColumn => ({
  exact: column,
  caselessLike: column,
  caselessPg: { expr: column, op: 'ILIKE' },
  prefixPg: { expr: `lower(${column})`, op: 'LIKE' },
});

export const ignoresCase = (method: TextQueryMethod): boolean => method.endsWith('_IGNORE_CASE');

/** The term in the form the method compares: NFC, or NFC and case-folded. */
export const termForm = (value: string, method: TextQueryMethod): string => (ignoresCase(method) ? caselessForm(value) : exactForm(value));

// In a LIKE pattern the caller's %, _ and \ are plain characters.
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const LIKE_PATTERNS: Record<string, (term: string) => string> = {
  EQUALS: (t) => t,
  STARTS_WITH: (t) => `${t}%`,
  ENDS_WITH: (t) => `%${t}`,
  CONTAINS: (t) => `%${t}%`,
};

/**
 * ZITADEL's TextQueryMethod as an SQL condition; values are bound, never spliced into the SQL. Both the
 * column and the term are compared in the method's search form (storage/search-forms.ts); lengths are
 * counted in code points, as both engines' substr counts characters (not JavaScript's UTF-16 units).
 * SQLite's LIKE ignores ASCII case; on PostgreSQL the caseless side is lowered (or ILIKE'd) in the C
 * collation, which folds ASCII alone too.
 */
export function textCondition(engine: Engine, column: TextColumn, value: string, method: TextQueryMethod, args: unknown[]): string {
  const term = termForm(value, method);
  if (ignoresCase(method)) {
    args.push(LIKE_PATTERNS[method.slice('TEXT_QUERY_METHOD_'.length, -'_IGNORE_CASE'.length)]!(escapeLike(term)));
    if (engine === 'sqlite') return `${column.caselessLike} LIKE ? ESCAPE '\\'`;
    const pg = method === 'TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE' ? column.prefixPg : column.caselessPg;
    return `${pg.expr} ${pg.op} ? ESCAPE '\\'`;
  }
  const form = column.exact;
  switch (method) {
    case 'TEXT_QUERY_METHOD_EQUALS':
      args.push(term);
      return `${form} = ?`;
    case 'TEXT_QUERY_METHOD_STARTS_WITH':
      args.push([...term].length, term);
      return `substr(${form}, 1, ?) = ?`;
    case 'TEXT_QUERY_METHOD_ENDS_WITH':
      // substr(x, -0) is all of x, not its empty tail: every name ends with the empty string.
      if (term === '') return '1 = 1';
      args.push([...term].length, term);
      return engine === 'pg' ? `right(${form}, ?) = ?` : `substr(${form}, -?) = ?`;
    default: // TEXT_QUERY_METHOD_CONTAINS
      args.push(term);
      return engine === 'pg' ? `strpos(${form}, ?) > 0` : `instr(${form}, ?) > 0`;
  }
}
