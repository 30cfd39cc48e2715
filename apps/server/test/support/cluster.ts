import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, dropDatabase } from '../../../../scripts/throwaway-postgres.mjs';
import { freePort, startServerProcess, type ServerProcess } from './server-process.js';
import { ADMIN_PASSWORD } from './test-app.js';

/** The production example; the cluster runs it with its own addresses (see renderSite). */
const SITE_TEMPLATE = path.resolve(import.meta.dirname, '../../../../docs/deploy/nginx.conf');
const NOBODY = 65534;
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));

export interface ClusterOptions {
  nodes: number;
  /** Environment for every node (e.g. TESSERA_DATABASE_URL); each node gets its own PORT. */
  env?: Record<string, string>;
  /** Environment for node i alone, applied over env. */
  nodeEnv?: (i: number) => Record<string, string>;
  /**
   * Start node 0 before the others. On one shared database only the first start creates the
   * administrator (a scrypt hash); the others find it and skip the hash, which on a busy machine
   * starts the cluster sooner than three hashes at once.
   */
  firstAlone?: boolean;
}

export interface Cluster {
  /** nginx, round robin over the nodes. */
  url: string;
  /** Each node directly, by index; a node keeps its URL across kill and restart. */
  nodeUrls: string[];
  /** The running process of node i (its output, its exit), undefined while it is down. */
  node(i: number): ServerProcess | undefined;
  /** SIGKILL: node i dies mid-whatever, as in a crash. */
  kill(i: number): Promise<void>;
  /** Starts node i again on the same port and environment (stopping it first if it runs); resolves once /readyz is 200. */
  restart(i: number): Promise<void>;
  /** What nginx wrote (its error log). */
  nginxOutput(): string;
  stop(): Promise<void>;
}

/** host:port of the node that answered through nginx: the last address nginx tried (X-Upstream). */
export function answeredBy(res: Response): string {
  const tried = res.headers.get('x-upstream') ?? '';
  return tried.split(',').pop()!.trim();
}

export function nginxBinary(): string {
  const found = (process.env.PATH ?? '')
    .split(path.delimiter)
    .concat('/usr/sbin')
    .map((d) => path.join(d, 'nginx'))
    .find((p) => fs.existsSync(p));
  if (!found) throw new Error("nginx not found: install Debian's nginx (npm test installs it)");
  return found;
}

/**
 * docs/deploy/nginx.conf with the nodes as its upstream servers and a local listen address, plus an
 * X-Upstream response header naming the node that answered. Throws if the template lost the parts
 * replaced here, so the example cannot drift from what is tested.
 */
function renderSite(template: string, listen: string, nodes: string[]): string {
  let replaced = 0;
  let site = template.replace(/(upstream\s+tessera\s*\{)([^}]*)(\})/, (_m, open: string, body: string, close: string) => {
    replaced++;
    const rest = body.split('\n').filter((line) => !/^\s*server\s/.test(line));
    // A short fail_timeout: a restarted node is back in rotation within a second.
    const servers = nodes.map((n) => `    server ${n} max_fails=1 fail_timeout=1s;`);
    return `${open}\n${servers.join('\n')}${rest.join('\n')}${close}`;
  });
  site = site.replace(/^(\s*)listen\s+80;/m, (_m, indent: string) => {
    replaced++;
    return `${indent}listen ${listen};`;
  });
  site = site.replace(/(location \/ \{\n)/, (m) => {
    replaced++;
    return `${m}        add_header X-Upstream $upstream_addr always;\n`;
  });
  if (replaced !== 3) throw new Error(`${SITE_TEMPLATE} no longer has an "upstream tessera", a "listen 80;" and a "location / {"`);
  return site;
}

/** The group name of gid 65534 (nogroup on Debian, nobody elsewhere), for nginx's user directive. */
function nobodyGroup(): string {
  const line = fs
    .readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[2] === String(NOBODY));
  return line?.split(':')[0] ?? 'nogroup';
}

function mainConf(dir: string): string {
  const root = process.getuid?.() === 0;
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  return [
    // As root, nginx's workers would otherwise run as root too.
    root ? `user nobody ${nobodyGroup()};` : '',
    'worker_processes 1;',
    `pid ${path.join(dir, 'nginx.pid')};`,
    'error_log stderr warn;',
    'events { worker_connections 512; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${temp(t)}`),
    `  include ${path.join(dir, 'tessera.conf')};`,
    '}',
    '',
  ].join('\n');
}

async function waitFor(url: string, what: string, gone: () => string | undefined, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  let last = '';
  while (Date.now() < until) {
    const why = gone();
    if (why) throw new Error(`${what} ended: ${why}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} not ready within ${ms / 1000} s (${last})`);
}

function exitOf(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/**
 * N built servers (dist/main.js: run `pnpm build` first) with one environment, each on its own
 * 127.0.0.1 port, behind a real nginx running docs/deploy/nginx.conf. Every node gets TESSERA_ISSUER
 * = the nginx URL (tokens must be valid on every node) and TESSERA_TRUST_PROXY=1 unless env says
 * otherwise, and its own SQLite file unless env points elsewhere.
 */
export async function startCluster({ nodes: count, env = {}, nodeEnv = () => ({}), firstAlone = false }: ClusterOptions): Promise<Cluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cluster-'));
  // nginx's workers run as nobody when we are root: they must reach their temp folders in here.
  fs.chmodSync(dir, 0o711);
  const nginxPort = await freePort();
  const url = `http://127.0.0.1:${nginxPort}`;
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const nodeUrls = ports.map((p) => `http://127.0.0.1:${p}`);
  const procs: (ServerProcess | undefined)[] = new Array(count).fill(undefined);
  let nginx: ChildProcess | undefined;
  let nginxLog = '';

  const startNode = async (i: number) => {
    const nodeDir = path.join(dir, `node-${i}`);
    fs.mkdirSync(nodeDir, { recursive: true, mode: 0o700 });
    const proc = await startServerProcess(path.join(nodeDir, 'tessera.db'), {
      TESSERA_ISSUER: url,
      TESSERA_TRUST_PROXY: '1',
      ...env,
      ...nodeEnv(i),
      PORT: String(ports[i]),
    });
    procs[i] = proc;
    await waitFor(`${nodeUrls[i]}/readyz`, `node ${i}`, () => (proc.child.exitCode !== null ? proc.output() : undefined));
  };

  const stopNode = async (i: number, signal: NodeJS.Signals) => {
    const proc = procs[i];
    if (!proc) return;
    procs[i] = undefined;
    proc.child.kill(signal);
    await proc.exited;
  };

  // Should a test end without stop(): no node or nginx outlives the test process.
  const onExit = () => {
    nginx?.kill('SIGTERM');
    for (const p of procs) p?.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);

  const stopAll = async () => {
    process.off('exit', onExit);
    if (nginx) {
      const n = nginx;
      nginx = undefined;
      n.kill('SIGTERM');
      await exitOf(n);
    }
    await Promise.all(procs.map((_p, i) => stopNode(i, 'SIGTERM')));
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    if (firstAlone) await startNode(0);
    await Promise.all(ports.map((_p, i) => (firstAlone && i === 0 ? Promise.resolve() : startNode(i))));

    const nginxDir = path.join(dir, 'nginx');
    fs.mkdirSync(nginxDir, { mode: 0o755 });
    const site = renderSite(
      fs.readFileSync(SITE_TEMPLATE, 'utf8'),
      `127.0.0.1:${nginxPort}`,
      ports.map((p) => `127.0.0.1:${p}`),
    );
    fs.writeFileSync(path.join(nginxDir, 'tessera.conf'), site);
    fs.writeFileSync(path.join(nginxDir, 'nginx.conf'), mainConf(nginxDir));
    // -e: errors before the configuration is read go to stderr too, not to a system log file.
    const args = ['-p', nginxDir, '-c', path.join(nginxDir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'];
    // With a parent-death signal nginx goes down with this process even when it is SIGKILLed.
    const [cmd, argv] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'SIGTERM', nginxBinary(), ...args]] : [nginxBinary(), args];
    nginx = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const n = nginx;
    n.stdout!.on('data', (d: Buffer) => (nginxLog += d.toString()));
    n.stderr!.on('data', (d: Buffer) => (nginxLog += d.toString()));
    await waitFor(`${url}/healthz`, 'nginx', () => (n.exitCode !== null || n.signalCode !== null ? nginxLog || 'no output' : undefined));
  } catch (err) {
    await stopAll();
    throw err;
  }

  return {
    url,
    nodeUrls,
    node: (i) => procs[i],
    kill: (i) => stopNode(i, 'SIGKILL'),
    async restart(i) {
      await stopNode(i, 'SIGTERM');
      await startNode(i);
    },
    nginxOutput: () => nginxLog,
    stop: stopAll,
  };
}

/**
 * A throwaway database on the test PostgreSQL (TESSERA_TEST_DATABASE_URL) and `nodes` nodes on it
 * behind nginx; stop() ends the cluster and drops the database. Callers skip when the variable is unset.
 */
export async function startPgCluster(name: string, nodes = 3): Promise<Cluster & { databaseUrl: string }> {
  const server = process.env.TESSERA_TEST_DATABASE_URL;
  if (!server) throw new Error('startPgCluster needs TESSERA_TEST_DATABASE_URL (npm test starts a PostgreSQL and sets it)');
  const databaseUrl = await createDatabase(server, `${name}_${randomBytes(6).toString('hex')}`);
  let cluster: Cluster;
  try {
    cluster = await startCluster({ nodes, env: { TESSERA_DATABASE_URL: databaseUrl }, firstAlone: true });
  } catch (err) {
    await dropDatabase(databaseUrl);
    throw err;
  }
  return {
    ...cluster,
    databaseUrl,
    async stop() {
      await cluster.stop();
      await dropDatabase(databaseUrl);
    },
  };
}

/**
 * A console session held by hand over fetch, as a browser holds it: the session cookie (updated from
 * every response, since each one rolls it) and the CSRF token, whichever node or nginx is asked.
 */
export class ConsoleSession {
  private constructor(
    private cookie: string,
    readonly csrf: string,
  ) {}

  /** POST /api/session with a JSON body, as the console signs in. */
  static async signIn(base: string, username = 'admin', password = ADMIN_PASSWORD): Promise<{ session: ConsoleSession; res: Response }> {
    const res = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
    const cookie = sessionCookie(res);
    if (!cookie) throw new Error('sign-in set no session cookie');
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return { session: new ConsoleSession(cookie, csrfToken), res };
  }

  /** A call to /management/v1 (path after it) at base, with the cookie, and the CSRF header on writes. */
  async call(base: string, method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.cookie };
    if (method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}/management/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    this.cookie = sessionCookie(res) ?? this.cookie;
    return res;
  }
}

function sessionCookie(res: Response): string | undefined {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('tessera.sid='));
}

/**
 * POST /oauth/v2/token with Basic credentials and the guide's scopes. forwardedFor: the address the
 * node should count the attempt against (X-Forwarded-For, honoured under TESSERA_TRUST_PROXY=1 when
 * the node is called directly), so that tests which mean to fail authentication many times do not
 * meet the per-address throttle, which is not what they test.
 */
export function requestToken(
  base: string,
  clientId: string,
  clientSecret: string,
  { forwardedFor, scope = 'openid profile urn:zitadel:iam:org:project:id:zitadel:aud' }: { forwardedFor?: string; scope?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
  return fetch(`${base}/oauth/v2/token`, { method: 'POST', headers, body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString() });
}

/** GET /management/v1/orgs/me with a Bearer token: what a service user does with its token in the guide. */
export function bearerOrgMe(base: string, token: string): Promise<Response> {
  return fetch(`${base}/management/v1/orgs/me`, { headers: { authorization: `Bearer ${token}` } });
}
