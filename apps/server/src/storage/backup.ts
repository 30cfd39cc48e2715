import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './db.js';
import { createPrivateFile, makePrivateFolder } from './private-files.js';

/**
 * Online backup through SQLite's backup API: a consistent snapshot while Tessera keeps serving.
 * Refuses to overwrite an existing file, so a typo cannot destroy an older backup. The copy holds
 * the instance keys like the database itself, so it is created 0600 (a new folder 0700) before
 * SQLite writes a byte into it.
 */
export async function backupDatabase(db: Db, target: string): Promise<{ file: string; pages: number }> {
  const file = path.resolve(target);
  makePrivateFolder(path.dirname(file));
  if (!createPrivateFile(file)) throw new Error(`${file} already exists; choose a new file name`);
  try {
    const { totalPages } = await db.backup(file);
    return { file, pages: totalPages };
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
}
