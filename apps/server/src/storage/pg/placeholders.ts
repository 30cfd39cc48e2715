/**
 * Domain SQL is written once with SQLite's `?` placeholders; PostgreSQL numbers them ($1, $2, ...).
 * A `?` inside a string literal ('it''s?'), a quoted identifier ("a?") or a comment is text, not a
 * placeholder. Dollar-quoted bodies and E'' escapes are not in the subset both engines share, so
 * they are not looked for.
 */
export function toPositional(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      // A doubled quote inside stays inside: the scan resumes at the next quote and goes on.
      let end = sql.indexOf(c, i + 1);
      while (end !== -1 && sql[end + 1] === c) end = sql.indexOf(c, end + 2);
      end = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '?') {
      out += `$${++n}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export interface Statement {
  /** The text with numbered placeholders. */
  text: string;
  /** Set once the text is hot: the server then parses and plans it once per connection. */
  name?: string;
}

/**
 * The rewritten text of each distinct statement, computed once, and a name for the hot ones.
 * Bounded, since statements built at run time (a search's ORed conditions) vary; the oldest entry
 * goes first. A name is never given to two texts (pg refuses that on a connection that prepared
 * the first), and at most maxNamed are ever given, since each stays prepared on every pooled
 * connection until it closes.
 */
export class StatementCache {
  readonly #entries = new Map<string, { text: string; uses: number; name?: string }>();
  readonly #names = new Map<string, string>();

  constructor(private readonly options: { max?: number; nameAfter?: number; maxNamed?: number } = {}) {}

  get(sql: string): Statement {
    let entry = this.#entries.get(sql);
    if (entry === undefined) {
      const max = this.options.max ?? 1000;
      if (this.#entries.size >= max) this.#entries.delete(this.#entries.keys().next().value!);
      entry = { text: toPositional(sql), uses: 0, name: this.#names.get(sql) };
      this.#entries.set(sql, entry);
    }
    if (entry.name === undefined && ++entry.uses >= (this.options.nameAfter ?? 2) && this.#names.size < (this.options.maxNamed ?? 200)) {
      entry.name = `tessera_${this.#names.size + 1}`;
      this.#names.set(sql, entry.name);
    }
    return entry;
  }

  get size(): number {
    return this.#entries.size;
  }
}
