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

/** Every value of every table (FTS shadow tables included); blobs are read both as text and as hex. */
function allRows(t: TestApp): string {
  const tables = t.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  const values = tables.flatMap((name) =>
    (t.db.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][]).flat(),
  );
  return values.map((v) => (Buffer.isBuffer(v) ? `${v.toString('latin1')} ${v.toString('hex')}` : String(v))).join('\n');
}

describe('the plaintext client secret', () => {
  it('appears in exactly one response and in no later response, log line or database byte', async () => {
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

    expect(allRows(t)).not.toContain(secret);
    t.db.pragma('wal_checkpoint(PASSIVE)');
    const dbFiles = fs.readdirSync(t.dir).filter((f) => f.startsWith('tessera.db'));
    expect(dbFiles).toContain('tessera.db');
    for (const file of dbFiles) {
      expect(fs.readFileSync(path.join(t.dir, file)).includes(Buffer.from(secret, 'ascii'))).toBe(false);
    }
  });
});
