// wrk (https://github.com/wg/wrk, Debian's `wrk` package) as the load generator: an epoll loop in C
// that costs a fraction of autocannon's CPU per request. On a 2-core machine the generator shares the
// cores with the server, so a lighter one leaves more of them to what is measured (the workers' run
// above all). Used for loads of one URL and one header set bounded in time; the rest stays on autocannon.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reapedChildrenCpuMs } from './processes.mjs';

const MARK = 'WRK-RESULT ';

/** Whether wrk is on the PATH. */
export function wrkAvailable() {
  return !spawnSync('wrk', ['--version']).error;
}

/** A Lua string literal; the request is printable ASCII (a Basic header, a token, a form body). */
function lua(s) {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new Error('wrk: the request must be printable ASCII');
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The request, and a `done` that prints wrk's summary as one JSON line. Written to a file only this
 * user can read, in a directory removed after the run: no credential on a command line.
 */
function script({ method = 'GET', headers = {}, body }) {
  return [
    `wrk.method = ${lua(method)}`,
    ...(body === undefined ? [] : [`wrk.body = ${lua(body)}`]),
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`),
    'done = function(s, latency)',
    '  local e = s.errors',
    `  io.write(string.format('${MARK}{"requests":%d,"duration_us":%d,"non2xx":%d,"errors":%d,"p50_us":%d,"p99_us":%d}\\n',`,
    '    s.requests, s.duration, e.status, e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99)))',
    'end',
  ].join('\n');
}

/**
 * One wrk run (one thread, `connections` keep-alive connections, `duration` seconds): autocannon's
 * summary shape as load-generator.mjs reports it, plus the CPU ms wrk used.
 */
export async function runWrk({ url, method, headers, body, connections, duration }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-wrk-'));
  try {
    const file = path.join(dir, 'request.lua');
    fs.writeFileSync(file, script({ method, headers, body }), { mode: 0o600 });
    const before = reapedChildrenCpuMs();
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${duration}s`, '--timeout', '10s', '-s', file, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    const line = out.split('\n').find((l) => l.startsWith(MARK));
    if (code !== 0 || !line) throw new Error(`wrk exited with ${code}:\n${out.slice(-2000)}`);
    const r = JSON.parse(line.slice(MARK.length));
    const seconds = r.duration_us / 1e6;
    return {
      total: r.requests,
      average: r.requests / seconds,
      duration_s: seconds,
      p50: r.p50_us / 1000,
      p99: r.p99_us / 1000,
      ok: r.requests - r.non2xx,
      non2xx: r.non2xx,
      errors: r.errors,
      statuses: {},
      cpuMs: reapedChildrenCpuMs() - before,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
