// One measured load: autocannon on loopback in a child process, bounded in time, with the CPU time
// of the server and of the load generator, and the server's RSS after the run.
import { fork } from 'node:child_process';
import path from 'node:path';
import { cpuMs, machineCpuMs, peakRssMb, rssMb } from './processes.mjs';

const GENERATOR = path.join(import.meta.dirname, 'load-generator.mjs');

/** A load-generator process; `run` sends one autocannon run and resolves with its summary. */
export async function startGenerator() {
  const child = fork(GENERATOR, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
    pid: child.pid,
    async run(opts) {
      child.send({ cmd: 'run', opts });
      const m = await next();
      if (m.error) throw new Error(`load generator: ${m.error}`);
      return m.result;
    },
    async stop() {
      if (child.exitCode === null) {
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
 * server's RSS after the run and at its peak. `request` is {url, method, headers, body}.
 */
export async function measure({ pid, request, connections, duration, warmup = 2 }) {
  const gen = await startGenerator();
  try {
    if (warmup > 0) await gen.run({ ...request, connections, duration: warmup });
    const t0 = performance.now();
    const cpu0 = cpuMs(pid);
    const gen0 = cpuMs(gen.pid);
    const all0 = machineCpuMs();
    const r = await gen.run({ ...request, connections, duration });
    const cpu1 = cpuMs(pid);
    const gen1 = cpuMs(gen.pid);
    const all1 = machineCpuMs();
    const wallMs = performance.now() - t0;
    return {
      req_s: Math.round(r.average),
      p50_ms: r.p50,
      p99_ms: r.p99,
      ok: r.ok,
      non2xx: r.non2xx,
      errors: r.errors,
      cpu_ms_per_req: r.total ? round((cpu1 - cpu0) / r.total) : null,
      server_cpu_pct: Math.round(((cpu1 - cpu0) / wallMs) * 100),
      generator_cpu_ms_per_req: r.total ? round((gen1 - gen0) / r.total) : null,
      generator_cpu_pct: Math.round(((gen1 - gen0) / wallMs) * 100),
      // Everything else the machine did meanwhile (the orchestrator, the kernel's own threads, other
      // people's jobs): when this is large, the run was disturbed.
      other_cpu_pct: Math.max(0, Math.round(((all1 - all0 - (cpu1 - cpu0) - (gen1 - gen0)) / wallMs) * 100)),
      rss_mb: rssMb(pid),
      peak_rss_mb: peakRssMb(pid),
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
