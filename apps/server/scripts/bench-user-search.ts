/**
 * Measures the console's service-user list query against a temp database with 100,000 service users.
 *
 *   cd apps/server && npx tsx scripts/bench-user-search.ts [users=100000] [runs=200]
 *
 * The query is exactly what the Service Users page sends: machine users, "contains, ignoring case" on
 * user name OR display name, first page of 20, newest first, with details.totalResult. Search terms
 * are a mix of what people type: nothing, one or two letters, common words, rare fragments, misses.
 * One display name in eight is in another script (German, Greek, Japanese, emoji, decomposed accents).
 *
 * A second table runs every TextQueryMethod the API accepts on the display name alone, with ASCII and
 * non-ASCII terms of one to seven characters.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ListUsersQuery } from '@tessera/contracts';
import { listUsersSchema } from '@tessera/contracts';
import { searchUsers } from '../src/domain/users/search.js';
import { openDatabase } from '../src/storage/db.js';
import { migrate } from '../src/storage/migrate.js';
import type { Sql } from '../src/storage/port.js';
import { storedForms } from '../src/storage/search-forms.js';
import { SqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';

const USERS = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 200);
/** The by-method table has 72 cells; a quarter of the runs each keeps it to a minute or two. */
const METHOD_RUNS = Math.max(20, Math.round(RUNS / 4));

const TEAMS = ['billing', 'search', 'payments', 'identity', 'platform', 'data', 'mobile', 'growth', 'infra', 'support'];
const ROLES = ['ci', 'deploy', 'backup', 'sync', 'report', 'import', 'export', 'monitor', 'cron', 'webhook'];
const WORDS = ['Nightly', 'Invoice', 'Ledger', 'Crawler', 'Mailer', 'Gateway', 'Scanner', 'Archiver', 'Indexer', 'Relay'];
/** Free-text display names as people write them; the last one arrives decomposed (NFD), as macOS input may. */
const SCRIPTS = ['Straße', 'ΟΔΟΣ Ἀθηνᾶ', '東京データ連携', '😀 Emoji', 'Ünïcödé'.normalize('NFD')];

function fill(dbFile: string): void {
  const db = openDatabase(dbFile);
  migrate(db);
  const created = new Date('2024-01-01T00:00:00Z').getTime();
  db.prepare(
    `INSERT INTO orgs (id, name, primary_domain, state, sequence, created_at, changed_at)
     VALUES ('1', 'Bench', 'bench.localhost', 'ORG_STATE_ACTIVE', 1, ?, ?)`,
  ).run(new Date(created).toISOString(), new Date(created).toISOString());
  const user = db.prepare(
    `INSERT INTO users (id, org_id, type, username, display_name, display_name_nfc, display_name_fold, description, state,
                        access_token_type, sequence, created_at, changed_at)
     VALUES (?, '1', 'machine', ?, ?, ?, ?, ?, 'USER_STATE_ACTIVE', 'ACCESS_TOKEN_TYPE_BEARER', ?, ?, ?)`,
  );
  const secret = db.prepare("INSERT INTO machine_secrets (id, user_id, hash, key_id, created_at, expires_at) VALUES (?, ?, ?, 0, ?, '9999-12-31T23:59:59Z')");
  const hash = Buffer.alloc(32, 7);
  db.transaction(() => {
    for (let i = 0; i < USERS; i++) {
      const at = new Date(created + i * 60_000).toISOString();
      const id = String(1_000_000 + i);
      const team = TEAMS[i % TEAMS.length]!;
      const role = ROLES[Math.floor(i / TEAMS.length) % ROLES.length]!;
      const word = i % 8 === 5 ? SCRIPTS[Math.floor(i / 8) % SCRIPTS.length]! : WORDS[(i * 7) % WORDS.length]!;
      const name = `${word} ${team} ${role} #${i}`;
      const forms = storedForms(name);
      user.run(id, `${team}-${role}-${i.toString(36)}`, name, forms.nfc, forms.fold, i % 3 ? '' : `runs ${role} for ${team}`, i + 2, at, at);
      if (i % 2) secret.run(`s${id}`, id, hash, at);
    }
  })();
  db.close();
}

/**
 * Runs a query `runs` times after one warm-up: the wall times in ms, sorted, the mean CPU time in ms
 * (which other load on the machine barely moves, unlike wall time) and the last total.
 */
async function time(db: Sql, q: ListUsersQuery, runs = RUNS): Promise<{ times: number[]; cpu: number; total: string }> {
  await searchUsers(db, '1', q); // warm the page cache and statement
  const times: number[] = [];
  let total = '';
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    total = (await searchUsers(db, '1', q)).details.totalResult;
    times.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  return { times: times.sort((a, b) => a - b), cpu: (used.user + used.system) / 1000 / runs, total };
}

function consoleQuery(term: string): ListUsersQuery {
  const method = 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE';
  return listUsersSchema.parse({
    query: { offset: 0, limit: 20 },
    queries: [
      { typeQuery: { type: 'TYPE_MACHINE' } },
      ...(term ? [{ orQuery: { queries: [{ userNameQuery: { userName: term, method } }, { displayNameQuery: { displayName: term, method } }] } }] : []),
    ],
  });
}

const TERMS = ['', 'b', 'IN', 'ng', 'billing', 'Ledger', 'deploy-', 'search-cron', 'zz9', '#4242', 'nomatch', 'PAY'];

const METHODS = [
  'TEXT_QUERY_METHOD_EQUALS',
  'TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE',
  'TEXT_QUERY_METHOD_STARTS_WITH',
  'TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE',
  'TEXT_QUERY_METHOD_CONTAINS',
  'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE',
  'TEXT_QUERY_METHOD_ENDS_WITH',
  'TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE',
];
const METHOD_TERMS = ['N', 'Relay', 'Nightly data', 'ß', 'STRASSE', 'ünï', '東京', '😀', 'ΟΔΟΣ ἀθηνᾶ'];

/** A display-name query with one method, or undefined where this build's API refuses the method. */
function methodQuery(term: string, method: string): ListUsersQuery | undefined {
  const parsed = listUsersSchema.safeParse({
    query: { offset: 0, limit: 20 },
    queries: [{ typeQuery: { type: 'TYPE_MACHINE' } }, { displayNameQuery: { displayName: term, method } }],
  });
  return parsed.success ? parsed.data : undefined;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-search-bench-'));
try {
  const file = path.join(dir, 'bench.db');
  const t = performance.now();
  fill(file);
  console.log(`filled ${USERS} service users in ${((performance.now() - t) / 1000).toFixed(1)} s, database ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);
  const db = new SqliteStorage(openDatabase(file));
  const all: number[] = [];
  let cpuSum = 0;
  const rows: string[] = [];
  for (const term of TERMS) {
    const { times, cpu, total } = await time(db, consoleQuery(term));
    all.push(...times);
    cpuSum += cpu;
    rows.push(
      `${JSON.stringify(term).padEnd(15)} total=${total.padStart(6)}  p50=${percentile(times, 50).toFixed(2)} ms  p95=${percentile(times, 95).toFixed(2)} ms  max=${times.at(-1)!.toFixed(2)} ms  cpu=${cpu.toFixed(2)} ms`,
    );
  }
  all.sort((a, b) => a - b);
  console.log(rows.join('\n'));
  console.log(
    `all terms: p50=${percentile(all, 50).toFixed(2)} ms  p95=${percentile(all, 95).toFixed(2)} ms  mean cpu=${(cpuSum / TERMS.length).toFixed(2)} ms  (target p95 < 20 ms)`,
  );
  const byMethod: number[] = [];
  let methodCpu = 0;
  let cells = 0;
  console.log('\ndisplay name, by method (p95 wall ms / mean cpu ms [total]; - where the API refuses the method)');
  console.log(`${'term'.padEnd(14)}${METHODS.map((m) => m.replace('TEXT_QUERY_METHOD_', '').replace('_IGNORE_CASE', '_IC').padStart(21)).join('')}`);
  for (const term of METHOD_TERMS) {
    const row: string[] = [];
    for (const method of METHODS) {
      const q = methodQuery(term, method);
      if (!q) {
        row.push('-'.padStart(21));
        continue;
      }
      const { times, cpu, total } = await time(db, q, METHOD_RUNS);
      byMethod.push(...times);
      methodCpu += cpu;
      cells++;
      row.push(`${percentile(times, 95).toFixed(1)}/${cpu.toFixed(1)} [${total}]`.padStart(21));
    }
    console.log(`${JSON.stringify(term).padEnd(14)}${row.join('')}`);
  }
  byMethod.sort((a, b) => a - b);
  console.log(
    `all methods: p50=${percentile(byMethod, 50).toFixed(2)} ms  p95=${percentile(byMethod, 95).toFixed(2)} ms  max=${byMethod.at(-1)!.toFixed(2)} ms  mean cpu=${(methodCpu / cells).toFixed(2)} ms`,
  );
  await db.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
