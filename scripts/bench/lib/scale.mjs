// --scale N: the token endpoint with 10 and with N more service users, on SQLite or PostgreSQL; the
// management search the console sends at N users (filters, sorts, a far page); the database's size per
// user and its search index; the database growth over `tokens` tokens; the server's RSS; and the console
// itself in Chromium (lib/console-check.mjs).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startPostgres } from '../../throwaway-postgres.mjs';
import { consoleCheck } from './console-check.mjs';
import { issue, measure, sequentialLatency } from './load.mjs';
import { peakRssMb, rssMb } from './processes.mjs';
import { ROOT, fetchToken, provisionClient, signIn, startTessera, tokenRequest } from './tessera.mjs';

const requireServer = createRequire(path.join(ROOT, 'apps/server/package.json'));

/** Users per transaction, and (PostgreSQL) transactions under way at once on their own connections. */
const BATCH = { sqlite: 5000, pg: 500 };
const CONCURRENCY = { sqlite: 1, pg: 6 };
/** Every DEACTIVATE_EVERY-th inserted user is deactivated, so the state filter has something to leave out. */
const DEACTIVATE_EVERY = 100;
/** A series of sequential searches stops early once it has run this long (then its n says how many ran). */
const SERIES_BUDGET_MS = 30_000;
const SEQUENTIAL = 200;

/** The digits of user number i: zero-padded to the width of the largest, at least 6. */
export const userNumber = (i, users) => String(i).padStart(Math.max(6, String(users - 1).length), '0');

/**
 * A Storage whose command() joins the transaction `tx` already holds instead of opening its own, so
 * many domain commands commit as one transaction. Each still runs exactly its own statements (rows,
 * search forms, events), as it does when the API calls it.
 */
function joined(storage, tx) {
  return {
    engine: tx.engine,
    one: (text, params) => tx.one(text, params),
    all: (text, params) => tx.all(text, params),
    run: (text, params) => tx.run(text, params),
    command: (fn) => fn(tx),
    version: storage.version,
    ping: () => storage.ping(),
    close: async () => {},
    onFailure: () => {},
  };
}

/**
 * `count` service users `scale-<number>` ("Scale user <number>") through the server's own commands,
 * addMachineUser with the input as the API parses it, and deactivateUser for every DEACTIVATE_EVERY-th,
 * as the administrator: the rows, search forms and events the API would have written. Batched many
 * commands to a transaction (the SQLite writer takes one transaction at a time), and on PostgreSQL
 * several transactions at once on the pool's connections.
 */
async function addUsers({ engine, dbFile, databaseUrl, count, total, log }) {
  const dist = (p) => import(path.join(ROOT, 'apps/server/dist', p));
  const { addMachineUser } = await dist('domain/users/commands.js');
  const { deactivateUser } = await dist('domain/users/lifecycle.js');
  const { addMachineUserSchema } = await import(requireServer.resolve('@tessera/contracts'));
  const concurrency = CONCURRENCY[engine];
  let storage;
  if (engine === 'pg') {
    const { openPgStorage } = await dist('storage/pg/pg-storage.js');
    // A transaction of BATCH commands runs for seconds: longer than the server's 5 s limit on one statement
    // when it waits for another's row lock (user_counts, when two connections share a slot).
    storage = await openPgStorage(databaseUrl, { poolSize: concurrency, applicationName: 'tessera-bench', statementTimeoutMs: 120_000 });
  } else {
    const { openDatabase } = await dist('storage/db.js');
    const { SqliteStorage } = await dist('storage/sqlite/sqlite-storage.js');
    storage = new SqliteStorage(openDatabase(dbFile, { existing: true }));
  }
  try {
    const { id: orgId } = await storage.one('SELECT id FROM orgs LIMIT 1');
    const { id: adminId } = await storage.one("SELECT id FROM users WHERE lower(username) = 'admin'");
    const admin = { userId: adminId, instanceOwner: true };
    const t0 = Date.now();
    let next = 0;
    let done = 0;
    let deactivated = 0;
    let reported = 0;
    const worker = async () => {
      while (next < count) {
        const from = next;
        const to = Math.min(count, from + BATCH[engine]);
        next = to;
        const off = await storage.command(async (tx) => {
          const inner = joined(storage, tx);
          let n = 0;
          for (let i = from; i < to; i++) {
            const number = userNumber(i, total);
            const input = addMachineUserSchema.parse({ userName: `scale-${number}`, name: `Scale user ${number}` });
            const { userId } = await addMachineUser(inner, orgId, adminId, input);
            if (i % DEACTIVATE_EVERY === DEACTIVATE_EVERY - 1) {
              await deactivateUser(inner, orgId, userId, admin);
              n++;
            }
          }
          return n;
        });
        deactivated += off;
        done += to - from;
        if (done - reported >= count / 10) {
          reported = done;
          log(`  inserted ${done} of ${count} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (Date.now() - t0) / 1000;
    // What was written, counted back: the users and the events their commands appended.
    const counted = await storage.all("SELECT type, count(*) AS n FROM events WHERE type IN ('user.machine.added', 'user.deactivated') GROUP BY type");
    const events = Object.fromEntries(counted.map((r) => [r.type, Number(r.n)]));
    return { inserted: done, deactivated, seconds, events };
  } finally {
    await storage.close();
  }
}

/** The database's size, and the users table's and its search index's (SQLite: dbstat when compiled in). */
function sqliteSizes(dbFile) {
  const Database = requireServer('better-sqlite3');
  const db = new Database(dbFile);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const sizes = {
      database_bytes: fs.statSync(dbFile).size + (fs.existsSync(`${dbFile}-wal`) ? fs.statSync(`${dbFile}-wal`).size : 0),
      usage_rows: db.prepare('SELECT count(*) FROM machine_secret_uses').pluck().get(),
    };
    try {
      // The users table with its indexes, and the FTS5 trigram table's shadow tables.
      sizes.users_bytes = db.prepare("SELECT sum(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'users')").pluck().get();
      sizes.search_index_bytes = db.prepare("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'users_fts%'").pluck().get();
      sizes.search_index_how = 'dbstat, users_fts*';
    } catch {
      // No dbstat in this build: the FTS5 index's own blocks, without their page overhead.
      sizes.users_bytes = null;
      sizes.search_index_bytes = db.prepare('SELECT sum(length(block)) FROM users_fts_data').pluck().get();
      sizes.search_index_how = 'bytes of users_fts_data blocks (no dbstat)';
    }
    return sizes;
  } finally {
    db.close();
  }
}

async function pgQuery(url, sql) {
  const { Client } = requireServer('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

async function pgSizes(url) {
  const [row] = await pgQuery(
    url,
    `SELECT pg_database_size(current_database()) AS database_bytes, pg_total_relation_size('users') AS users_bytes,
            pg_relation_size('users_names_trgm') AS search_index_bytes, (SELECT count(*) FROM machine_secret_uses) AS usage_rows`,
  );
  return { ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])), search_index_how: 'pg_relation_size(users_names_trgm)' };
}

/** The management search as the console sends it: service users only, plus the request's own parts. */
function searchBody({ query = {}, sortingColumn, queries = [] }) {
  return {
    query: { offset: 0, limit: 20, ...query },
    ...(sortingColumn ? { sortingColumn } : {}),
    queries: [{ typeQuery: { type: 'TYPE_MACHINE' } }, ...queries],
  };
}

const text = (field, method, value) =>
  field === 'userName' ? { userNameQuery: { userName: value, method } } : { displayNameQuery: { displayName: value, method } };

/**
 * The searches measured, each `make(i)` giving the i-th request's body. Terms vary per request and are
 * selective: a user number's middle four digits (tens of users), or its leading digits (100 users), in
 * a case other than the stored one.
 */
function searches(users) {
  const n = (i, salt) => userNumber((i * 7919 + salt) % users, users);
  const lead = (num) => num.slice(0, -2);
  const middle = (num) => num.slice(-5, -1);
  const CONTAINS = 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE';
  const STARTS = 'TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE';
  const list = [
    { key: 'first_page', name: 'first page (limit 20, newest first)', make: () => searchBody({}) },
    { key: 'user_name_contains', name: 'userName CONTAINS_IGNORE_CASE', make: (i) => searchBody({ queries: [text('userName', CONTAINS, middle(n(i, 0)))] }) },
    {
      key: 'user_name_starts',
      name: 'userName STARTS_WITH_IGNORE_CASE',
      make: (i) => searchBody({ queries: [text('userName', STARTS, `SCALE-${lead(n(i, 1))}`)] }),
    },
    {
      key: 'display_name_contains',
      name: 'displayName CONTAINS_IGNORE_CASE',
      make: (i) => searchBody({ queries: [text('displayName', CONTAINS, `User ${lead(n(i, 2))}`)] }),
    },
    {
      key: 'display_name_starts',
      name: 'displayName STARTS_WITH_IGNORE_CASE',
      make: (i) => searchBody({ queries: [text('displayName', STARTS, `scale USER ${lead(n(i, 3))}`)] }),
    },
    { key: 'state_active', name: 'stateQuery USER_STATE_ACTIVE', make: () => searchBody({ queries: [{ stateQuery: { state: 'USER_STATE_ACTIVE' } }] }) },
  ];
  const columns = [
    ['USER_FIELD_NAME_USER_NAME', 'user_name'],
    ['USER_FIELD_NAME_DISPLAY_NAME', 'display_name'],
    ['USER_FIELD_NAME_CREATION_DATE', 'creation_date'],
    ['USER_FIELD_NAME_STATE', 'state'],
  ];
  for (const [sortingColumn, key] of columns) {
    for (const asc of [true, false]) {
      list.push({
        key: `sort_${key}_${asc ? 'asc' : 'desc'}`,
        name: `sorted by ${sortingColumn} ${asc ? 'asc' : 'desc'}`,
        make: () => searchBody({ sortingColumn, query: { asc } }),
      });
    }
  }
  return list;
}

/**
 * SEQUENTIAL requests one after the other (or as many as SERIES_BUDGET_MS allows), with the first answer's
 * total. A refused request (a statement timeout answers 503) is counted, its time kept, and the series
 * goes on: one slow query must not cost the whole run's figures.
 */
async function series(call, make) {
  let hits;
  let failed = 0;
  let error;
  const latency = await sequentialLatency(
    SEQUENTIAL,
    async (i) => {
      let res;
      try {
        res = await call('POST', '/users/_search', make(i));
      } catch (err) {
        failed++;
        error ??= err instanceof Error ? err.message.slice(0, 200) : String(err);
        return;
      }
      hits ??= Number(res.details.totalResult);
      if (res.result.length === 0) throw new Error(`search ${JSON.stringify(make(i))} found nobody: the measurement would be of an empty answer`);
    },
    { budgetMs: SERIES_BUDGET_MS },
  );
  return { ...latency, hits, ...(failed ? { failed, error } : {}) };
}

/**
 * The far page by offset, and by cursor where the server has one: an answer with a top-level
 * `nextCursor` is paged by `query.cursor`, so the page after the far one is measured that way too.
 */
async function farPage(call, users) {
  const offset = Math.floor(users * 0.9);
  const body = searchBody({ query: { offset } });
  const byOffset = { offset, ...(await series(call, () => body)) };
  const first = await call('POST', '/users/_search', body);
  if (typeof first.nextCursor !== 'string' || !first.nextCursor) return { byOffset, byCursor: null };
  const cursorBody = { ...body, query: { limit: 20, cursor: first.nextCursor } };
  return { byOffset, byCursor: await series(call, () => cursorBody) };
}

/**
 * The run. `running` (processes.mjs Running) holds the PostgreSQL, so an error or Ctrl-C stops it.
 */
export async function runScale(tmp, { users, engine, duration, connections, tokens, env = {}, running, log = console.log }) {
  const dir = path.join(tmp, 'scale');
  fs.mkdirSync(dir);
  let databaseUrl;
  if (engine === 'pg') {
    log('  PostgreSQL (throwaway cluster)…');
    const pg = await startPostgres();
    running.add({ label: 'postgres', stop: () => pg.stop() });
    databaseUrl = pg.url;
    env = { ...env, TESSERA_DATABASE_URL: databaseUrl };
  }
  const sizes = () => (engine === 'pg' ? pgSizes(databaseUrl) : sqliteSizes(path.join(dir, 'tessera.db')));

  log(`  Tessera on ${engine === 'pg' ? 'PostgreSQL' : 'SQLite'} with 10 users…`);
  let tessera = running.add(await startTessera(dir, { extraEnv: env }));
  let call = await signIn(tessera.base, tessera.password);
  const client = await provisionClient(call, 'scale-bench');
  for (let i = 0; i < 8; i++) await call('POST', '/users/machine', { userName: `few-${i}`, name: `Few ${i}` });
  const small = await measure({ pid: tessera.pid, request: tokenRequest(tessera.base, client), connections, duration });
  await running.stop(tessera);

  const empty = await sizes();
  log(`  inserting ${users} service users…`);
  const insert = await addUsers({ engine, dbFile: tessera.dbFile, databaseUrl, count: users, total: users, log });
  let vacuumS = null;
  if (engine === 'pg') {
    // What autovacuum does on its own soon after a bulk insert (statistics, visibility map, the GIN
    // index's pending list), done now so the searches do not depend on when it ran.
    const t0 = Date.now();
    await pgQuery(databaseUrl, 'VACUUM ANALYZE');
    vacuumS = (Date.now() - t0) / 1000;
  }
  const full = await sizes();

  log(`  Tessera with ${users} more users: token load, searches…`);
  tessera = running.add(await startTessera(dir, { port: tessera.port, password: tessera.password, extraEnv: env }));
  call = await signIn(tessera.base, tessera.password);
  const large = await measure({ pid: tessera.pid, request: tokenRequest(tessera.base, client), connections, duration });
  const total = Number((await call('POST', '/users/_search', { query: { limit: 1 } })).details.totalResult);

  const searchRows = [];
  for (const s of searches(users)) searchRows.push({ key: s.key, name: s.name, ...(await series(call, s.make)) });
  const far = await farPage(call, users);
  searchRows.push({ key: 'far_page_offset', name: `far page, offset ${far.byOffset.offset}`, ...far.byOffset });
  searchRows.push(
    far.byCursor
      ? { key: 'far_page_cursor', name: `far page, by its cursor`, ...far.byCursor }
      : { key: 'far_page_cursor', name: 'far page, by its cursor', unsupported: true },
  );

  log('  the console in Chromium…');
  const oldest = `scale-${userNumber(Math.floor(users / 3), users)}`;
  const consoleTimes = await consoleCheck(tessera.base, tessera.password, [
    oldest,
    `scale-${userNumber(Math.floor(users / 7), users)}`,
    `scale-${userNumber(17, users)}`,
  ]);

  log(`  ${tokens} tokens…`);
  // Listing the secrets writes the uses counted so far, so "before" and "after" each hold every use made.
  const usesNow = async () => Number((await call('POST', `/users/${client.userId}/secrets/_search`, {})).result[0].usesLast24h);
  await fetchToken(tessera.base, client);
  const usesBefore = await usesNow();
  const before = await sizes();
  const issued = await issue({ request: tokenRequest(tessera.base, client), connections: 16, amount: tokens });
  const usesCounted = (await usesNow()) - usesBefore;
  const after = await sizes();
  const rss = { rss_mb: rssMb(tessera.pid), peak_rss_mb: peakRssMb(tessera.pid) };
  await running.stop(tessera);
  return {
    engine,
    users: total,
    inserted: insert.inserted,
    deactivated: insert.deactivated,
    insert_s: insert.seconds,
    events: insert.events,
    vacuum_analyze_s: vacuumS,
    token_10_users: small,
    token_n_users: large,
    searches: searchRows,
    console: consoleTimes,
    size_empty: empty,
    size_full: full,
    bytes_per_user: Math.round((full.database_bytes - empty.database_bytes) / insert.inserted),
    tokens_issued: issued.ok,
    token_errors: issued.non2xx + issued.errors,
    db_before: before,
    db_after: after,
    db_growth_bytes: after.database_bytes - before.database_bytes,
    uses_counted: usesCounted,
    ...rss,
  };
}
