#!/usr/bin/env node
// node scripts/bench/profile.mjs [--target token|token-jwt|orgs-me|orgs-me-jwt] [--duration S] [--top N] [--keep DIR] [--perf]
//
// Runs Tessera from the build, loads one endpoint, and prints where the CPU went. A tool for finding
// costs, not a benchmark: a profiler slows the server down.
//
// Default: `node --cpu-prof`, self time by function and by package or file. V8's sampler sees a
// sample that falls inside a system call only when the call returns, so it charges syscalls (the
// response's writev above all) several times what they cost. --perf samples with Linux perf instead
// (needs `perf`, Debian's linux-perf; JavaScript frames named through --perf-basic-prof), which
// counts kernel and native time as it is spent, with inclusive time per JavaScript function.
// Both print the server's user and system CPU per request, from /proc, without any profiler.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { issue, measure } from './lib/load.mjs';
import { cpuSplitMs, stopServer } from './lib/processes.mjs';
import { summarizeProfile } from './lib/profile-summary.mjs';
import { apiRequest, fetchToken, provisionClient, signIn, startTessera, tokenRequest } from './lib/tessera.mjs';

const { values: opts } = parseArgs({
  options: {
    target: { type: 'string', default: 'token' },
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
    top: { type: 'string', default: '40' },
    keep: { type: 'string' },
    perf: { type: 'boolean', default: false },
  },
});
const targets = ['token', 'token-jwt', 'orgs-me', 'orgs-me-jwt'];
if (!targets.includes(opts.target)) throw new Error(`--target must be one of ${targets.join(', ')}`);
if (opts.perf && spawnSync('perf', ['--version']).error) throw new Error('--perf needs Linux perf on the PATH (Debian: apt-get install linux-perf)');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-profile-'));
const profDir = opts.keep ? path.resolve(opts.keep) : path.join(tmp, 'prof');
fs.mkdirSync(profDir, { recursive: true });
const perfData = path.join(profDir, 'perf.data');
const nodeArgs = opts.perf ? ['--perf-basic-prof-only-functions', '--interpreted-frames-native-stack'] : ['--cpu-prof', `--cpu-prof-dir=${profDir}`];
const tessera = await startTessera(tmp, { nodeArgs });
try {
  const call = await signIn(tessera.base, tessera.password);
  const jwt = opts.target.endsWith('jwt');
  const client = await provisionClient(call, 'profile-client', jwt ? 'ACCESS_TOKEN_TYPE_JWT' : 'ACCESS_TOKEN_TYPE_BEARER');
  const request = opts.target.startsWith('token') ? tokenRequest(tessera.base, client) : apiRequest(tessera.base, await fetchToken(tessera.base, client));
  // Warm up (JIT, caches) before anything is recorded, so the figures below are of the measured load alone.
  await issue({ request, connections: Number(opts.connections), amount: 5_000 });
  const recorder = opts.perf
    ? spawn('perf', ['record', '-F', '999', '-g', '-o', perfData, '-p', String(tessera.pid)], { stdio: ['ignore', 'ignore', 'inherit'] })
    : undefined;
  const before = cpuSplitMs(tessera.pid);
  const m = await measure({ pid: tessera.pid, request, connections: Number(opts.connections), duration: Number(opts.duration), warmup: 0 });
  const after = cpuSplitMs(tessera.pid);
  if (recorder) {
    recorder.kill('SIGINT');
    await new Promise((resolve) => recorder.once('exit', resolve));
  }
  const requests = m.ok + m.non2xx;
  const us = (ms) => ((ms * 1000) / requests).toFixed(1);
  console.log(`${opts.target}: ${m.req_s} req/s under the profiler, ${m.cpu_ms_per_req} ms CPU/req, non-2xx ${m.non2xx}`);
  console.log(`server CPU per request: user ${us(after.user - before.user)} us, system ${us(after.system - before.system)} us`);
} finally {
  await stopServer(tessera);
}
if (opts.perf) {
  const report = (...args) => spawnSync('perf', ['report', '-i', perfData, '--stdio', '-g', 'none', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  const lines = (text) => text.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  console.log('\nself time by object:');
  console.log(
    lines(report('--no-children', '--sort', 'dso'))
      .slice(0, 8)
      .join('\n'),
  );
  console.log('\nself time by symbol:');
  console.log(
    lines(report('--no-children', '--sort', 'sym'))
      .slice(0, Number(opts.top))
      .join('\n'),
  );
  console.log('\ninclusive time by JavaScript function:');
  console.log(
    lines(report('--children', '--sort', 'sym'))
      .filter((l) => l.includes('JS:'))
      .slice(0, Number(opts.top))
      .join('\n'),
  );
} else {
  const file = fs
    .readdirSync(profDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(profDir, f))
    .sort()
    .at(-1);
  if (!file) throw new Error('no profile written');
  console.log(summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')), Number(opts.top)));
  if (opts.keep) console.log(`profile: ${file}`);
}
if (opts.keep) console.log(`kept in ${profDir}`);
fs.rmSync(tmp, { recursive: true, force: true });
