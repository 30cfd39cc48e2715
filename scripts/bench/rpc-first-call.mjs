#!/usr/bin/env node
// node scripts/bench/rpc-first-call.mjs (after pnpm build)
//
// What the first RPC costs a running server: ZITADEL's service descriptors and Connect load on the first
// call to a /zitadel.* path (apps/server/src/rpc/services.ts), never before. Prints the server's RSS before
// and after that call, the first call's latency, and the median of the next 20 (Connect's Healthz, which needs
// no token), on a fresh database in a temporary folder.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './lib/processes.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-rpc-bench-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [path.resolve(import.meta.dirname, '../../apps/server/dist/main.js')], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    TESSERA_DB: path.join(dir, 'tessera.db'),
    TESSERA_ADMIN_PASSWORD: 'bench-password-1',
    TESSERA_LOG_LEVEL: 'warn',
    TESSERA_WORKERS: '1', // one process, whose RSS is read
  },
  stdio: 'ignore',
});
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024;
const settle = () => new Promise((r) => setTimeout(r, 500));
const rpc = async () => {
  const start = performance.now();
  const res = await fetch(`${url}/zitadel.management.v1.ManagementService/Healthz`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!res.ok) throw new Error(`Healthz answered ${res.status}`);
  await res.text();
  return performance.now() - start;
};
try {
  for (let i = 0; ; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 100) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  for (let i = 0; i < 200; i++) await (await fetch(`${url}/healthz`)).text();
  await settle();
  const before = rssMb();
  const first = await rpc();
  const later = [];
  for (let i = 0; i < 20; i++) later.push(await rpc());
  await settle();
  const after = rssMb();
  later.sort((a, b) => a - b);
  console.log(`RSS before any RPC ${before.toFixed(1)} MB, after the first ${after.toFixed(1)} MB (+${(after - before).toFixed(1)} MB)`);
  console.log(`first RPC ${first.toFixed(0)} ms, the next 20: median ${later[10].toFixed(1)} ms`);
} finally {
  server.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
}
