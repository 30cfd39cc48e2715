import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { openDatabase, type OpenOptions } from './db.js';
import { migrate } from './migrate.js';
import type { Storage } from './port.js';
import { SqliteStorage } from './sqlite/sqlite-storage.js';

/**
 * The configured engine, migrated: PostgreSQL at TESSERA_DATABASE_URL when it is set (migrations
 * run under an advisory lock, so nodes starting together migrate once), else SQLite at TESSERA_DB.
 * `existing`: only a SQLite file Tessera already made (the CLI), never a new one.
 */
export async function openStorage(config: Config, opts: { logger?: Logger; existing?: boolean; migrate?: boolean } = {}): Promise<Storage> {
  if (config.databaseUrl) {
    // Loaded only here: a SQLite node never holds the PostgreSQL driver (about 4 MB of RSS per process).
    const [{ migratePg }, { openPgStorage }] = await Promise.all([import('./pg/migrate-pg.js'), import('./pg/pg-storage.js')]);
    if (opts.migrate ?? true) await migratePg(config.databaseUrl);
    return openPgStorage(config.databaseUrl, { ...(opts.logger ? { logger: opts.logger } : {}) });
  }
  const notice: OpenOptions['onNotice'] = opts.logger ? (message) => opts.logger!.warn(message) : undefined;
  const db = openDatabase(config.dbFile, { existing: opts.existing, ...(notice ? { onNotice: notice } : {}) });
  if (opts.migrate ?? true) migrate(db);
  return new SqliteStorage(db);
}
