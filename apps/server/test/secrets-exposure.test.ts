import fs from 'node:fs';
import path from 'node:path';
import type { Response } from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { call, createServiceUser } from './support/service-users.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';

let t: TestApp;
afterEach(() => t?.cleanup());

/** Everything a response shows a client: status line aside, its headers and its raw body. */
const visible = (res: Response) => JSON.stringify(res.headers) + res.text;

/** Every value of every table (SQLite's FTS shadow tables included); blobs are read both as text and as hex. */
async function allRows(t: TestApp): Promise<string> {
  const tables = await t.storage.all<{ name: string }>(
    t.storage.engine === 'sqlite'
      ? "SELECT name FROM sqlite_master WHERE type = 'table'"
      : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  expect(tables.map((r) => r.name)).toContain('machine_secrets');
  const values: unknown[] = [];
  for (const { name } of tables) for (const row of await t.storage.all<object>(`SELECT * FROM "${name}"`)) values.push(...Object.values(row));
  return values.map((v) => (Buffer.isBuffer(v) ? `${v.toString('latin1')} ${v.toString('hex')}` : String(v))).join('\n');
}

/**
 * The files the database keeps its rows and log in: SQLite's file, WAL and SHM; on PostgreSQL this
 * database's folder and the cluster's write-ahead log, once a checkpoint has written the pages out.
 * Undefined when the PostgreSQL server's folder cannot be read from here (a server elsewhere, or
 * connected as a user that may not ask where it is).
 */
async function databaseFiles(t: TestApp): Promise<string[] | undefined> {
  if (t.storage.engine === 'sqlite') {
    t.db.pragma('wal_checkpoint(PASSIVE)');
    const files = fs.readdirSync(t.dir).filter((f) => f.startsWith('tessera.db'));
    expect(files).toContain('tessera.db');
    return files.map((f) => path.join(t.dir, f));
  }
  let folders: string[];
  try {
    // Both need a superuser (or the pg_checkpoint and pg_read_all_settings roles).
    await t.storage.run('CHECKPOINT');
    const { dir } = (await t.storage.one<{ dir: string }>("SELECT current_setting('data_directory') AS dir"))!;
    const { oid } = (await t.storage.one<{ oid: number }>('SELECT oid::bigint AS oid FROM pg_database WHERE datname = current_database()'))!;
    folders = [path.join(dir, 'base', String(oid)), path.join(dir, 'pg_wal')];
    for (const folder of folders) fs.accessSync(folder, fs.constants.R_OK);
  } catch {
    return undefined;
  }
  const files = folders.flatMap((folder) =>
    fs
      .readdirSync(folder, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(folder, e.name)),
  );
  expect(files.length).toBeGreaterThan(0);
  return files;
}

describe('the plaintext client secret', () => {
  it('appears in exactly one response and in no later response, log line or database byte', async (ctx) => {
    const lines: string[] = [];
    t = await createTestApp({ TESSERA_LOG_LEVEL: 'trace' }, undefined, { write: (line: string) => void lines.push(line) });
    const s = await signIn(t.app);
    const userId = await createServiceUser(s, 'exposure-check');

    const generated = await call(s, 'put', `/users/${userId}/secret`).expect(200);
    const secret = generated.body.clientSecret as string;
    expect(secret).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(generated.text).toContain(secret); // the one place it belongs

    const later: Response[] = [
      await call(s, 'get', `/users/${userId}`),
      await call(s, 'post', '/users/_search', { queries: [{ userNameQuery: { userName: 'exposure', method: 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE' } }] }),
      await call(s, 'post', `/users/${userId}/changes/_search`, {}),
      await call(s, 'put', `/users/${userId}/machine`, { name: 'Renamed' }),
      await call(s, 'post', `/users/${userId}/tokens/_revoke`),
      await call(s, 'post', `/users/${userId}/_deactivate`),
      await call(s, 'post', `/users/${userId}/_reactivate`),
      await call(s, 'get', '/orgs/me'),
      await call(s, 'get', '/users/1'),
      await s.agent.get('/api/session'),
      await call(s, 'put', `/users/${userId}/secret`), // a new secret, not the old one again
      await call(s, 'delete', `/users/${userId}/secret`),
      await call(s, 'post', `/users/${userId}/changes/_search`, {}),
    ];
    expect(later.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 404, 200, 200, 200, 200]);
    for (const res of later) expect(visible(res)).not.toContain(secret);

    expect(lines.length).toBeGreaterThan(later.length); // the request log did run
    expect(lines.join('')).not.toContain(secret);

    expect(await allRows(t)).not.toContain(secret);
    const files = await databaseFiles(t);
    if (!files) return ctx.skip("the PostgreSQL server's files are not readable from here");
    for (const file of files) {
      expect(fs.readFileSync(file).includes(Buffer.from(secret, 'ascii')), file).toBe(false);
    }
  });
});

describe("an API application's plaintext client secret", () => {
  it('appears in exactly one response and in no later response, log line, database row or file, introspection included', async (ctx) => {
    const lines: string[] = [];
    t = await createTestApp({ TESSERA_LOG_LEVEL: 'trace' }, undefined, { write: (line: string) => void lines.push(line) });
    const s = await signIn(t.app);
    const projectId = (await call(s, 'post', '/projects', { name: 'Exposure API' }).expect(200)).body.id as string;
    const added = await call(s, 'post', `/projects/${projectId}/apps/api`, { name: 'exposure' }).expect(200);
    const { appId, clientId, clientSecret: secret } = added.body as { appId: string; clientId: string; clientSecret: string };
    expect(secret).toMatch(/^[A-Za-z0-9]{64}$/);

    const later: Response[] = [
      await call(s, 'get', `/projects/${projectId}/apps/${appId}`),
      await call(s, 'post', `/projects/${projectId}/apps/_search`, {}),
      await call(s, 'get', `/projects/${projectId}`),
      await s.agent.post('/oauth/v2/introspect').auth(clientId, secret).type('form').send({ token: 'not-a-token' }),
      await call(s, 'post', `/projects/${projectId}/apps/${appId}/api_config/_generate_client_secret`, {}),
    ];
    expect(later.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const res of later) expect(visible(res)).not.toContain(secret);
    expect(lines.join('')).not.toContain(secret);
    expect(await allRows(t)).not.toContain(secret);
    const files = await databaseFiles(t);
    if (!files) return ctx.skip("the PostgreSQL server's files are not readable from here");
    for (const file of files) expect(fs.readFileSync(file).includes(Buffer.from(secret, 'ascii')), file).toBe(false);
  });
});
