import type { Db } from './db.js';

const INSTALLED = Symbol('tessera.statementCache');

/** More distinct SQL texts than the server has; searches build a few variants each. */
const DEFAULT_MAX = 500;

type Statement = ReturnType<Db['prepare']>;

/**
 * Domain code prepares its SQL where it runs it (`db.prepare(sql).get(...)`), which reads well
 * but compiles the statement again on every call: about 5 µs, more than a primary-key read. This
 * makes `db.prepare` hand out the statement it compiled before for the same text, in the state a
 * fresh one has: pluck, expand, raw and safeIntegers off (callers set them after prepare, and
 * nothing in Tessera binds parameters permanently). A statement still busy with an iterator is
 * never shared: the caller gets a new one. The least recently used text goes once `max` are kept.
 */
export function cacheStatements(db: Db, max = DEFAULT_MAX): void {
  const tagged = db as Db & { [INSTALLED]?: true };
  if (tagged[INSTALLED]) return;
  tagged[INSTALLED] = true;
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Statement>();
  db.prepare = ((sql: string) => {
    const cached = cache.get(sql);
    if (cached && !cached.busy) {
      // Most recently used last, so the statements in use outlive a burst of one-off texts.
      cache.delete(sql);
      cache.set(sql, cached);
      if (cached.reader) cached.pluck(false).expand(false).raw(false);
      return cached.safeIntegers(false);
    }
    const fresh = prepare(sql);
    if (!cached) {
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(sql, fresh);
    }
    return fresh;
  }) as Db['prepare'];
}
