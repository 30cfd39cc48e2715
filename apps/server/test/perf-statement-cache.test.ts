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
    // The last caller's pluck() does not leak into the next caller's rows.
    expect(d.prepare('SELECT a, b FROM t ORDER BY a').get()).toEqual({ a: 1, b: 'one' });
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

  it('compiles each text once, keeping at most max texts and dropping the least recently used', () => {
    const d = db();
    const compiled: string[] = [];
    const original = d.prepare.bind(d);
    d.prepare = ((sql: string) => {
      compiled.push(sql);
      return original(sql);
    }) as typeof d.prepare;
    cacheStatements(d, 2);
    cacheStatements(d, 2);
    for (const sql of ['SELECT 1', 'SELECT 2', 'SELECT 1', 'SELECT 3', 'SELECT 1', 'SELECT 2']) {
      expect(d.prepare(sql).pluck().get()).toBe(Number(sql.slice(-1)));
    }
    // SELECT 2 was the least recently used when SELECT 3 came, so it alone was compiled twice.
    expect(compiled).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3', 'SELECT 2']);
    d.close();
  });
});

describe('statements held for the life of the app', () => {
  it('keep their own modes whoever prepares the same text later', () => {
    const d = db();
    cacheStatements(d);
    const held = d.prepare('SELECT b FROM t WHERE a = ?').pluck();
    expect(held.get(1)).toBe('one');
    // Someone else prepares the same text without pluck, and another with raw.
    expect(d.prepare('SELECT b FROM t WHERE a = ?').get(1)).toEqual({ b: 'one' });
    expect(d.prepare('SELECT b FROM t WHERE a = ?').raw().get(2)).toEqual(['two']);
    expect(held.get(2)).toBe('two');
    expect(() => d.prepare('INSERT INTO t VALUES (?, ?)').pluck()).toThrow(TypeError);
    const bound = d.prepare('SELECT b FROM t WHERE a = ?').pluck().bind(2);
    expect(bound.get()).toBe('two');
    expect(held.get(1)).toBe('one');
    d.close();
  });
});
