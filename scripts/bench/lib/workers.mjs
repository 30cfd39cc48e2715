// pnpm bench --workers 1,2: the same loads on Tessera with each number of node:cluster workers
// (TESSERA_WORKERS), in rounds within one run. A primary and its workers are one server here: their
// CPU is summed over the primary's process tree, their RSS summed too. Each round starts fresh servers
// for every count, in turns (1 2, then 2 1, then 1 2, ...), so the machine's drift falls on both alike;
// one pair of loads moves by more than the difference looked for, the median of the rounds' ratios less.
import fs from 'node:fs';
import path from 'node:path';
import { processTree } from './cluster-cpu.mjs';
import { measure } from './load.mjs';
import { rssMb } from './processes.mjs';
import { apiRequest, fetchToken, provisionClient, signIn, startTessera, tokenRequest } from './tessera.mjs';

/** Rows {name, workers, round, ...measure()}; round counts from 1. */
export async function compareWorkers({ counts, rounds, tmp, load, env, running }) {
  const rows = [];
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 ? counts : [...counts].reverse();
    for (const n of order) {
      const dir = path.join(tmp, `workers-${n}-${round}`);
      fs.mkdirSync(dir);
      const server = await startTessera(dir, { extraEnv: { ...env, TESSERA_WORKERS: String(n) } });
      running.add(server);
      const pids = processTree(server.pid);
      if (pids.length !== (n > 1 ? n + 1 : 1)) throw new Error(`TESSERA_WORKERS=${n}: ${pids.length} processes, expected ${n > 1 ? n + 1 : 1}`);
      const call = await signIn(server.base, server.password);
      const opaque = await provisionClient(call, `bench-workers-${n}`, 'ACCESS_TOKEN_TYPE_BEARER');
      const jwt = await provisionClient(call, `bench-workers-jwt-${n}`, 'ACCESS_TOKEN_TYPE_JWT');
      const row = async (name, request) => {
        const m = await measure({ pids, request, ...load });
        rows.push({ name: `${name}, ${n} worker${n > 1 ? 's' : ''}`, workers: n, round, ...m, rss_mb: Math.round(pids.reduce((a, p) => a + rssMb(p), 0)) });
      };
      await row('token (opaque)', tokenRequest(server.base, opaque));
      await row('token (JWT)', tokenRequest(server.base, jwt));
      await row('orgs/me (opaque)', apiRequest(server.base, await fetchToken(server.base, opaque)));
      await running.stop(server);
    }
  }
  return rows;
}
