import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ADMIN_PASSWORD } from './test-app.js';

const MAIN = path.resolve(import.meta.dirname, '../../dist/main.js');
const START_TIMEOUT_MS = 30_000;

export interface ServerProcess {
  base: string;
  child: ChildProcess;
  output: () => string;
  /** What the process wrote to each stream alone: JSON log lines go to stdout, the start banner to stderr. */
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The built server (dist/main.js) as a real process on the given database file, on a free port
 * unless env.PORT names one (a node that restarts behind a load balancer keeps its address).
 */
export async function startServerProcess(dbFile: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TESSERA_DB: dbFile,
      TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      TESSERA_LOG_LEVEL: 'warn',
      // One process unless a test asks for workers (workers.test.ts): the cores here are the tests'.
      TESSERA_WORKERS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
    stderr += d.toString();
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  // Time, not attempts: on a busy machine a start (loading the code, migrating, hashing the first
  // administrator's password) takes several seconds, and each attempt itself can take long.
  const until = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { base, child, output: () => out, stdout: () => stdout, stderr: () => stderr, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${out}`);
}
