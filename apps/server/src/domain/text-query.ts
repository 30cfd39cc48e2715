import type { TextQueryMethod } from '@tessera/contracts';
import { caselessForm, exactForm } from '../storage/search-forms.js';

/** SQL expressions for a searchable column's two search forms (storage/search-forms.ts). */
export interface TextColumn {
  exact: string;
  caseless: string;
}

/** A free-text column with stored forms beside it (`<column>_nfc`, `<column>_fold`, NULL where the column serves). */
export const freeTextColumn = (column: string): TextColumn => ({
  exact: `coalesce(${column}_nfc, ${column})`,
  caseless: `coalesce(${column}_fold, lower(${column}))`,
});

/** A column that only ever holds ASCII (user names, domains): already NFC, and lower() is its full case fold. */
export const asciiColumn = (column: string): TextColumn => ({ exact: column, caseless: `lower(${column})` });

export const ignoresCase = (method: TextQueryMethod): boolean => method.endsWith('_IGNORE_CASE');

/** The term in the form the method compares: NFC, or NFC and case-folded. */
export const termForm = (value: string, method: TextQueryMethod): string => (ignoresCase(method) ? caselessForm(value) : exactForm(value));

/**
 * ZITADEL's TextQueryMethod as an SQL condition; values are bound, never spliced into the SQL. Lengths
 * are counted in code points, as SQLite's substr counts characters (not JavaScript's UTF-16 units).
 */
export function textCondition(column: TextColumn, value: string, method: TextQueryMethod, args: unknown[]): string {
  const form = ignoresCase(method) ? column.caseless : column.exact;
  const term = termForm(value, method);
  switch (method) {
    case 'TEXT_QUERY_METHOD_EQUALS':
    case 'TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE':
      args.push(term);
      return `${form} = ?`;
    case 'TEXT_QUERY_METHOD_STARTS_WITH':
    case 'TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE':
      args.push([...term].length, term);
      return `substr(${form}, 1, ?) = ?`;
    case 'TEXT_QUERY_METHOD_ENDS_WITH':
    case 'TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE':
      // substr(x, -0) is all of x, not its empty tail: every name ends with the empty string.
      if (term === '') return '1';
      args.push([...term].length, term);
      return `substr(${form}, -?) = ?`;
    case 'TEXT_QUERY_METHOD_CONTAINS':
    case 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE':
      args.push(term);
      return `instr(${form}, ?) > 0`;
  }
}
