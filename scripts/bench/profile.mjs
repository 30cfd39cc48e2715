#!/usr/bin/env node
// node scripts/bench/profile.mjs [--target token|token-jwt|orgs-me|orgs-me-jwt] [--duration S] [--top N] [--keep DIR]
//
// Runs Tessera from the build under `node --cpu-prof`, loads one endpoint, and prints where the CPU
// went: self time by function and by package or file. A tool for finding costs, not a benchmark:
// the profiler itself slows the server down.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measure } from './lib/load.mjs';
import { stopServer } from './lib/processes.mjs';
import { summarizeProfile } from './lib/profile-summary.mjs';
import { apiRequest, fetchToken, provisionClient, signIn, startTessera, tokenRequest } from './lib/tessera.mjs';

const { values: opts } = parseArgs({
  options: {
    target: { type: 'string', default: 'token' },
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
    top: { type: 'string', default: '40' },
    keep: { type: 'string' },
  },
});
const targets = ['token', 'token-jwt', 'orgs-me', 'orgs-me-jwt'];
if (!targets.includes(opts.target)) throw new Error(`--target must be one of ${targets.join(', ')}`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-profile-'));
const profDir = opts.keep ? path.resolve(opts.keep) : path.join(tmp, 'prof');
fs.mkdirSync(profDir, { recursive: true });
const tessera = await startTessera(tmp, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] });
try {
  const call = await signIn(tessera.base, tessera.password);
  const jwt = opts.target.endsWith('jwt');
  const client = await provisionClient(call, 'profile-client', jwt ? 'ACCESS_TOKEN_TYPE_JWT' : 'ACCESS_TOKEN_TYPE_BEARER');
  const request = opts.target.startsWith('token') ? tokenRequest(tessera.base, client) : apiRequest(tessera.base, await fetchToken(tessera.base, client));
  const m = await measure({ pid: tessera.pid, request, connections: Number(opts.connections), duration: Number(opts.duration) });
  console.log(`${opts.target}: ${m.req_s} req/s under the profiler, ${m.cpu_ms_per_req} ms CPU/req, non-2xx ${m.non2xx}`);
} finally {
  await stopServer(tessera);
}
const file = fs
  .readdirSync(profDir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => path.join(profDir, f))
  .sort()
  .at(-1);
if (!file) throw new Error('no profile written');
console.log(summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')), Number(opts.top)));
if (opts.keep) console.log(`profile: ${file}`);
fs.rmSync(tmp, { recursive: true, force: true });
