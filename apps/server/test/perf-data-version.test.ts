import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { VersionedCache } from '../src/storage/data-version.js';
import { openDatabase } from '../src/storage/db.js';
import type { ChangeVersion } from '../src/storage/port.js';
import { SqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';

const dirs: string[] = [];
function fileStorage(): { storage: SqliteStorage; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-dv-'));
  dirs.push(dir);
  const file = path.join(dir, 'x.db');
  const db = openDatabase(file);
  db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, v TEXT); INSERT INTO t VALUES ('a', 'one')");
  return { storage: new SqliteStorage(db), file };
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SQLite change version', () => {
  it('moves at once with every command through the storage, even one rolled back', async () => {
    const { storage } = fileStorage();
    const v0 = storage.version.current();
    await storage.all('SELECT v FROM t');
    expect(storage.version.current()).toBe(v0);
    await storage.run("UPDATE t SET v = 'two' WHERE id = 'a'");
    const v1 = storage.version.current();
    expect(v1).not.toBe(v0);
    await expect(
      storage.command(async (tx) => {
        await tx.run("INSERT INTO t VALUES ('b', 'x')");
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(storage.version.current()).not.toBe(v1);
    expect(await storage.one("SELECT 1 AS x FROM t WHERE id = 'b'")).toBeUndefined();
    await storage.close();
  });

  it("notices another process's commit within 100 ms", async () => {
    const { storage, file } = fileStorage();
    const v0 = storage.version.current();
    const other = new Database(file);
    other.prepare("UPDATE t SET v = 'other' WHERE id = 'a'").run();
    other.close();
    await sleep(120);
    expect(storage.version.current()).not.toBe(v0);
    await storage.close();
  });

  it('never lets a read see what an open command may still roll back', async () => {
    const { storage } = fileStorage();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const command = storage.command(async (tx) => {
      await tx.run("UPDATE t SET v = 'uncommitted' WHERE id = 'a'");
      await held;
      throw new Error('rolled back');
    });
    await sleep(10);
    expect(await storage.one("SELECT v FROM t WHERE id = 'a'")).toEqual({ v: 'one' });
    release();
    await expect(command).rejects.toThrow('rolled back');
    expect(await storage.one("SELECT v FROM t WHERE id = 'a'")).toEqual({ v: 'one' });
    await storage.close();
  });

  it('runs commands one at a time, in order', async () => {
    const { storage } = fileStorage();
    await storage.run('CREATE TABLE n (i INTEGER)');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        storage.command(async (tx) => {
          const row = await tx.one<{ c: number }>('SELECT count(*) AS c FROM n');
          await sleep(1);
          await tx.run('INSERT INTO n VALUES (?)', [row!.c + i * 0]);
        }),
      ),
    );
    const rows = await storage.all<{ i: number }>('SELECT i FROM n ORDER BY rowid');
    expect(rows.map((r) => r.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await storage.close();
  });
});

describe('VersionedCache', () => {
  it('answers from memory until the database changes, then reads again', async () => {
    const { storage } = fileStorage();
    const cache = new VersionedCache<string, string>(storage.version, 10);
    let reads = 0;
    const load = async (id: string) => {
      reads++;
      return (await storage.one<{ v: string }>('SELECT v FROM t WHERE id = ?', [id]))?.v;
    };
    expect(await cache.get('a', load)).toBe('one');
    expect(await cache.get('a', load)).toBe('one');
    expect(reads).toBe(1);
    await storage.run("UPDATE t SET v = 'two' WHERE id = 'a'");
    expect(await cache.get('a', load)).toBe('two');
    expect(reads).toBe(2);
    // Unknown keys are read every time and never kept.
    expect(await cache.get('zz', load)).toBeUndefined();
    expect(await cache.get('zz', load)).toBeUndefined();
    expect(reads).toBe(4);
    await storage.close();
  });

  it('keeps nothing loaded while the version moved, and at most max entries', async () => {
    let version = 0;
    const moving: ChangeVersion = { current: () => version };
    const cache = new VersionedCache<string, string>(moving, 2);
    let reads = 0;
    const load = async (id: string) => {
      reads++;
      return `value of ${id}`;
    };
    await cache.get('a', async (id) => {
      version++; // a change committed while this was read
      return load(id);
    });
    await cache.get('a', load);
    expect(reads).toBe(2);
    for (const k of ['b', 'c', 'a']) await cache.get(k, load);
    // a kept, b then c pushed a out; a read again.
    expect(reads).toBe(2 + 3);
    await cache.get('c', load);
    expect(reads).toBe(5);
  });
});
