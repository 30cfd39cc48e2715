import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { openDatabase, type OpenOptions } from './db.js';
import { migrate } from './migrate.js';
import type { Storage } from './port.js';
import { SqliteStorage } from './sqlite/sqlite-storage.js';

/**
 * The configured engine, migrated: SQLite at TESSERA_DB by default. `existing`: only a database
 * Tessera already made (the CLI), never a new one.
 */
export async function openStorage(config: Config, opts: { logger?: Logger; existing?: boolean; migrate?: boolean } = {}): Promise<Storage> {
  const notice: OpenOptions['onNotice'] = opts.logger ? (message) => opts.logger!.warn(message) : undefined;
  const db = openDatabase(config.dbFile, { existing: opts.existing, ...(notice ? { onNotice: notice } : {}) });
  if (opts.migrate ?? true) migrate(db);
  return new SqliteStorage(db);
}
