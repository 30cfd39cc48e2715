// --scale: the same token endpoint with 10 and with 100,000 service users, the console's search at
// 100,000 users, and the database size before and after issuing 100,000 tokens.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { issue, measure, sequentialLatency } from './load.mjs';
import { stopServer } from './processes.mjs';
import { ROOT, fetchToken, provisionClient, signIn, startTessera, tokenRequest } from './tessera.mjs';

const requireServer = createRequire(path.join(ROOT, 'apps/server/package.json'));

/** 99,990 more service users through the server's own command (rows and events as the API writes them). */
async function addUsers(dbFile, count) {
  const dist = (p) => import(path.join(ROOT, 'apps/server/dist', p));
  const { addMachineUser } = await dist('domain/users/commands.js');
  const { openDatabase } = await dist('storage/db.js');
  const { SqliteStorage } = await dist('storage/sqlite/sqlite-storage.js');
  const storage = new SqliteStorage(openDatabase(dbFile, { existing: true }));
  const { id: orgId } = await storage.one('SELECT id FROM orgs LIMIT 1');
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(6, '0');
    await addMachineUser(storage, orgId, null, {
      userName: `scale-${n}`,
      name: `Scale user ${n}`,
      description: '',
      accessTokenType: 'ACCESS_TOKEN_TYPE_BEARER',
    });
  }
  await storage.close();
}

function dbSize(dbFile) {
  const Database = requireServer('better-sqlite3');
  const db = new Database(dbFile);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = db.pragma('page_count', { simple: true });
  const usageRows = db.prepare('SELECT count(*) FROM machine_secret_uses').pluck().get();
  db.close();
  const wal = fs.existsSync(`${dbFile}-wal`) ? fs.statSync(`${dbFile}-wal`).size : 0;
  return { file_bytes: fs.statSync(dbFile).size, wal_bytes: wal, pages, usage_rows: usageRows };
}

export async function runScale(tmp, { duration, connections, tokens, env = {} }) {
  const dir = path.join(tmp, 'scale');
  fs.mkdirSync(dir);
  let tessera = await startTessera(dir, { extraEnv: env });
  let call = await signIn(tessera.base, tessera.password);
  const client = await provisionClient(call, 'scale-bench');
  for (let i = 0; i < 8; i++) await call('POST', '/users/machine', { userName: `few-${i}`, name: `Few ${i}` });
  const small = await measure({ pid: tessera.pid, request: tokenRequest(tessera.base, client), connections, duration });
  await stopServer(tessera);

  const t0 = Date.now();
  await addUsers(tessera.dbFile, 99_990);
  const insertS = (Date.now() - t0) / 1000;
  tessera = await startTessera(dir, { port: tessera.port, password: tessera.password, extraEnv: env });
  call = await signIn(tessera.base, tessera.password);
  const large = await measure({ pid: tessera.pid, request: tokenRequest(tessera.base, client), connections, duration });
  const total = (await call('POST', '/users/_search', { query: { limit: 1 } })).details.totalResult;

  const firstPage = await sequentialLatency(200, () =>
    call('POST', '/users/_search', { query: { offset: 0, limit: 20 }, queries: [{ typeQuery: { type: 'TYPE_MACHINE' } }] }),
  );
  const search = await sequentialLatency(200, (i) => {
    const term = String((i * 7919) % 100000)
      .padStart(5, '0')
      .slice(0, 4);
    return call('POST', '/users/_search', {
      query: { offset: 0, limit: 20 },
      queries: [
        { typeQuery: { type: 'TYPE_MACHINE' } },
        {
          orQuery: {
            queries: [
              { userNameQuery: { userName: term, method: 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE' } },
              { displayNameQuery: { displayName: term, method: 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE' } },
            ],
          },
        },
      ],
    });
  });

  // Listing the secrets writes the uses counted so far, so "before" and "after" each hold every use made.
  const usesNow = async () => Number((await call('POST', `/users/${client.userId}/secrets/_search`, {})).result[0].usesLast24h);
  await fetchToken(tessera.base, client);
  const usesBefore = await usesNow();
  const before = dbSize(tessera.dbFile);
  const issued = await issue({ request: tokenRequest(tessera.base, client), connections: 16, amount: tokens });
  const usesCounted = (await usesNow()) - usesBefore;
  const after = dbSize(tessera.dbFile);
  await stopServer(tessera);
  return {
    users: Number(total),
    insert_s: insertS,
    token_10_users: small,
    token_100k_users: large,
    search_first_page: firstPage,
    search_contains: search,
    tokens_issued: issued.ok,
    token_errors: issued.non2xx + issued.errors,
    db_before: before,
    db_after: after,
    db_growth_bytes: after.file_bytes + after.wal_bytes - (before.file_bytes + before.wal_bytes),
    uses_counted: usesCounted,
  };
}
