// One measured load on loopback, bounded in time, with the CPU time of the server and of the load
// generator, and the server's RSS after the run. The generator is autocannon in a child process, or wrk
// (lib/wrk.mjs) when the run asks for it.
import { fork } from 'node:child_process';
import path from 'node:path';
import { cpuMs, machineCpuMs, peakRssMb, rssMb } from './processes.mjs';
import { runWrk } from './wrk.mjs';

const GENERATOR = path.join(import.meta.dirname, 'load-generator.mjs');

/** A load-generator process; `run` sends one autocannon run and resolves with its summary. */
export async function startGenerator() {
  const child = fork(GENERATOR, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // A send to a generator that has just died (Ctrl-C reaches the whole process group) is not worth a crash.
  child.on('error', () => {});
  const replies = [];
  const waiting = [];
  child.on('message', (m) => (waiting.length ? waiting.shift()(m) : replies.push(m)));
  const exited = new Promise((r) => child.once('exit', r));
  const next = () =>
    new Promise((resolve, reject) => {
      if (replies.length) return resolve(replies.shift());
      waiting.push(resolve);
      exited.then(() => reject(new Error('the load generator exited')));
    });
  await next(); // {ready}
  return {
    async run(opts) {
      child.send({ cmd: 'run', opts });
      const m = await next();
      if (m.error) throw new Error(`load generator: ${m.error}`);
      return m.result;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.connected) {
        child.send({ cmd: 'exit' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

const round = (x, digits = 3) => (x == null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/**
 * Warms the server up (JIT, pools), then measures. Returns req/s, latency percentiles, CPU ms per
 * request of the server and of the load generator, how busy each was and how busy the rest of the
 * machine was (% of one core; 200 is both cores), and the
 * server's RSS after the run and at its peak. `request` is {url, method, headers, body}; `url` may be
 * a list, over which the generator deals its connections round-robin (connection i goes to url[i % n]).
 * Several servers (`pids`): their CPU is summed, their RSS is the largest, and `node_cpu_pct` has each
 * one's share. `dbCpuMs`, when given, reads the database's cumulative CPU ms (all its processes); the
 * result then has its ms per request and share of a core, and "other" leaves it out. `generator` is
 * 'autocannon' or 'wrk' (one URL and one header set only).
 */
export async function measure({ pid, pids = [pid], dbCpuMs, request, connections, duration, warmup = 2, generator = 'autocannon' }) {
  if (generator === 'wrk' && (typeof request.url !== 'string' || request.headersByConnection)) {
    throw new Error('wrk runs loads of one URL and one header set: use autocannon for this one');
  }
  const gen = generator === 'wrk' ? { run: runWrk, stop: async () => {} } : await startGenerator();
  const serversMs = () => pids.map(cpuMs);
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  try {
    if (warmup > 0) await gen.run({ ...request, connections, duration: warmup });
    const t0 = performance.now();
    const cpu0 = serversMs();
    const db0 = dbCpuMs?.() ?? 0;
    const all0 = machineCpuMs();
    const r = await gen.run({ ...request, connections, duration });
    const cpu1 = serversMs();
    const db1 = dbCpuMs?.() ?? 0;
    const all1 = machineCpuMs();
    const wallMs = performance.now() - t0;
    const srv = sum(cpu1) - sum(cpu0);
    const db = db1 - db0;
    const pct = (ms) => Math.round((ms / wallMs) * 100);
    return {
      req_s: Math.round(r.average),
      p50_ms: r.p50,
      p99_ms: r.p99,
      ok: r.ok,
      non2xx: r.non2xx,
      errors: r.errors,
      ...(Object.keys(r.statuses ?? {}).length ? { statuses: r.statuses } : {}),
      cpu_ms_per_req: r.total ? round(srv / r.total) : null,
      server_cpu_pct: pct(srv),
      ...(pids.length > 1 ? { node_cpu_pct: cpu1.map((c, i) => pct(c - cpu0[i])) } : {}),
      ...(dbCpuMs ? { db_cpu_ms_per_req: r.total ? round(db / r.total) : null, db_cpu_pct: pct(db) } : {}),
      generator_cpu_ms_per_req: r.total ? round(r.cpuMs / r.total) : null,
      generator_cpu_pct: pct(r.cpuMs),
      // Everything else the machine did meanwhile (the orchestrator, the kernel's own threads, other
      // people's jobs): when this is large, the run was disturbed.
      other_cpu_pct: Math.max(0, pct(all1 - all0 - srv - db - r.cpuMs)),
      rss_mb: Math.max(...pids.map(rssMb)),
      peak_rss_mb: Math.max(...pids.map(peakRssMb)),
    };
  } finally {
    await gen.stop();
  }
}

/** A fixed number of requests as fast as `connections` allow (the scale run's 100,000 tokens). */
export async function issue({ request, connections, amount }) {
  const gen = await startGenerator();
  try {
    return await gen.run({ ...request, connections, amount });
  } finally {
    await gen.stop();
  }
}

/**
 * Sequential requests, for latency percentiles of a single client (e.g. the console's search). With
 * budgetMs, stops once that long has passed (after 20 requests at least); `n` says how many ran.
 */
export async function sequentialLatency(n, send, { budgetMs = Infinity } = {}) {
  const times = [];
  const until = performance.now() + budgetMs;
  for (let i = 0; i < n && (i < 20 || performance.now() < until); i++) {
    const t0 = process.hrtime.bigint();
    await send(i);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (p) => Math.round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] * 100) / 100;
  return { n: times.length, p50_ms: at(50), p95_ms: at(95), p99_ms: at(99), max_ms: at(100) };
}
