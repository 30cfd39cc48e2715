import { loadConfig } from '../config.js';
import { backupDatabase } from '../storage/backup.js';
import { openDatabase } from '../storage/db.js';
import type { Command } from './command.js';

/**
 * Copies the live SQLite database to a new file without stopping Tessera (SQLite's online backup),
 * then checks the source's integrity. PostgreSQL has its own tools, which know its replication and
 * point-in-time recovery: the command says so rather than make a copy that is not a backup there.
 */
export const backupCommand: Command = {
  name: 'backup',
  args: ['<backup-file>'],
  summary: 'copy the SQLite database (TESSERA_DB) to a new file while Tessera keeps serving; never overwrites',
  async run([target], env) {
    const config = loadConfig(env);
    if (config.databaseUrl) {
      throw new Error("backup copies a SQLite database; for PostgreSQL (TESSERA_DATABASE_URL) use pg_dump or your provider's backups");
    }
    // An existing database only; opening it also takes other users' access off an exposed one.
    const db = openDatabase(config.dbFile, { existing: true });
    try {
      const { file, pages } = await backupDatabase(db, target!);
      const check = db.pragma('integrity_check', { simple: true });
      return `Backed up ${config.dbFile} to ${file} (${pages} pages, source integrity: ${String(check)}).\n`;
    } finally {
      db.close();
    }
  },
};
