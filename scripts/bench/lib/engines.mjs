// --engine pg: in one run, Tessera on SQLite, on PostgreSQL with one node, and with N nodes sharing
// that database. PostgreSQL is a throwaway cluster (scripts/throwaway-postgres.mjs: 127.0.0.1, fsync
// and full_page_writes off, synchronous_commit on), its CPU read from /proc over all its processes.
// With several nodes the one load generator deals its connections round-robin over the nodes' URLs
// (no proxy in between: a proxy would be one more process on the same 2 cores).
//
// The token loads come from several service users of each token type, CONNECTIONS_PER_CLIENT
// connections each, on every engine alike, as a shared server sees them: on PostgreSQL the lookups
// of one turn share a statement whatever clients they name (oauth/client-lookup.ts).
import { startPostgres } from '../../throwaway-postgres.mjs';
import { clusterCpuMs } from './cluster-cpu.mjs';
import { measure } from './load.mjs';
import { freePort, startBaseline } from './processes.mjs';
import { apiRequest, fetchToken, provisionClient, signIn, startTessera, tokenRequest } from './tessera.mjs';

/** One request shape, its URL spread over the nodes (a plain string for one node). */
function overNodes(make, nodes) {
  const requests = nodes.map((n) => make(n.base));
  return { ...requests[0], url: nodes.length === 1 ? requests[0].url : requests.map((r) => r.url) };
}

export const CONNECTIONS_PER_CLIENT = 4;

/** Token requests from `clients` in turn, one per connection (load-generator.mjs headersByConnection). */
const tokenLoad = (clients) => (base) => ({
  ...tokenRequest(base, clients[0]),
  headersByConnection: clients.map((c) => tokenRequest(base, c).headers),
});

/** The three loads of one setup: token endpoint opaque and JWT, and GET orgs/me with an opaque Bearer token. */
async function threeLoads(prefix, nodes, clients, bearer, load, dbCpuMs) {
  const m = (make) => measure({ pids: nodes.map((n) => n.pid), dbCpuMs, request: overNodes(make, nodes), ...load });
  return [
    { key: 'token_opaque', name: `${prefix} token (opaque)`, ...(await m(tokenLoad(clients.opaque))) },
    { key: 'token_jwt', name: `${prefix} token (JWT)`, ...(await m(tokenLoad(clients.jwt))) },
    { key: 'orgs_me', name: `${prefix} orgs/me (opaque)`, ...(await m((b) => apiRequest(b, bearer))) },
  ];
}

async function provision(base, password, count) {
  const call = await signIn(base, password);
  const clients = { opaque: [], jwt: [] };
  for (let i = 1; i <= count; i++) {
    clients.opaque.push(await provisionClient(call, `bench-opaque-${i}`, 'ACCESS_TOKEN_TYPE_BEARER'));
    clients.jwt.push(await provisionClient(call, `bench-jwt-${i}`, 'ACCESS_TOKEN_TYPE_JWT'));
  }
  return { clients, bearer: await fetchToken(base, clients.opaque[0]) };
}

/**
 * Runs every load and returns {rows, setups}; rows carry `setup` ('baseline', 'sqlite', 'pg1',
 * 'pgN') and `key`. `running` (processes.mjs Running) holds whatever is up, so an error or Ctrl-C
 * stops it; `nodes` is the largest node count (1 measures one node only).
 */
export async function compareEngines({ tmp, load, nodes, env, running, log = console.log }) {
  const rows = [];
  const perType = Math.ceil(load.connections / CONNECTIONS_PER_CLIENT);
  const add = (setup, list) => rows.push(...list.map((r) => ({ setup, ...r })));

  const bport = await freePort();
  const fake = { clientId: 'baseline', clientSecret: 'baseline' };
  const bbase = `http://127.0.0.1:${bport}`;
  const baseline = running.add(await startBaseline(bport));
  add('baseline', [{ key: 'token', name: 'baseline node:http token', ...(await measure({ pid: baseline.pid, request: tokenRequest(bbase, fake), ...load })) }]);
  await running.stop(baseline);

  log('  Tessera on SQLite…');
  const sqlite = running.add(await startTessera(tmp, { extraEnv: env }));
  const s = await provision(sqlite.base, sqlite.password, perType);
  add('sqlite', await threeLoads('sqlite', [sqlite], s.clients, s.bearer, load));
  await running.stop(sqlite);

  log('  PostgreSQL (throwaway cluster)…');
  const pg = await startPostgres();
  running.add({ label: 'postgres', stop: () => pg.stop() });
  const dbCpuMs = () => clusterCpuMs(pg.pid);
  const pgEnv = { ...env, TESSERA_DATABASE_URL: pg.url };
  // Node 1 starts alone and creates the administrator; the clients are provisioned through it.
  const first = running.add(await startTessera(tmp, { extraEnv: pgEnv }));
  const shared = { ...pgEnv, TESSERA_ISSUER: first.base };
  const p = await provision(first.base, first.password, perType);
  log('  Tessera on PostgreSQL, 1 node…');
  add('pg1', await threeLoads('pg 1 node', [first], p.clients, p.bearer, load, dbCpuMs));
  if (nodes > 1) {
    const all = [first];
    for (let i = 2; i <= nodes; i++) {
      const node = running.add(await startTessera(tmp, { password: first.password, extraEnv: shared }));
      // The clients and the token made on node 1 work here too (shared database and keys), or stop now.
      await fetchToken(node.base, p.clients.jwt[0]);
      const r = await fetch(apiRequest(node.base, p.bearer).url, { headers: apiRequest(node.base, p.bearer).headers });
      if (!r.ok) throw new Error(`node ${i} refused node 1's token: ${r.status} ${await r.text()}`);
      all.push(node);
    }
    log(
      `  Tessera on PostgreSQL, ${nodes} nodes (the load generator deals its ${load.connections} connections round-robin over ${all.map((n) => n.base).join(', ')})…`,
    );
    add('pgN', await threeLoads(`pg ${nodes} nodes`, all, p.clients, p.bearer, load, dbCpuMs));
  }
  await running.stopAll();

  // The baseline once more, last: how far the machine drifted while the run went on.
  const again = running.add(await startBaseline(bport));
  add('baseline', [
    { key: 'again', name: 'baseline node:http token, again', ...(await measure({ pid: again.pid, request: tokenRequest(bbase, fake), ...load })) },
  ]);
  await running.stop(again);
  return rows;
}
