import { ConfigError, loadConfig } from '../config.js';
import { backupDatabase } from '../storage/backup.js';
import { openDatabase } from '../storage/db.js';

// npm run backup -- <file>: copies the live database (TESSERA_DB) to <file> without stopping Tessera.
async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target || process.argv.length > 3) {
    process.stderr.write('usage: npm run backup -- <backup-file>\n');
    process.exit(2);
  }
  const config = loadConfig();
  // An existing database only; opening it also takes other users' access off an exposed one.
  const db = openDatabase(config.dbFile, { existing: true });
  try {
    const { file, pages } = await backupDatabase(db, target);
    const check = db.pragma('integrity_check', { simple: true });
    process.stdout.write(`Backed up ${config.dbFile} to ${file} (${pages} pages, source integrity: ${String(check)}).\n`);
  } finally {
    db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
