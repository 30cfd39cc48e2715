import fs from 'node:fs';
import type { Db } from './db.js';
import { registerSearchFormFunctions } from './search-forms.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

interface Migration {
  version: number;
  name: string;
  sql: string;
}

function loadMigrations(): Migration[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f.slice(4, -4),
      sql: fs.readFileSync(new URL(f, MIGRATIONS_DIR), 'utf8'),
    }));
}

/**
 * Applies every numbered migration not yet recorded, each in its own transaction. Forward only.
 * `before` stops short of a version: upgrade tests build a database as an older release left it.
 */
export function migrate(db: Db, { before = Infinity }: { before?: number } = {}): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[],
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  // Backfills of computed columns call these (004 fills the search forms of existing names).
  registerSearchFormFunctions(db);
  const ran: number[] = [];
  for (const m of loadMigrations()) {
    if (applied.has(m.version) || m.version >= before) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    }).immediate();
    ran.push(m.version);
  }
  return ran;
}
