import type { TextQueryMethod } from '@tessera/contracts';

/** ZITADEL's TextQueryMethod as an SQL condition; values are bound, never spliced into the SQL. */
// LIKE wildcards typed by a caller are plain characters.
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function textCondition(column: string, value: string, method: TextQueryMethod, args: unknown[]): string {
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
