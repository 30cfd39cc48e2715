// One measured load: autocannon on loopback, bounded in time, with the server's CPU and RSS.
import autocannon from 'autocannon';
import { cpuMs, rssMb } from './processes.mjs';

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ pipelining: 1, timeout: 10, ...opts }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/**
 * Warms the server up (JIT, pools), then measures. Returns req/s, latency percentiles, the server's CPU ms
 * per request and RSS after the run. `request` is {url, method, headers, body}.
 */
export async function measure({ pid, request, connections, duration, warmup = 2 }) {
  if (warmup > 0) await run({ ...request, connections, duration: warmup });
  const cpu0 = cpuMs(pid);
  const r = await run({ ...request, connections, duration });
  const cpu1 = cpuMs(pid);
  const total = r.requests.total;
  return {
    req_s: Math.round(r.requests.average),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    cpu_ms_per_req: total ? Math.round(((cpu1 - cpu0) / total) * 1000) / 1000 : null,
    rss_mb: rssMb(pid),
  };
}

/** Sequential requests, for latency percentiles of a single client (e.g. the console's search). */
export async function sequentialLatency(n, send) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await send(i);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (p) => Math.round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] * 100) / 100;
  return { n, p50_ms: at(50), p95_ms: at(95), p99_ms: at(99), max_ms: at(100) };
}
