// Prints a table a person can read, then what the ceiling measured, then the targets as met or
// missed; run.mjs ends with one line of JSON.
const cols = [
  ['name', 31, (r) => r.name],
  ['req/s', 7, (r) => r.req_s],
  ['p50 ms', 6, (r) => r.p50_ms],
  ['p99 ms', 6, (r) => r.p99_ms],
  ['srv ms/req', 10, (r) => r.cpu_ms_per_req],
  ['srv %', 5, (r) => r.server_cpu_pct],
  ['gen ms/req', 10, (r) => r.generator_cpu_ms_per_req],
  ['gen %', 5, (r) => r.generator_cpu_pct],
  ['other %', 7, (r) => r.other_cpu_pct],
  ['rss MB', 6, (r) => r.rss_mb],
  ['x baseline', 10, (r) => r.ratio ?? ''],
  ['non2xx+err', 10, (r) => r.non2xx + r.errors],
];

export function printTable(rows) {
  const line = (cells) =>
    cells
      .map((c, i) => String(c ?? '').padEnd(cols[i][1]))
      .join(' ')
      .trimEnd();
  console.log(line(cols.map((c) => c[0])));
  console.log(line(cols.map((c) => '-'.repeat(c[1]))));
  for (const r of rows) console.log(line(cols.map((c) => c[2](r))));
  console.log(
    '\nsrv/gen: CPU of the server and of the load generator (ms per request, and % of one core during the load);\n' +
      'other: CPU the rest of the machine used meanwhile (% of one core; the machine has 2 cores in all).',
  );
}

/** Which process bounded a load: one at ~100% of a core is saturated (Node serves on one thread). */
export function bottleneck(m) {
  if (m.generator_cpu_pct >= 90 && m.generator_cpu_pct >= m.server_cpu_pct) return 'the load generator';
  if (m.server_cpu_pct >= 90) return 'the server';
  return 'neither alone: the two cores were shared with other work';
}

const GENERATORS = { wrk: 'wrk, one thread in C', autocannon: 'autocannon, one Node process' };

export function describeCeiling(baseline, generator) {
  console.log(
    `\nThe ceiling: the bare node:http server answered ${baseline.req_s} req/s at ${baseline.server_cpu_pct}% of a core while the load\n` +
      `generator (${GENERATORS[generator]}) ran at ${baseline.generator_cpu_pct}% of a core; bounded by ${bottleneck(baseline)}.\n` +
      'So "x baseline" is the share of what this machine can push through one loopback HTTP client and one Node\n' +
      'server on its 2 cores, not of what node:http alone could serve; srv ms/req compares the servers directly.',
  );
}

export function printTargets(targets) {
  console.log('\nTargets (same-run ratios; see docs/benchmarks.md):');
  for (const t of targets) {
    const state = t.value == null || t.met == null ? 'n/a ' : t.met ? 'MET ' : 'MISSED';
    console.log(`  ${state.padEnd(6)} ${t.name}: ${t.value ?? 'not measured'} (target ${t.target})`);
  }
}

export const ratio = (a, b) => (a && b ? Math.round((a / b) * 1000) / 1000 : null);

export function target(name, value, op, bound, unit = '') {
  const compare = { '>=': (a, b) => a >= b, '<=': (a, b) => a <= b, '<': (a, b) => a < b, '>': (a, b) => a > b }[op];
  const met = value == null ? null : compare(value, bound);
  return { name, value: value == null ? null : `${value}${unit}`, target: `${op} ${bound}${unit}`, met };
}
