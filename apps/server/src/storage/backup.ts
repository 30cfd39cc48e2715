import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './db.js';

/**
 * Online backup through SQLite's backup API: a consistent snapshot while Tessera keeps serving.
 * Refuses to overwrite an existing file, so a typo cannot destroy an older backup.
 */
export async function backupDatabase(db: Db, target: string): Promise<{ file: string; pages: number }> {
  const file = path.resolve(target);
  if (fs.existsSync(file)) throw new Error(`${file} already exists; choose a new file name`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const { totalPages } = await db.backup(file);
  return { file, pages: totalPages };
}
