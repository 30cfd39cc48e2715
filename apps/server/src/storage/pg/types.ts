import pg from 'pg';

// Type OIDs (PostgreSQL's pg_type.dat).
const BOOL = 16;
const INT8 = 20;
const NUMERIC = 1700;

/** A BIGINT or numeric as a JavaScript number, refusing one that would not survive the conversion. */
function toNumber(text: string): number {
  const n = Number(text);
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) throw new RangeError(`${text} does not fit a JavaScript number`);
  return n;
}

/**
 * How this pool reads values, so a row looks as it does on SQLite: BIGINT columns and count(*)
 * (int8), and sum() or other numeric results, come back as numbers, not strings; booleans (EXISTS,
 * a comparison in a select list) as 1 or 0. BYTEA is already a Buffer. Set per pool, never on the
 * global pg.types, so other users of pg in the process are left alone.
 */
export function sqliteLikeTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8, 'text', toNumber);
  types.setTypeParser(NUMERIC, 'text', toNumber);
  types.setTypeParser(BOOL, 'text', (text: string) => (text === 't' ? 1 : 0));
  return types;
}
