import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/db.js';
import { cacheStatements } from '../src/storage/statement-cache.js';

function db() {
  const d = openDatabase(':memory:');
  d.exec('CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, \'one\'), (2, \'two\')');
  return d;
}

describe('the statement cache behind db.prepare', () => {
  it('hands out the same statement for the same text, as a fresh one would behave', () => {
    const d = db();
    cacheStatements(d);
    const first = d.prepare('SELECT a, b FROM t ORDER BY a');
    expect(first.pluck().get()).toBe(1);
    const again = d.prepare('SELECT a, b FROM t ORDER BY a');
    expect(again).toBe(first);
    // The last caller's pluck() does not leak into the next caller's rows.
    expect(again.get()).toEqual({ a: 1, b: 'one' });
    expect(d.prepare('SELECT a, b FROM t ORDER BY a').raw().all()).toEqual([[1, 'one'], [2, 'two']]);
    expect(d.prepare('SELECT a, b FROM t ORDER BY a').all()).toEqual([{ a: 1, b: 'one' }, { a: 2, b: 'two' }]);
    expect(d.prepare('SELECT a FROM t WHERE a = ?').safeIntegers().get(2)).toEqual({ a: 2n });
    expect(d.prepare('SELECT a FROM t WHERE a = ?').get(2)).toEqual({ a: 2 });
    d.close();
  });

  it('runs writes again and again, and never shares a statement that is still iterating', () => {
    const d = db();
    cacheStatements(d);
    for (let i = 3; i <= 5; i++) d.prepare('INSERT INTO t VALUES (?, ?)').run(i, String(i));
    expect(d.prepare('SELECT count(*) FROM t').pluck().get()).toBe(5);
    const seen: number[] = [];
    for (const row of d.prepare('SELECT a FROM t ORDER BY a').iterate() as Iterable<{ a: number }>) {
      // The same text while the outer statement is busy: a new statement, not an error.
      seen.push((d.prepare('SELECT a FROM t ORDER BY a').get() as { a: number }).a + row.a);
    }
    expect(seen).toEqual([2, 3, 4, 5, 6]);
    d.close();
  });

  it('keeps at most max texts, dropping the oldest, and is installed once', () => {
    const d = db();
    cacheStatements(d, 2);
    cacheStatements(d, 2);
    const a = d.prepare('SELECT 1');
    const b = d.prepare('SELECT 2');
    expect(d.prepare('SELECT 1')).toBe(a);
    d.prepare('SELECT 3');
    expect(d.prepare('SELECT 2')).not.toBe(b);
    expect(d.prepare('SELECT 2').pluck().get()).toBe(2);
    d.close();
  });
});
