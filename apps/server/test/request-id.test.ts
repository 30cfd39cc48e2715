import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { accessToken, basic, createClient, grantOrgRoles, type Client } from './support/tokens.js';

// A caller's X-Request-Id is echoed and logged as sent, so it must not be able to carry a
// credential into the log: only a UUID or up to 36 characters of [A-Za-z0-9._-] are kept, shorter
// than a client secret (64), a CSRF token (43) or an access token. And every boundary logs a
// query string the same way: never its value, only that there was one.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SECRET_LIKE = 'Zq8kYv3RmT0pWn6sXc1bLd9hFg4jKa2eUo7iNy5tQr0wEm3zVx8uCb6nMl1oPs4A';

let t: TestApp;
let s: SignedIn;
let client: Client;
let token: string;
const lines: { reqId?: string; req?: { method: string; path: string } }[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  t = await createTestApp({ TESSERA_LOG_LEVEL: 'info' }, undefined, sink);
  s = await signIn(t.app);
  client = await createClient(s, 'request-id-bot');
  await grantOrgRoles(t.storage, s.whoami.orgId, client.userId, ['ORG_OWNER']);
  token = await accessToken(t.app, client);
});
afterAll(() => t.cleanup());
beforeEach(() => {
  lines.length = 0;
});

const settle = () => new Promise((resolve) => setImmediate(resolve));
const M = '/management/v1';

/** One request per boundary: the OAuth hot path, the OAuth router in Express, Bearer calls, Express. */
const boundaries: [string, (target: string) => request.Test, string][] = [
  [
    'the OAuth hot path',
    (q) => request(t.app).post(`/oauth/v2/introspect${q}`).set('Authorization', basic(client.clientId, client.clientSecret)).type('form').send({ token: 'x' }),
    '/oauth/v2/introspect',
  ],
  ['the OAuth routes in Express', (q) => request(t.app).get(`/.well-known/openid-configuration${q}`), '/.well-known/openid-configuration'],
  ['the Bearer path', (q) => request(t.app).get(`${M}/orgs/me${q}`).set('Authorization', `Bearer ${token}`), `${M}/orgs/me`],
  ['Express (console session)', (q) => s.agent.get(`${M}/orgs/me${q}`), `${M}/orgs/me`],
  ['Express (health)', (q) => request(t.app).get(`/healthz${q}`), '/healthz'],
];

describe('X-Request-Id', () => {
  const kept = ['job-42', '3f2a6c1e-9b7d-4e0f-8a5b-1c2d3e4f5a6b', 'A'.repeat(36), 'v1.2_build-7'];
  const refused = [
    ['37 characters', 'a'.repeat(37)],
    ['a client secret', SECRET_LIKE],
    ['a space', 'job 42'],
    ['a colon', 'Basic:x'],
    ['a slash', 'a/b'],
    ['non-ASCII', 'jöb'],
  ];

  for (const [name, send] of boundaries) {
    it(`${name}: keeps a short safe id and a UUID, echoed and logged`, async () => {
      for (const id of kept) {
        const res = await send('').set('X-Request-Id', id);
        expect(res.headers['x-request-id'], id).toBe(id);
      }
      await settle();
      expect(lines.map((l) => l.reqId)).toEqual(kept);
    });

    it(`${name}: replaces anything else with a fresh UUID, echoed and logged in its place`, async () => {
      const answered: string[] = [];
      for (const [, id] of refused) {
        const res = await send('').set('X-Request-Id', id!);
        expect(res.headers['x-request-id'], id).toMatch(UUID);
        answered.push(res.headers['x-request-id']!);
      }
      await settle();
      expect(lines.map((l) => l.reqId)).toEqual(answered);
      const all = JSON.stringify(lines);
      expect(all).not.toContain(SECRET_LIKE);
      expect(all).not.toContain('a'.repeat(37));
    });
  }
});

describe('the logged path', () => {
  for (const [name, send, path] of boundaries) {
    it(`${name}: marks a query string as [redacted], never logs its value`, async () => {
      await send(`?token=${SECRET_LIKE}&x=1`);
      await send('');
      await send('?flag');
      await settle();
      expect(lines.map((l) => l.req?.path)).toEqual([`${path}?[redacted]`, path, `${path}?[redacted]`]);
      expect(JSON.stringify(lines)).not.toContain(SECRET_LIKE);
    });
  }
});
