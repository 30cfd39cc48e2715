import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DataVersion, VersionedCache } from '../src/storage/data-version.js';
import { openDatabase, type Db } from '../src/storage/db.js';

const dirs: string[] = [];
function fileDb(): { db: Db; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-dv-'));
  dirs.push(dir);
  const file = path.join(dir, 'x.db');
  const db = openDatabase(file);
  db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, v TEXT); INSERT INTO t VALUES ('a', 'one')");
  return { db, file };
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DataVersion', () => {
  it('moves with every row written through the connection, even one rolled back', () => {
    const { db } = fileDb();
    const v = new DataVersion(db);
    const v0 = v.current();
    expect(v.current()).toBe(v0);
    db.prepare('SELECT v FROM t').all();
    expect(v.current()).toBe(v0);
    db.prepare("UPDATE t SET v = 'two' WHERE id = 'a'").run();
    const v1 = v.current();
    expect(v1).not.toBe(v0);
    expect(() =>
      db.transaction(() => {
        db.prepare("INSERT INTO t VALUES ('b', 'x')").run();
        throw new Error('no');
      })(),
    ).toThrow('no');
    expect(v.current()).not.toBe(v1);
    db.close();
  });

  it("notices another connection's commit within 100 ms", async () => {
    const { db, file } = fileDb();
    const v = new DataVersion(db);
    const v0 = v.current();
    const other = new Database(file);
    other.prepare("UPDATE t SET v = 'other' WHERE id = 'a'").run();
    other.close();
    await sleep(120);
    expect(v.current()).not.toBe(v0);
    db.close();
  });
});

describe('VersionedCache', () => {
  it('answers from memory until the database changes, then reads again', () => {
    const { db } = fileDb();
    const cache = new VersionedCache<string, string>(new DataVersion(db), 10);
    let reads = 0;
    const load = (id: string) => {
      reads++;
      return db.prepare('SELECT v FROM t WHERE id = ?').pluck().get(id) as string | undefined;
    };
    expect(cache.get('a', load)).toBe('one');
    expect(cache.get('a', load)).toBe('one');
    expect(reads).toBe(1);
    db.prepare("UPDATE t SET v = 'two' WHERE id = 'a'").run();
    expect(cache.get('a', load)).toBe('two');
    expect(reads).toBe(2);
    // Unknown keys are read every time and never kept.
    expect(cache.get('zz', load)).toBeUndefined();
    expect(cache.get('zz', load)).toBeUndefined();
    expect(reads).toBe(4);
    db.close();
  });

  it('keeps nothing read inside a transaction, and at most max entries', () => {
    const { db } = fileDb();
    const cache = new VersionedCache<string, string>(new DataVersion(db), 2);
    let reads = 0;
    const load = (id: string) => {
      reads++;
      return `value of ${id}`;
    };
    db.transaction(() => {
      cache.get('a', load);
      cache.get('a', load);
    })();
    expect(reads).toBe(2);
    for (const k of ['a', 'b', 'c', 'a']) cache.get(k, load);
    // a, b kept; c pushed a out; a read again.
    expect(reads).toBe(2 + 4);
    cache.get('c', load);
    expect(reads).toBe(6);
    db.close();
  });
});
