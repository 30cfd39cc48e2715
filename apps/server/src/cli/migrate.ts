import { loadConfig } from '../config.js';
import { openDatabase } from '../storage/db.js';
import { migrate } from '../storage/migrate.js';
import { migratePg } from '../storage/pg/migrate-pg.js';
import type { Command } from './command.js';

/**
 * Applies the migrations a database lacks, as a start would, without starting: a deployment runs it
 * once before it rolls out new nodes. On PostgreSQL it takes the same advisory lock as the nodes.
 */
export const migrateCommand: Command = {
  name: 'migrate',
  args: [],
  summary: "bring the database (TESSERA_DATABASE_URL or TESSERA_DB) to this release's schema; prints what it applied",
  async run(_args, env) {
    const config = loadConfig(env);
    let applied: number[];
    let where: string;
    if (config.databaseUrl) {
      applied = await migratePg(config.databaseUrl);
      where = 'the PostgreSQL database';
    } else {
      const db = openDatabase(config.dbFile);
      try {
        applied = migrate(db);
      } finally {
        db.close();
      }
      where = config.dbFile;
    }
    return applied.length ? `Applied migration${applied.length > 1 ? 's' : ''} ${applied.join(', ')} to ${where}.\n` : `${where} is up to date.\n`;
  },
};
