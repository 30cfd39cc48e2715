// Prints a table a person can read, then the targets as met or missed, then one line of JSON.
const cols = [
  ['name', 34], ['req/s', 8], ['p50 ms', 7], ['p99 ms', 7], ['cpu ms/req', 11], ['rss MB', 7], ['x baseline', 11], ['non2xx+err', 10],
];

export function printTable(rows) {
  const line = (cells) => cells.map((c, i) => String(c ?? '').padEnd(cols[i][1])).join(' ');
  console.log(line(cols.map((c) => c[0])));
  console.log(line(cols.map((c) => '-'.repeat(c[1]))));
  for (const r of rows) {
    console.log(line([r.name, r.req_s, r.p50_ms, r.p99_ms, r.cpu_ms_per_req, r.rss_mb, r.ratio ?? '', r.non2xx + r.errors]));
  }
}

export function printTargets(targets) {
  console.log('\nTargets (same-run ratios; see docs/benchmarks.md):');
  for (const t of targets) {
    const state = t.value == null ? 'n/a ' : t.met ? 'MET ' : 'MISSED';
    console.log(`  ${state.padEnd(6)} ${t.name}: ${t.value ?? 'not measured'} (target ${t.target})`);
  }
}

export const ratio = (a, b) => (a && b ? Math.round((a / b) * 1000) / 1000 : null);

export function target(name, value, op, bound, unit = '') {
  const met = value == null ? null : op === '>=' ? value >= bound : value <= bound;
  return { name, value: value == null ? null : `${value}${unit}`, target: `${op} ${bound}${unit}`, met };
}
