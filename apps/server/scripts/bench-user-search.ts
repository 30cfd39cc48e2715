/**
 * Measures the console's service-user list query against a temp database with 100,000 service users.
 *
 *   cd apps/server && npx tsx scripts/bench-user-search.ts [users=100000] [runs=200]
 *
 * The query is exactly what the Service Users page sends: machine users, "contains, ignoring case" on
 * user name OR display name, first page of 20, newest first, with details.totalResult. Search terms
 * are a mix of what people type: nothing, one or two letters, common words, rare fragments, misses.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ListUsersQuery } from '@tessera/contracts';
import { listUsersSchema } from '@tessera/contracts';
import { searchUsers } from '../src/domain/users/search.js';
import { openDatabase } from '../src/storage/db.js';
import { migrate } from '../src/storage/migrate.js';

const USERS = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 200);

const TEAMS = ['billing', 'search', 'payments', 'identity', 'platform', 'data', 'mobile', 'growth', 'infra', 'support'];
const ROLES = ['ci', 'deploy', 'backup', 'sync', 'report', 'import', 'export', 'monitor', 'cron', 'webhook'];
const WORDS = ['Nightly', 'Invoice', 'Ledger', 'Crawler', 'Mailer', 'Gateway', 'Scanner', 'Archiver', 'Indexer', 'Relay'];

function fill(dbFile: string): void {
  const db = openDatabase(dbFile);
  migrate(db);
  const created = new Date('2024-01-01T00:00:00Z').getTime();
  db.prepare(
    `INSERT INTO orgs (id, name, primary_domain, state, sequence, created_at, changed_at)
     VALUES ('1', 'Bench', 'bench.localhost', 'ORG_STATE_ACTIVE', 1, ?, ?)`,
  ).run(new Date(created).toISOString(), new Date(created).toISOString());
  const user = db.prepare(
    `INSERT INTO users (id, org_id, type, username, display_name, description, state, access_token_type, sequence, created_at, changed_at)
     VALUES (?, '1', 'machine', ?, ?, ?, 'USER_STATE_ACTIVE', 'ACCESS_TOKEN_TYPE_BEARER', ?, ?, ?)`,
  );
  const secret = db.prepare('INSERT INTO machine_secrets (user_id, hash, created_at) VALUES (?, ?, ?)');
  const hash = Buffer.alloc(32, 7);
  db.transaction(() => {
    for (let i = 0; i < USERS; i++) {
      const at = new Date(created + i * 60_000).toISOString();
      const id = String(1_000_000 + i);
      const team = TEAMS[i % TEAMS.length]!;
      const role = ROLES[Math.floor(i / TEAMS.length) % ROLES.length]!;
      const word = WORDS[(i * 7) % WORDS.length]!;
      user.run(id, `${team}-${role}-${i.toString(36)}`, `${word} ${team} ${role} #${i}`, i % 3 ? '' : `runs ${role} for ${team}`, i + 2, at, at);
      if (i % 2) secret.run(id, hash, at);
    }
  })();
  db.close();
}

function consoleQuery(term: string): ListUsersQuery {
  const method = 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE';
  return listUsersSchema.parse({
    query: { offset: 0, limit: 20 },
    queries: [
      { typeQuery: { type: 'TYPE_MACHINE' } },
      ...(term
        ? [{ orQuery: { queries: [{ userNameQuery: { userName: term, method } }, { displayNameQuery: { displayName: term, method } }] } }]
        : []),
    ],
  });
}

const TERMS = ['', 'b', 'IN', 'ng', 'billing', 'Ledger', 'deploy-', 'search-cron', 'zz9', '#4242', 'nomatch', 'PAY'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-search-bench-'));
try {
  const file = path.join(dir, 'bench.db');
  let t = performance.now();
  fill(file);
  console.log(`filled ${USERS} service users in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const db = openDatabase(file);
  const all: number[] = [];
  const rows: string[] = [];
  for (const term of TERMS) {
    const q = consoleQuery(term);
    searchUsers(db, '1', q); // warm the page cache and statement
    const times: number[] = [];
    let total = '';
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      total = searchUsers(db, '1', q).details.totalResult;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    rows.push(`${JSON.stringify(term).padEnd(15)} total=${total.padStart(6)}  p50=${percentile(times, 50).toFixed(2)} ms  p95=${percentile(times, 95).toFixed(2)} ms  max=${times.at(-1)!.toFixed(2)} ms`);
  }
  all.sort((a, b) => a - b);
  console.log(rows.join('\n'));
  console.log(`all terms: p50=${percentile(all, 50).toFixed(2)} ms  p95=${percentile(all, 95).toFixed(2)} ms  (target p95 < 20 ms)`);
  db.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
