import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { ADMIN_PASSWORD } from './support/test-app.js';

let dir: string;
let server: ServerProcess | undefined;
afterEach(() => {
  server?.child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

async function session(base: string) {
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (method: string, p: string, body?: unknown) =>
    fetch(`${base}/management/v1${p}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

interface Acked {
  users: Map<string, string>; // userId -> username
  secret: Map<string, boolean>; // userId -> has a secret after the last acknowledged write
  granted: Set<string>;
}

describe('crash safety', () => {
  it('keeps every acknowledged write and no half-applied one after SIGKILL mid-stream', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-crash-'));
    const dbFile = path.join(dir, 'tessera.db');
    server = await startServerProcess(dbFile);
    const call = await session(server.base);
    const acked: Acked = { users: new Map(), secret: new Map(), granted: new Set() };

    // A stream of writes with several requests in flight at once; the kill lands in the middle of it.
    let stop = false;
    const writer = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const userName = `crash-${lane}-${i}`;
          const created = await call('POST', '/users/machine', { userName, name: userName });
          if (created.status !== 200) continue;
          const { userId } = (await created.json()) as { userId: string };
          acked.users.set(userId, userName);
          if ((await call('PUT', `/users/${userId}/secret`)).status === 200) acked.secret.set(userId, true);
          if (i % 3 === 0 && (await call('DELETE', `/users/${userId}/secret`)).status === 200) acked.secret.set(userId, false);
          if (i % 2 === 0 && (await call('POST', '/orgs/me/members', { userId, roles: ['ORG_USER_MANAGER'] })).status === 200) {
            acked.granted.add(userId);
          }
        } catch {
          return; // the server is gone
        }
      }
    };
    const lanes = [0, 1, 2, 3].map(writer);
    await new Promise((r) => setTimeout(r, 1500));
    server.child.kill('SIGKILL');
    stop = true;
    await Promise.all(lanes);
    await server.exited;
    expect(acked.users.size).toBeGreaterThan(5);

    const db = new Database(dbFile);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const users = new Map(
      (db.prepare("SELECT id, username FROM users WHERE type = 'machine'").all() as { id: string; username: string }[]).map((u) => [u.id, u.username]),
    );
    for (const [id, name] of acked.users) expect(users.get(id), name).toBe(name);
    const secrets = new Set(db.prepare('SELECT user_id FROM machine_secrets').pluck().all() as string[]);
    for (const [id, has] of acked.secret) {
      // The last acknowledged write wins; a later unacknowledged one may or may not have landed, but whole.
      if (has) expect(secrets.has(id) || eventAfter(db, id, 'user.machine.secret.removed'), id).toBe(true);
    }
    const members = new Set(db.prepare('SELECT user_id FROM org_members').pluck().all() as string[]);
    for (const id of acked.granted) expect(members.has(id), id).toBe(true);

    // Nothing half-applied: every user has its creation event and its row's sequence is its newest event.
    const orphans = db
      .prepare(
        `SELECT u.id FROM users u WHERE u.type = 'machine' AND (
           NOT EXISTS (SELECT 1 FROM events e WHERE e.aggregate_id = u.id AND e.type = 'user.machine.added')
           OR u.sequence <> (SELECT max(sequence) FROM events e WHERE e.aggregate_type = 'user' AND e.aggregate_id = u.id))`,
      )
      .all();
    expect(orphans).toEqual([]);
    const secretWithoutEvent = db
      .prepare(
        `SELECT s.user_id FROM machine_secrets s WHERE NOT EXISTS
           (SELECT 1 FROM events e WHERE e.aggregate_id = s.user_id AND e.type = 'user.machine.secret.set')`,
      )
      .all();
    expect(secretWithoutEvent).toEqual([]);
    db.close();

    // And the server comes back on the same file and serves what it acknowledged.
    server = await startServerProcess(dbFile);
    const again = await session(server.base);
    const [anyId] = acked.users.keys();
    expect((await again('GET', `/users/${anyId}`)).status).toBe(200);
  });
});

function eventAfter(db: Database.Database, userId: string, type: string): boolean {
  return !!db.prepare('SELECT 1 FROM events WHERE aggregate_id = ? AND type = ?').get(userId, type);
}
