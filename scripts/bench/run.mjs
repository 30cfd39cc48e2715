#!/usr/bin/env node
// pnpm bench [--duration S] [--connections N] [--peer] [--against REF] [--log-level L]
// pnpm bench --scale [N] [--engine pg] [--tokens N] [--duration S] [--connections N] [--log-level L]
// pnpm bench --engine pg [--nodes N] [--duration S] [--connections N] [--log-level L]
// pnpm bench --workers 1,2 [--rounds N] [--duration S] [--connections N] [--log-level L]
// Any of them: [--generator wrk|autocannon]
//
// Measures Tessera's token endpoint and management API against a bare node:http baseline, a floor server
// doing only the work a token needs (floor-server.mjs), and optionally the oidc-provider peer, in ONE run,
// on loopback, bounded in time. On these noisy 2-core machines only same-run ratios mean anything: absolute
// req/s move from run to run and machine to machine.
// The load generator runs in a process of its own: wrk (lib/wrk.mjs) when it is on the PATH (Debian: apt-get
// install wrk), else autocannon (lib/load-generator.mjs), which takes about twice wrk's CPU per request from
// the shared cores; --engine pg and --scale use autocannon, whose loads wrk cannot express. Tessera runs at
// its default log level (info), so the access log's cost is part of what is measured.
// --against REF also measures the opaque token load on Tessera built from commit REF (lib/against.mjs), e.g.
// --against HEAD~1 to see what the last change cost.
// --engine pg compares Tessera on SQLite, on PostgreSQL with one node and with N nodes (default 2) on
// the same database, in one run (lib/engines.mjs).
// --scale N (100000 without N) inserts N service users through the server's own commands and measures
// the token endpoint, search, database size and the console at that many users, on SQLite or with
// --engine pg on PostgreSQL (lib/scale.mjs).
// --workers 1,2 measures Tessera with each number of node:cluster workers (TESSERA_WORKERS) in one run, in
// --rounds (3) rounds of fresh servers taking turns (lib/workers.mjs); every other load runs one process
// (TESSERA_WORKERS=1).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONNECTIONS_PER_CLIENT, compareEngines } from './lib/engines.mjs';
import { printCpuShares, printEngineTable, printEngineTargets, printQuietEstimates, withRatios } from './lib/engines-report.mjs';
import { measure } from './lib/load.mjs';
import { buildAgainst } from './lib/against.mjs';
import { startPeer } from './lib/peer.mjs';
import { describeCeiling, printTable, printTargets, ratio, target } from './lib/report.mjs';
import { Running, freePort, startBaseline, startFloor } from './lib/processes.mjs';
import { runScale } from './lib/scale.mjs';
import { compareWorkers } from './lib/workers.mjs';
import { wrkAvailable } from './lib/wrk.mjs';
import { apiRequest, fetchToken, provisionClient, provisionRotatedClient, signIn, startTessera, tokenRequest } from './lib/tessera.mjs';

// A bare --scale means 100,000 users: give parseArgs the number it would otherwise miss.
const args = process.argv.slice(2);
const scaleAt = args.indexOf('--scale');
if (scaleAt >= 0 && !/^\d/.test(args[scaleAt + 1] ?? '')) args.splice(scaleAt + 1, 0, '100000');
const { values: opts } = parseArgs({
  args,
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    tokens: { type: 'string', default: '100000' },
    peer: { type: 'boolean', default: false },
    scale: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    engine: { type: 'string', default: 'sqlite' },
    nodes: { type: 'string' },
    against: { type: 'string' },
    workers: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    generator: { type: 'string' },
  },
});
const usage = (problem) => {
  console.error(`pnpm bench: ${problem}`);
  process.exit(2);
};
if (!['sqlite', 'pg'].includes(opts.engine)) usage('--engine is sqlite (the default) or pg');
if (opts.nodes !== undefined && (opts.engine !== 'pg' || opts.scale)) usage('--nodes goes with --engine pg, without --scale');
if (opts.against !== undefined && (opts.scale || opts.engine === 'pg')) usage('--against goes with the throughput run: leave out --scale and --engine pg');
if (opts.engine === 'pg' && opts.peer) usage('--peer measures SQLite only: leave out --engine pg');
if (opts.scale && opts.peer) usage('--peer goes with the throughput run: leave out --scale');
const scaleUsers = opts.scale === undefined ? null : Number(opts.scale.replaceAll('_', ''));
if (scaleUsers !== null && (!Number.isInteger(scaleUsers) || scaleUsers < 1000 || scaleUsers > 10_000_000))
  usage('--scale is a number of service users from 1000 to 10000000 (100000 when left out)');
if (opts.workers !== undefined && (opts.scale || opts.peer || opts.against || opts.engine === 'pg'))
  usage('--workers runs alone: leave out --scale, --peer, --against and --engine pg');
const workerCounts = (opts.workers ?? '').split(',').filter(Boolean).map(Number);
if (workerCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 16)) usage('--workers is a list of whole numbers from 1 to 16, e.g. 1,2');
const rounds = Number(opts.rounds);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 9) usage('--rounds is a whole number from 1 to 9');
const nodes = Number(opts.nodes ?? 2);
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 8) usage('--nodes is a whole number from 1 to 8');
const duration = Math.min(120, Math.max(1, Number(opts.duration)));
const connections = Math.min(256, Math.max(1, Number(opts.connections)));
// Several URLs or header sets per load (--engine pg) and fixed request counts (--scale) need autocannon.
const wrkLoads = !scaleUsers && opts.engine !== 'pg';
if (opts.generator !== undefined && !['wrk', 'autocannon'].includes(opts.generator)) usage('--generator is wrk or autocannon');
if (opts.generator === 'wrk' && !wrkLoads) usage('--generator wrk goes with the throughput and workers runs: leave out --scale and --engine pg');
const generator = opts.generator ?? (wrkLoads && wrkAvailable() ? 'wrk' : 'autocannon');
if (opts.generator === 'wrk' && !wrkAvailable()) usage('--generator wrk: wrk is not on the PATH (Debian: apt-get install wrk)');
const load = { connections, duration, generator };
const tesseraEnv = { TESSERA_LOG_LEVEL: opts['log-level'] };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-'));
const running = new Running();
let cleaning;
// Once, whoever asks first (the end, an error, a signal): every server and PostgreSQL stopped by pid.
const cleanup = () => (cleaning ??= running.stopAll().finally(() => fs.rmSync(tmp, { recursive: true, force: true })));
process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));
process.on('SIGTERM', () => void cleanup().finally(() => process.exit(143)));

async function main() {
  console.log(
    `Tessera benchmark: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), node ${process.version}, ` +
      `${connections} connections, ${duration} s per load (${generator}), Tessera log level ${opts['log-level']}`,
  );
  console.log(
    `Load average before the run: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log('Only ratios within this one run mean anything on a noisy 2-core machine.\n');
  if (scaleUsers) return scale();
  if (opts.engine === 'pg') return engines();
  if (workerCounts.length) return workers();
  return throughput();
}

async function engines() {
  console.log(
    `Engines: Tessera on SQLite, on PostgreSQL with 1 node${nodes > 1 ? ` and with ${nodes} nodes on the same database` : ''}; ` +
      'the load generator itself deals its connections round-robin over the nodes (no proxy).',
  );
  console.log(`Token loads: ${Math.ceil(connections / CONNECTIONS_PER_CLIENT)} service users per token type, ${CONNECTIONS_PER_CLIENT} connections each.`);
  const rows = withRatios(await compareEngines({ tmp, load, nodes, env: tesseraEnv, running }));
  console.log('');
  printEngineTable(rows, nodes);
  const [first, last] = rows.filter((r) => r.setup === 'baseline');
  console.log(`\nDrift: the baseline token load gave ${first.req_s} req/s first and ${last.req_s} req/s last.`);
  printCpuShares(rows, nodes);
  printQuietEstimates(rows, nodes);
  printEngineTargets(rows, nodes);
  const failed = rows.filter((r) => r.non2xx + r.errors > 0);
  if (failed.length) console.log(`\nWARNING: non-2xx or errors in: ${failed.map((r) => r.name).join(', ')}`);
  console.log(JSON.stringify({ kind: 'engines', connections, duration, nodes, cores: os.cpus().length, rows }));
}

async function workers() {
  const rows = await compareWorkers({ counts: workerCounts, rounds, tmp, load, env: tesseraEnv, running });
  const load0 = (r) => r.name.split(',')[0];
  const same = (r, workers) => rows.find((x) => load0(x) === load0(r) && x.round === r.round && x.workers === workers);
  for (const r of rows) r.ratio = ratio(r.req_s, same(r, workerCounts[0])?.req_s);
  printTable([...rows].sort((a, b) => a.round - b.round || a.workers - b.workers).map((r) => ({ ...r, name: rounds > 1 ? `${r.name} (${r.round})` : r.name })));
  console.log(`x baseline here: req/s against the same load with ${workerCounts[0]} worker(s) in the same round (n); rss: all the processes together.`);
  const twos = rows.filter((r) => r.workers === 2);
  for (const name of [...new Set(twos.map(load0))]) {
    const each = twos.filter((r) => load0(r) === name);
    console.log(`${name}, 2 workers / ${workerCounts[0]}: rounds ${each.map((r) => r.ratio).join(', ')}; median ${median(each.map((r) => r.ratio))}`);
  }
  const tokens = twos.filter((r) => load0(r) === 'token (opaque)');
  if (workerCounts.includes(1) && tokens.length) {
    printTargets([target(`opaque token endpoint, 2 workers / 1 (median of ${rounds} rounds)`, median(tokens.map((r) => r.ratio)), '>=', 1.6)]);
    console.log(
      `The load generator used ${median(tokens.map((r) => r.generator_cpu_pct))}% of a core during the 2-worker token loads (median), of the machine's ${os.cpus().length * 100}%.`,
    );
  }
  const failed = rows.filter((r) => r.non2xx + r.errors > 0);
  if (failed.length) console.log(`\nWARNING: non-2xx or errors in: ${failed.map((r) => r.name).join(', ')}`);
  console.log(JSON.stringify({ kind: 'workers', connections, duration, rounds, cores: os.cpus().length, rows }));
}

async function throughput() {
  const rows = [];
  const row = (name, m, base) => rows.push({ name, ...m, ratio: ratio(m.req_s, base?.req_s) });

  const bport = await freePort();
  const baseline = await startBaseline(bport);
  running.add(baseline);
  const bbase = `http://127.0.0.1:${bport}`;
  const fake = { clientId: 'baseline', clientSecret: 'baseline' };
  const baseToken = await measure({ pid: baseline.pid, request: tokenRequest(bbase, fake), ...load });
  const baseApi = await measure({ pid: baseline.pid, request: apiRequest(bbase, 'x'), ...load });
  row('baseline node:http token', baseToken, baseToken);
  row('baseline node:http resource', baseApi, baseApi);
  await running.stop(baseline);

  // The floor: the same loads on a server doing only the work (floor-server.mjs), so that what Tessera adds to it shows.
  const fport = await freePort();
  const floor = running.add(await startFloor(fport));
  const fbase = `http://127.0.0.1:${fport}`;
  const floorToken = await measure({ pid: floor.pid, request: tokenRequest(fbase, fake), ...load });
  const floorJwt = await measure({ pid: floor.pid, request: { ...tokenRequest(fbase, fake), url: `${fbase}/oauth/v2/token?jwt` }, ...load });
  const floorApi = await measure({ pid: floor.pid, request: apiRequest(fbase, floor.token), ...load });
  row('floor token (opaque)', floorToken, baseToken);
  row('floor token (JWT)', floorJwt, baseToken);
  row('floor resource (opaque token)', floorApi, baseApi);
  await running.stop(floor);

  const tessera = await startTessera(tmp, { extraEnv: tesseraEnv });
  running.add(tessera);
  const call = await signIn(tessera.base, tessera.password);
  const opaque = await provisionClient(call, 'bench-opaque', 'ACCESS_TOKEN_TYPE_BEARER');
  const jwt = await provisionClient(call, 'bench-jwt', 'ACCESS_TOKEN_TYPE_JWT');
  const tOpaque = await measure({ pid: tessera.pid, request: tokenRequest(tessera.base, opaque), ...load });
  row('tessera token (opaque)', tOpaque, baseToken);
  // Right after, in the same process: a rotation in its overlap, the client sending the previous of its two secrets.
  const rotated = await provisionRotatedClient(call, 'bench-rotated');
  const tRotated = await measure({ pid: tessera.pid, request: tokenRequest(tessera.base, rotated), ...load });
  row('tessera token (opaque, 2 secrets)', tRotated, baseToken);
  const tJwt = await measure({ pid: tessera.pid, request: tokenRequest(tessera.base, jwt), ...load });
  row('tessera token (JWT)', tJwt, baseToken);
  const aOpaque = await measure({ pid: tessera.pid, request: apiRequest(tessera.base, await fetchToken(tessera.base, opaque)), ...load });
  row('tessera orgs/me (opaque token)', aOpaque, baseApi);
  const aJwt = await measure({ pid: tessera.pid, request: apiRequest(tessera.base, await fetchToken(tessera.base, jwt)), ...load });
  row('tessera orgs/me (JWT token)', aJwt, baseApi);
  await running.stop(tessera);

  // The same opaque token load on Tessera built from another commit: what the change since cost. Fresh
  // processes of both, taking turns in pairs (A B, B A, A B, ...) so the machine's drift falls on both alike;
  // the median of the five pairs' ratios is compared, as one pair of loads moves by more than the 5% looked for.
  let pairedRatio = null;
  if (opts.against) {
    const against = buildAgainst(opts.against, tmp);
    try {
      const runs = { this: [], against: [] };
      const turns = Array.from({ length: 10 }, (_, i) => (Math.floor((i + 1) / 2) % 2 ? 'against' : 'this'));
      for (const [i, side] of turns.entries()) {
        const dir = path.join(tmp, `turn-${i}`);
        fs.mkdirSync(dir);
        const server = await startTessera(dir, { extraEnv: tesseraEnv, ...(side === 'against' ? { root: against.root } : {}) });
        running.add(server);
        const client = await provisionClient(await signIn(server.base, server.password), `bench-turn-${i}`);
        runs[side].push(await measure({ pid: server.pid, request: tokenRequest(server.base, client), ...load }));
        await running.stop(server);
      }
      // Each side's k-th load ran next to the other's k-th: the pairs.
      const ratios = runs.this.map((m, k) => ratio(m.cpu_ms_per_req, runs.against[k].cpu_ms_per_req));
      pairedRatio = median(ratios);
      console.log(
        `--against ${against.sha}: CPU ms per request in turns, this tree ${runs.this.map((m) => m.cpu_ms_per_req).join(', ')}; ` +
          `${against.sha} ${runs.against.map((m) => m.cpu_ms_per_req).join(', ')}; pair ratios ${ratios.join(', ')}`,
      );
      row('tessera token (opaque), median of 5 turns', medianByCpu(runs.this), baseToken);
      row(`tessera@${against.sha} token (opaque), median of 5 turns`, medianByCpu(runs.against), baseToken);
    } finally {
      against.remove();
    }
  }

  // The same opaque token load with /metrics on: what counting costs the hot path.
  const meteredDir = path.join(tmp, 'metered');
  fs.mkdirSync(meteredDir);
  const metered = await startTessera(meteredDir, { extraEnv: { ...tesseraEnv, TESSERA_METRICS_TOKEN: 'b'.repeat(40) } });
  running.add(metered);
  const meteredClient = await provisionClient(await signIn(metered.base, metered.password), 'bench-metered', 'ACCESS_TOKEN_TYPE_BEARER');
  const tMetered = await measure({ pid: metered.pid, request: tokenRequest(metered.base, meteredClient), ...load });
  row('tessera token (opaque, metrics on)', tMetered, baseToken);
  await running.stop(metered);

  let peerToken = null;
  if (opts.peer) {
    const peer = await startPeer(tmp, opaque, 'opaque');
    running.add(peer);
    peerToken = await measure({ pid: peer.pid, request: tokenRequest(peer.base, opaque, 'openid profile'), ...load });
    row('oidc-provider token (opaque)', peerToken, baseToken);
    await running.stop(peer);
  }

  // The baseline once more, last: how far the machine drifted while the run went on.
  const again = await startBaseline(bport);
  running.add(again);
  const baseAgain = await measure({ pid: again.pid, request: tokenRequest(bbase, fake), ...load });
  row('baseline node:http token, again', baseAgain, baseToken);
  await running.stop(again);

  printTable(rows);
  describeCeiling(baseToken, generator);
  console.log(`Drift: the baseline token load gave ${baseToken.req_s} req/s first and ${baseAgain.req_s} req/s last.`);
  const overFloor = (name, t, f) => `${name} ${t.cpu_ms_per_req} against ${f.cpu_ms_per_req} ms (${ratio(t.cpu_ms_per_req, f.cpu_ms_per_req)}x)`;
  console.log(
    `Server CPU per request, Tessera against the floor (the work alone, floor-server.mjs): ${overFloor('opaque token', tOpaque, floorToken)}, ` +
      `${overFloor('JWT token', tJwt, floorJwt)}, ${overFloor('orgs/me', aOpaque, floorApi)}.`,
  );
  const vsPeer = ratio(tOpaque.req_s, peerToken?.req_s);
  printTargets([
    target('opaque token endpoint / baseline', ratio(tOpaque.req_s, baseToken.req_s), '>=', 0.6),
    target('opaque token endpoint / oidc-provider', vsPeer, '>=', 2.5),
    target('opaque token endpoint, server CPU per request', tOpaque.cpu_ms_per_req, '<=', 0.07, ' ms'),
    target('JWT token endpoint, server CPU per request', tJwt.cpu_ms_per_req, '<=', 0.1, ' ms'),
    target('orgs/me (opaque), server CPU per request', aOpaque.cpu_ms_per_req, '<=', 0.05, ' ms'),
    target('orgs/me (JWT), server CPU per request', aJwt.cpu_ms_per_req, '<=', 0.05, ' ms'),
    target('JWT token endpoint / baseline', ratio(tJwt.req_s, baseToken.req_s), '>=', 0.4),
    target('orgs/me (opaque) / baseline', ratio(aOpaque.req_s, baseApi.req_s), '>=', 0.6),
    target('orgs/me (JWT) / baseline', ratio(aJwt.req_s, baseApi.req_s), '>=', 0.6),
    target('Tessera RSS after all loads', aJwt.rss_mb, '<=', 100, ' MB'),
    target('opaque token CPU per request, metrics on / off', ratio(tMetered.cpu_ms_per_req, tOpaque.cpu_ms_per_req), '<=', 1.05),
    target('opaque token CPU per request, 2 secrets / 1', ratio(tRotated.cpu_ms_per_req, tOpaque.cpu_ms_per_req), '<=', 1.05),
    ...(pairedRatio ? [target(`opaque token CPU per request, this tree / ${opts.against} (median of 5 paired turns)`, pairedRatio, '<=', 1.05)] : []),
  ]);
  const failed = rows.filter((r) => r.non2xx + r.errors > 0);
  if (failed.length) console.log(`\nWARNING: non-2xx or errors in: ${failed.map((r) => r.name).join(', ')}`);
  console.log(JSON.stringify({ kind: 'throughput', connections, duration, rows, ratio_opaque_vs_peer: vsPeer }));
}

/** The load whose CPU per request is the median of an odd number of them. */
function medianByCpu(loads) {
  return [...loads].sort((a, b) => a.cpu_ms_per_req - b.cpu_ms_per_req)[Math.floor(loads.length / 2)];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function scale() {
  const s = await runScale(tmp, { users: scaleUsers, engine: opts.engine, ...load, tokens: Number(opts.tokens), env: tesseraEnv, running });
  const n = scaleUsers.toLocaleString('en-US');
  const r = ratio(s.token_n_users.req_s, s.token_10_users.req_s);
  const engineName = s.engine === 'pg' ? 'PostgreSQL' : 'SQLite';
  console.log(`\nScale run on ${engineName}, ${n} service users inserted\n`);
  console.log(
    `insert: ${s.inserted} users (${s.deactivated} of them deactivated) through the server's commands in ${s.insert_s} s ` +
      `(${Math.round(s.inserted / s.insert_s)} users/s)${s.vacuum_analyze_s == null ? '' : `; then VACUUM ANALYZE ${s.vacuum_analyze_s} s`}`,
  );
  console.log(
    `users in the organization:           ${s.users}; events ${Object.entries(s.events)
      .map(([t, k]) => `${t} ${k}`)
      .join(', ')}`,
  );
  const line = (m) => `${m.req_s} req/s, p99 ${m.p99_ms} ms, server ${m.cpu_ms_per_req} ms CPU/req, other load ${m.other_cpu_pct}% of a core`;
  console.log(`token endpoint, 10 users:            ${line(s.token_10_users)}`);
  console.log(`${`token endpoint, ${n} more users:`.padEnd(36)} ${line(s.token_n_users)}  (ratio ${r})`);
  const mb = (b) => (b == null ? 'n/a' : `${(b / 1e6).toFixed(1)} MB`);
  console.log(
    `database: ${mb(s.size_empty.database_bytes)} with 10 users, ${mb(s.size_full.database_bytes)} with ${n} more: ${s.bytes_per_user} B per user; ` +
      `users table with its indexes ${mb(s.size_full.users_bytes)}; search index ${mb(s.size_full.search_index_bytes)} (${s.size_full.search_index_how})`,
  );
  console.log(`\nsearch, POST /management/v1/users/_search, service users, limit 20, sequential (up to 200 each, at most 30 s each):`);
  console.log(`  ${'request'.padEnd(48)} ${'n'.padStart(4)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'hits'.padStart(9)}`);
  for (const q of s.searches) {
    const cells = q.unsupported ? ['not supported (no nextCursor in the answer)'] : [q.n, q.p50_ms, q.p95_ms, q.max_ms, q.hits];
    const fails = q.failed ? `  ${q.failed} failed: ${q.error}` : '';
    console.log(`  ${q.name.padEnd(48)} ${q.unsupported ? cells[0] : cells.map((c, i) => String(c).padStart(i ? 8 : 4)).join(' ')}${fails}`);
  }
  const c = s.console;
  console.log(
    c.error
      ? `\nconsole (Chromium): not measured: ${c.error}`
      : `\nconsole (Chromium): Service Users, navigation to first row ${c.page_ms} ms (median of ${c.page_runs_ms.join(', ')}); ` +
          `search, last keystroke to its row ${c.search_ms} ms (median of ${c.search_runs_ms.join(', ')}; includes the console's 300 ms pause)`,
  );
  console.log(`server RSS after the loads:          ${s.rss_mb} MB (peak ${s.peak_rss_mb} MB)`);
  console.log(
    `database: ${s.db_before.database_bytes} B before, ${s.db_after.database_bytes} B after ${s.tokens_issued} tokens (${s.token_errors} failed): growth ${s.db_growth_bytes} B`,
  );
  console.log(
    `secret usage: ${s.uses_counted} uses counted for ${s.tokens_issued} tokens; usage rows ${s.db_before.usage_rows} before, ${s.db_after.usage_rows} after`,
  );
  printTargets([
    target(`token throughput at ${n} more users / 10 users`, r, '>=', 0.9),
    ...s.searches.map((q) =>
      q.unsupported
        ? { name: `search p95, ${q.name}`, value: 'not supported', target: '< 20 ms', met: null }
        : q.failed
          ? { name: `search p95, ${q.name}`, value: `${q.p95_ms} ms, ${q.failed} of ${q.n} failed`, target: '< 20 ms', met: false }
          : target(`search p95, ${q.name}`, q.p95_ms, '<', 20, ' ms'),
    ),
    target('console: Service Users to first row', c.page_ms, '<', 1000, ' ms'),
    target('console: search, last keystroke to results', c.search_ms, '<', 1000, ' ms'),
    // On PostgreSQL updated rows leave dead versions until vacuum: the growth is shown, not held to 0.
    ...(s.engine === 'sqlite' ? [target(`database growth per ${s.tokens_issued} tokens`, s.db_growth_bytes, '<=', 0, ' B')] : []),
    target('secret uses counted / tokens issued', ratio(s.uses_counted, s.tokens_issued), '>=', 1),
  ]);
  console.log(JSON.stringify({ kind: 'scale', ...s, ratio_n_vs_10: r }));
}

main()
  .then(cleanup)
  .catch(async (err) => {
    console.error(err instanceof Error ? err.message : err);
    await cleanup();
    process.exit(1);
  });
