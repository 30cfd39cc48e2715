import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, dropDatabase, startPostgres } from '../../../scripts/throwaway-postgres.mjs';
import { answeredBy, startCluster, type Cluster } from './support/cluster.js';

// The harness the multi-node tests stand on: a real nginx over built servers, and a real PostgreSQL.

const SCRIPT = path.resolve(import.meta.dirname, '../../../scripts/throwaway-postgres.mjs');
const hostPort = (url: string) => new URL(url).host;

/** A client whose connection may be cut by a stopping server without an unhandled 'error' event. */
function clientFor(url: string): pg.Client {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  c.on('error', () => {});
  return c;
}

async function selectOne(url: string): Promise<number> {
  const client = clientFor(url);
  try {
    await client.connect();
    return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one;
  } finally {
    await client.end().catch(() => {});
  }
}

async function within<T>(ms: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const refused = (url: string) =>
  selectOne(url).then(
    () => undefined,
    () => true as const,
  );

describe('a cluster of three nodes behind nginx', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ nodes: 3 });
  }, 60_000);
  afterAll(() => cluster?.stop(), 30_000);

  it('answers through nginx and spreads requests over every node', async () => {
    const answered = new Set<string>();
    for (let i = 0; i < 9; i++) {
      const res = await fetch(`${cluster.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
      answered.add(answeredBy(res));
    }
    expect([...answered].sort()).toEqual(cluster.nodeUrls.map(hostPort).sort());
  });

  it('keeps answering while a node is killed, skipping it, and takes it back once restarted', async () => {
    const dead = hostPort(cluster.nodeUrls[1]!);
    await cluster.kill(1);
    await expect(fetch(`${cluster.nodeUrls[1]}/healthz`)).rejects.toThrow();

    const tried: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${cluster.url}/readyz`);
      expect(res.status).toBe(200);
      expect(answeredBy(res)).not.toBe(dead);
      tried.push(res.headers.get('x-upstream')!);
    }
    // nginx did send requests to the dead node, and moved them on to a live one.
    expect(tried.some((t) => t.startsWith(`${dead}, `))).toBe(true);

    await cluster.restart(1);
    expect((await fetch(`${cluster.nodeUrls[1]}/readyz`)).status).toBe(200);
    await within(10_000, async () => {
      const res = await fetch(`${cluster.url}/healthz`);
      expect(res.status).toBe(200);
      return answeredBy(res) === dead ? true : undefined;
    });
  }, 30_000);
});

describe('a throwaway PostgreSQL', () => {
  it('serves SELECT 1 at its URL, and keeps every committed row across a crash-like stop and a start on the same URL', async () => {
    const server = await startPostgres();
    try {
      expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/tessera`);
      expect(await selectOne(server.url)).toBe(1);
      const other = await createDatabase(server.url, 'other_file');
      expect(other).toBe(`postgres://postgres@127.0.0.1:${server.port}/other_file`);
      expect(await selectOne(other)).toBe(1);
      await dropDatabase(other);
      expect(await refused(other)).toBe(true);

      const client = clientFor(server.url);
      await client.connect();
      await client.query('CREATE TABLE kept (n int)');
      await client.query('INSERT INTO kept VALUES (1), (2), (3)');
      await client.end();

      // Immediate shutdown (SIGQUIT): no checkpoint, recovery from the log on the next start, as
      // after a crash. A commit acknowledged before it must survive it.
      await server.stop({ keepData: true, mode: 'immediate' });
      expect(await refused(server.url)).toBe(true);
      const url = server.url;
      await server.start();
      expect(server.url).toBe(url);
      const again = clientFor(server.url);
      await again.connect();
      expect((await again.query('SELECT sum(n)::int AS s FROM kept')).rows).toEqual([{ s: 6 }]);
      await again.end();
    } finally {
      await server.stop();
    }
    expect(fs.existsSync(server.dir)).toBe(false);
    expect(await refused(server.url)).toBe(true);
  }, 60_000);

  it('goes down with the process that started it, even when that process is SIGKILLed', async () => {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { startPostgres } from ${JSON.stringify(SCRIPT)};
const pg = await startPostgres();
console.log(JSON.stringify({ url: pg.url, dir: pg.dir }));
setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((r) => child.once('exit', r));
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const { url, dir } = JSON.parse(line) as { url: string; dir: string };
    try {
      expect(await selectOne(url)).toBe(1);
      child.kill('SIGKILL');
      await exited;
      await within(5000, () => refused(url));
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('starts detached from the command line, printing one variable, and stops from it', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [SCRIPT, 'start']);
    const match = /^TESSERA_TEST_DATABASE_URL=(postgres:\/\/\S+)\n$/.exec(stdout);
    expect(match).not.toBeNull();
    const url = match![1]!;
    try {
      expect(await selectOne(url)).toBe(1);
    } finally {
      await run(process.execPath, [SCRIPT, 'stop'], { env: { ...process.env, TESSERA_TEST_DATABASE_URL: url } });
    }
    expect(await refused(url)).toBe(true);
  }, 30_000);
});
