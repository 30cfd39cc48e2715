// Start, watch and stop the servers under test. Loopback only; every process is stopped by PID.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const CLK_TCK = 100; // Linux USER_HZ

/** utime, stime, cutime and cstime of /proc/<pid>/stat, in ms (proc(5); the name before them skipped). */
function statMs(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ms = (i) => (Number(f[i]) * 1000) / CLK_TCK;
  return { user: ms(11), system: ms(12), reapedChildren: ms(13) + ms(14) };
}

/** CPU time (ms, user + system) a process has used so far. */
export function cpuMs(pid) {
  const { user, system } = statMs(pid);
  return user + system;
}

/** CPU time (ms) a process has spent in its own code (user) and in the kernel on its behalf (system). */
export function cpuSplitMs(pid) {
  const { user, system } = statMs(pid);
  return { user, system };
}

/** CPU time (ms) of this process's children that have ended and been waited for. */
export function reapedChildrenCpuMs() {
  return statMs('self').reapedChildren;
}

/** CPU time (ms) all cores of the machine have spent busy so far, whoever used it. */
export function machineCpuMs() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  const busy = f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0);
  return (busy * 1000) / CLK_TCK;
}

function statusMb(pid, field) {
  const kb = new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 102.4) / 10;
}

/** Resident memory now (VmRSS), in MB. */
export const rssMb = (pid) => statusMb(pid, 'VmRSS');

/** The most resident memory the process has had so far (VmHWM), in MB. */
export const peakRssMb = (pid) => statusMb(pid, 'VmHWM');

/** Output kept for error messages: the last 64 KiB, so a server logging every request cannot fill memory. */
const OUTPUT_TAIL = 64 * 1024;

/** Spawns a server and resolves once `url` answers 2xx (or it prints READY). */
export async function startServer(label, command, args, { env = {}, cwd, readyUrl, timeoutMs = 60_000 } = {}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let ready = false;
  const keep = (d) => {
    output += d;
    if (output.length > 2 * OUTPUT_TAIL) output = output.slice(-OUTPUT_TAIL);
    if (!ready && /^READY/m.test(output)) ready = true;
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited early:\n${output}`);
    if (readyUrl ? await answers(readyUrl) : ready) return { label, child, pid: child.pid, output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${label} not ready after ${timeoutMs} ms:\n${output}`);
}

async function answers(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

export async function stopServer(server) {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The ceiling: baseline-server.mjs, a bare node:http server with constant answers. */
export function startBaseline(port) {
  return startServer('baseline', process.execPath, [path.join(import.meta.dirname, '../baseline-server.mjs')], {
    env: { PORT: String(port) },
  });
}

/**
 * The floor: floor-server.mjs, node:http doing only the work a token needs (one read, the hashes, a seal or a
 * signature). `token` is a sealed token for its resource load.
 */
export async function startFloor(port) {
  const server = await startServer('floor', process.execPath, [path.join(import.meta.dirname, '../floor-server.mjs')], {
    env: { PORT: String(port) },
  });
  return { ...server, token: /^FLOOR_TOKEN (\S+)$/m.exec(server.output())[1] };
}

/** What is running (servers from startServer, or anything with a stop()), stopped newest first. */
export class Running {
  #list = [];

  add(handle) {
    this.#list.push(handle);
    return handle;
  }

  async stop(handle) {
    const i = this.#list.indexOf(handle);
    if (i >= 0) this.#list.splice(i, 1);
    await (handle.stop ? handle.stop() : stopServer(handle));
  }

  /** Nodes before the database they use: the reverse of the order they were started in. */
  async stopAll() {
    while (this.#list.length) await this.stop(this.#list.at(-1));
  }
}
