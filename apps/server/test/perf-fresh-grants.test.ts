import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { closeContext, createContext, type AppContext } from '../src/context.js';
import { accessLog } from '../src/http/request-log.js';
import { createLogger } from '../src/logger.js';
import { call } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { accessToken, basic, createClient, type Client } from './support/tokens.js';

// The Bearer path reads grants and user state on every call (no cache may outlive a command):
// every change made through the API holds from the very next request, and every call is logged.
let t: TestApp;
let s: SignedIn;
const M = '/management/v1';
beforeAll(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
});
afterAll(() => t.cleanup());

const orgsMe = (app: App, token: string) => request(app).get(`${M}/orgs/me`).set('Authorization', `Bearer ${token}`);
const search = (app: App, token: string) =>
  request(app)
    .post(`${M}/users/_search`)
    .set('Authorization', `Bearer ${token}`)
    .send({ query: { limit: 1 } });
const rename = (app: App, token: string, name: string) => request(app).put(`${M}/orgs/me`).set('Authorization', `Bearer ${token}`).send({ name });

async function owner(name: string): Promise<{ client: Client; token: string }> {
  const client = await createClient(s, name);
  await call(s, 'post', '/orgs/me/members', { userId: client.userId, roles: ['ORG_OWNER'] }).expect(200);
  return { client, token: await accessToken(t.app, client) };
}

describe('changes made through the API hold on the next Bearer call', () => {
  it('removing and downgrading a manager', async () => {
    const { client, token } = await owner('fresh-manager');
    await rename(t.app, token, 'Tessera renamed').expect(200);
    await call(s, 'put', `/orgs/me/members/${client.userId}`, { roles: ['ORG_OWNER_VIEWER'] }).expect(200);
    await rename(t.app, token, 'Tessera').expect(403);
    await orgsMe(t.app, token).expect(200);
    await call(s, 'delete', `/orgs/me/members/${client.userId}`).expect(200);
    await orgsMe(t.app, token).expect(403);
    await search(t.app, token).expect(403);
    await call(s, 'post', '/orgs/me/members', { userId: client.userId, roles: ['ORG_OWNER'] }).expect(200);
    await orgsMe(t.app, token).expect(200);
  });

  it('deactivating, reactivating and revoking tokens', async () => {
    const { client, token } = await owner('fresh-lifecycle');
    await orgsMe(t.app, token).expect(200);
    await call(s, 'post', `/users/${client.userId}/_deactivate`, {}).expect(200);
    await orgsMe(t.app, token).expect(401);
    await call(s, 'post', `/users/${client.userId}/_reactivate`, {}).expect(200);
    await orgsMe(t.app, token).expect(401); // issued before the deactivation: refused for good
    const second = await accessToken(t.app, client);
    await orgsMe(t.app, second).expect(200);
    await call(s, 'post', `/users/${client.userId}/tokens/_revoke`, {}).expect(200);
    await orgsMe(t.app, second).expect(401);
    const third = await accessToken(t.app, client);
    await orgsMe(t.app, third).expect(200);
    await request(t.app)
      .post('/oauth/v2/revoke')
      .set('Authorization', basic(client.clientId, client.clientSecret))
      .type('form')
      .send({ token: third })
      .expect(200);
    await orgsMe(t.app, third).expect(401);
  });

  it('removing the service user', async () => {
    const { client, token } = await owner('fresh-removed');
    await orgsMe(t.app, token).expect(200);
    await call(s, 'delete', `/users/${client.userId}`).expect(200);
    await orgsMe(t.app, token).expect(401);
  });
});

describe('the access log', () => {
  let ctx: AppContext;
  let app: App;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    ctx = await createContext(t.config, t.storage, createLogger('info', sink));
    app = createApp(ctx);
  });
  afterAll(() => closeContext(ctx));
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('writes one line per Bearer call, console call and page, with the request id and never a credential', async () => {
    const { token } = await owner('logged-caller');
    lines.length = 0;
    const res = await orgsMe(app, token).set('X-Request-Id', 'job-7').query({ secret: 'in-the-query' }).expect(200);
    expect(res.headers['x-request-id']).toBe('job-7');
    await request(app).get(`${M}/users/abc`).set('Authorization', `Bearer ${token}`).expect(400);
    const console = await signIn(app);
    await console.agent.get(`${M}/orgs/me`).expect(200);
    await request(app).get('/healthz').expect(200);
    await settle();
    const brief = lines.map((l) => [l.msg, (l.req as { method: string; path: string }).path, (l.res as { statusCode: number }).statusCode]);
    expect(brief).toEqual([
      ['request completed', `${M}/orgs/me?[redacted]`, 200],
      ['request completed', `${M}/users/abc`, 400],
      ['request completed', '/api/session', 200],
      ['request completed', `${M}/orgs/me`, 200],
      ['request completed', '/healthz', 200],
    ]);
    expect(lines[0]).toEqual({
      level: 30,
      time: expect.any(Number),
      pid: process.pid,
      hostname: expect.any(String),
      reqId: 'job-7',
      req: { method: 'GET', path: `${M}/orgs/me?[redacted]`, remoteAddress: expect.any(String) },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
      msg: 'request completed',
    });
    for (const l of lines.slice(1)) expect(l.reqId).toMatch(/^[0-9a-f-]{36}$/);
    const all = JSON.stringify(lines);
    expect(all).not.toContain(token);
    expect(all).not.toContain('in-the-query');
    expect(all).not.toContain(console.csrf);
    expect(all.toLowerCase()).not.toContain('authorization');
    expect(all).not.toContain('tessera.sid');
  });

  it('logs a 5xx at error level', async () => {
    const { token } = await owner('logged-failure');
    const broken = await createContext(t.config, t.storage, ctx.logger);
    broken.authorizer.authorizeInOrg = async () => {
      throw new Error('disk on fire');
    };
    lines.length = 0;
    const res = await orgsMe(createApp(broken), token).expect(500);
    await closeContext(broken);
    expect(res.body.details[0].id).toBe('INTERNAL');
    await settle();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'unhandled error'],
      [50, 'request errored'],
    ]);
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it('logs a call the client gave up on before the answer', async () => {
    // A handler that never answers: the client leaves first.
    const log = accessLog(ctx.logger);
    const server = http.createServer((req, res) => log(req, res, '/slow')).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    lines.length = 0;
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.close();
    expect(lines.map((l) => [l.msg, (l.req as { path: string }).path])).toEqual([['request aborted', '/slow']]);
  });
});
