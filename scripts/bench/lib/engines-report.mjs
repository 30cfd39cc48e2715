// What --engine pg prints: one table, the CPU share of each part per load, the targets, and what the
// core count allows.
import os from 'node:os';
import { printTargets, ratio, target } from './report.mjs';

const CORES = os.cpus().length;

/** Whole-machine CPU one request took: nodes + PostgreSQL + load generator (ms). */
const cpuPerReq = (r) => (r.cpu_ms_per_req ?? 0) + (r.db_cpu_ms_per_req ?? 0) + (r.generator_cpu_ms_per_req ?? 0);

/** What all the cores could serve if only these three ran, at this row's CPU per request. */
const cpuBound = (r) => (cpuPerReq(r) ? Math.round((CORES * 1000) / cpuPerReq(r)) : null);

const cols = [
  ['name', 31, (r) => r.name],
  ['req/s', 6, (r) => r.req_s],
  ['p50 ms', 6, (r) => r.p50_ms],
  ['p99 ms', 6, (r) => r.p99_ms],
  ['srv ms/req', 10, (r) => r.cpu_ms_per_req],
  ['srv %', 11, (r) => (r.node_cpu_pct ? `${r.server_cpu_pct} (${r.node_cpu_pct.join('+')})` : r.server_cpu_pct)],
  ['pg ms/req', 9, (r) => r.db_cpu_ms_per_req ?? ''],
  ['pg %', 4, (r) => r.db_cpu_pct ?? ''],
  ['gen ms/req', 10, (r) => r.generator_cpu_ms_per_req],
  ['gen %', 5, (r) => r.generator_cpu_pct],
  ['other %', 7, (r) => r.other_cpu_pct],
  ['cpu-bound', 9, (r) => cpuBound(r) ?? ''],
  ['rss MB', 6, (r) => r.rss_mb],
  ['ratio', 5, (r) => r.ratio ?? ''],
  ['non2xx+err', 10, (r) => r.non2xx + r.errors],
];

/** Adds `ratio`: PostgreSQL 1 node / SQLite, N nodes / 1 node, the last baseline / the first. */
export function withRatios(rows) {
  const find = (setup, key) => rows.find((r) => r.setup === setup && r.key === key);
  return rows.map((r) => {
    const of = r.setup === 'pg1' ? find('sqlite', r.key) : r.setup === 'pgN' ? find('pg1', r.key) : r.key === 'again' ? find('baseline', 'token') : null;
    return { ...r, ratio: of ? ratio(r.req_s, of.req_s) : null };
  });
}

export function printEngineTable(rows, nodes) {
  const line = (cells) =>
    cells
      .map((c, i) => String(c ?? '').padEnd(cols[i][1]))
      .join(' ')
      .trimEnd();
  console.log(line(cols.map((c) => c[0])));
  console.log(line(cols.map((c) => '-'.repeat(c[1]))));
  for (const r of rows) console.log(line(cols.map((c) => c[2](r))));
  console.log(
    `\nsrv: CPU of the Tessera node(s), summed (per node in brackets); pg: CPU of the whole PostgreSQL cluster\n` +
      `(postmaster and every backend); gen: the load generator; other: the rest of the machine (all in ms per\n` +
      `request and % of one core; ${CORES} cores = ${CORES * 100}%). cpu-bound: the req/s all ${CORES} cores would give at this\n` +
      `row's srv + pg + gen ms/req if nothing else ran. ratio: pg 1 node / sqlite, pg ${nodes} nodes / pg 1 node,\n` +
      `and for the last baseline, last / first (drift).`,
  );
}

/** Who took the cores during each load, and what the N-node target would need of them. */
export function printCpuShares(rows, nodes) {
  console.log(`\nCPU share during each load (% of one core, ${CORES * 100}% in all):`);
  for (const r of rows.filter((x) => x.setup !== 'baseline')) {
    const parts = [
      `nodes ${r.server_cpu_pct}`,
      r.db_cpu_pct != null ? `PostgreSQL ${r.db_cpu_pct}` : null,
      `generator ${r.generator_cpu_pct}`,
      `other ${r.other_cpu_pct}`,
    ];
    const total = r.server_cpu_pct + (r.db_cpu_pct ?? 0) + r.generator_cpu_pct + r.other_cpu_pct;
    console.log(`  ${r.name.padEnd(27)} ${parts.filter(Boolean).join(' + ')} = ${total}`);
  }
  if (nodes < 2) return;
  console.log(`\nWhat ${nodes} nodes can reach here: 1.6x the 1-node rate needs 1.6x its CPU (nodes + PostgreSQL + generator):`);
  for (const one of rows.filter((x) => x.setup === 'pg1')) {
    const used = one.server_cpu_pct + one.db_cpu_pct + one.generator_cpu_pct;
    console.log(
      `  ${one.name.replace('pg 1 node ', '').padEnd(16)} 1 node used ${used}% while other work took ${one.other_cpu_pct}%: ` +
        `1.6x needs ~${Math.round(1.6 * used)}% of ${CORES * 100}%`,
    );
  }
}

/**
 * req/s this load would reach with nothing else running on `cores` cores, from its CPU per request:
 * each node is one event loop (at most one core), and nodes, PostgreSQL and the generator share the cores.
 */
export function quietEstimate(r, nodes, cores = CORES) {
  if (!r.cpu_ms_per_req) return null;
  return Math.round(Math.min((nodes * 1000) / r.cpu_ms_per_req, (cores * 1000) / cpuPerReq(r)));
}

/**
 * The targets' ratios from quietEstimate, which the other work on the machine moves far less than
 * req/s: on this machine's cores, and on enough cores for each node to have one of its own and
 * PostgreSQL and the generator one each.
 */
export function printQuietEstimates(rows, nodes) {
  const roomy = nodes + 2;
  console.log(
    '\nEstimate with nothing else running, from CPU per request (a node is one event loop, at most one core;\n' +
      'nodes, PostgreSQL and the generator share the cores):',
  );
  for (const cores of CORES === roomy ? [CORES] : [CORES, roomy]) {
    console.log(`  on ${cores} cores${cores === CORES ? ' (this machine)' : ''}:`);
    const est = (setup, key) => {
      const r = rows.find((x) => x.setup === setup && x.key === key);
      return r ? quietEstimate(r, setup === 'pgN' ? nodes : 1, cores) : null;
    };
    for (const [key, label] of [
      ['token_opaque', 'token (opaque)'],
      ['token_jwt', 'token (JWT)'],
      ['orgs_me', 'orgs/me'],
    ]) {
      const [s, one, many] = [est('sqlite', key), est('pg1', key), est('pgN', key)];
      const parts = [`sqlite ${s}`, `pg 1 node ${one} (x${ratio(one, s)} sqlite)`];
      if (nodes > 1) parts.push(`pg ${nodes} nodes ${many} (x${ratio(many, one)} 1 node)`);
      console.log(`    ${label.padEnd(16)} ${parts.join(', ')} req/s`);
    }
  }
}

export function printEngineTargets(rows, nodes) {
  const get = (setup, key) => rows.find((r) => r.setup === setup && r.key === key)?.req_s;
  const list = [
    target('PostgreSQL 1 node / SQLite, token (opaque)', ratio(get('pg1', 'token_opaque'), get('sqlite', 'token_opaque')), '>=', 0.7),
    target('PostgreSQL 1 node / SQLite, token (JWT)', ratio(get('pg1', 'token_jwt'), get('sqlite', 'token_jwt')), '>=', 0.7),
  ];
  if (nodes > 1) {
    for (const [key, label] of [
      ['token_opaque', 'token (opaque)'],
      ['token_jwt', 'token (JWT)'],
      ['orgs_me', 'orgs/me'],
    ]) {
      list.push(target(`PostgreSQL ${nodes} nodes / 1 node, ${label}`, ratio(get('pgN', key), get('pg1', key)), '>=', 1.6));
    }
  }
  printTargets(list);
  console.log(`  (no target) PostgreSQL 1 node / SQLite, orgs/me: ${ratio(get('pg1', 'orgs_me'), get('sqlite', 'orgs_me'))}`);
}
