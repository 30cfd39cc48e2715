import fs from 'node:fs';
import type { Db } from './db.js';
import type { Engine } from './port.js';
import { registerSearchFormFunctions } from './search-forms.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export interface Migration {
  version: number;
  /** Recorded in schema_migrations; the same for every engine's file of a version. */
  name: string;
  file: string;
  sql: string;
}

/**
 * `NNN_name.sql` runs on both engines; `NNN_name.sqlite.sql` or `NNN_name.pg.sql` on that engine only,
 * in place of a shared file of the same version if there is one (Hydra's naming). A version with a
 * file for the other engine only is skipped, and never recorded, on this one.
 */
const FILE_NAME = /^(\d{3})_([a-z0-9_]+)(?:\.(sqlite|pg))?\.sql$/;

function migrationFiles(): { version: number; name: string; engine: Engine | undefined; file: string }[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .sort()
    .flatMap((file) => {
      const m = FILE_NAME.exec(file);
      return m ? [{ version: Number(m[1]), name: m[2]!, engine: m[3] as Engine | undefined, file }] : [];
    });
}

/** The migrations engine runs, in order of version. */
export function loadMigrations(engine: Engine): Migration[] {
  const byVersion = new Map<number, ReturnType<typeof migrationFiles>>();
  for (const f of migrationFiles()) byVersion.set(f.version, [...(byVersion.get(f.version) ?? []), f]);
  const chosen: Migration[] = [];
  for (const [version, files] of byVersion) {
    if (new Set(files.map((f) => f.name)).size > 1 || new Set(files.map((f) => f.engine)).size < files.length) {
      throw new Error(`migrations: version ${version} has conflicting files (${files.map((f) => f.file).join(', ')})`);
    }
    const file = files.find((f) => f.engine === engine) ?? files.find((f) => f.engine === undefined);
    if (file) chosen.push({ version, name: file.name, file: file.file, sql: fs.readFileSync(new URL(file.file, MIGRATIONS_DIR), 'utf8') });
  }
  return chosen.sort((a, b) => a.version - b.version);
}

/**
 * Refuses a database that a newer Tessera has migrated: its schema may no longer be what this
 * version's statements expect, and migrations only go forward.
 */
export function assertNotNewer(applied: Iterable<number>): void {
  const newest = Math.max(0, ...migrationFiles().map((f) => f.version));
  const ahead = [...applied].filter((v) => v > newest);
  if (ahead.length) {
    throw new Error(
      `the database has migration ${Math.max(...ahead)}, newer than this Tessera knows (up to ${newest}): ` +
        'run the Tessera version that migrated it, or a newer one',
    );
  }
}

/**
 * Applies every numbered SQLite migration not yet recorded, each in its own IMMEDIATE transaction.
 * Forward only. The recorded set is read again under each transaction's write lock, so two
 * processes starting together each apply a migration at most once between them.
 * `before` stops short of a version: upgrade tests build a database as an older release left it.
 */
export function migrate(db: Db, { before = Infinity }: { before?: number } = {}): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  // Backfills of computed columns call these (004 fills the search forms of existing names).
  registerSearchFormFunctions(db);
  const ran: number[] = [];
  for (const m of loadMigrations('sqlite')) {
    if (applied.has(m.version) || m.version >= before) continue;
    const done = db
      .transaction(() => {
        if (isApplied.get(m.version)) return false;
        db.exec(m.sql);
        record.run(m.version, m.name, new Date().toISOString());
        return true;
      })
      .immediate();
    if (done) ran.push(m.version);
  }
  return ran;
}
