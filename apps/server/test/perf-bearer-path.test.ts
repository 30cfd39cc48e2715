import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestListener } from 'node:http';
import { requestLog } from '../src/http/request-log.js';
import { adminRouter } from '../src/management/admin.js';
import { managementRouter } from '../src/management/router.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { accessToken, createClient, grantOrgRoles, type Client } from './support/tokens.js';

// Bearer calls to the management API are answered before Express (management/bearer-path.ts).
// Express's router over the same endpoints is the reference: for every request below, both must
// give the same status, body and headers.
let t: TestApp;
let s: SignedIn;
let owner: Client;
let token: string;
let expressOnly: RequestListener;
beforeAll(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
  owner = await createClient(s, 'parity-owner');
  await grantOrgRoles(t.storage, s.whoami.orgId, owner.userId, ['ORG_OWNER']);
  token = await accessToken(t.app, owner);
  const app = express();
  app.set('etag', false);
  app.disable('x-powered-by');
  app.use(requestLog(t.ctx.logger));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.use('/management/v1', managementRouter(t.ctx));
  app.use('/admin/v1', adminRouter(t.ctx));
  expressOnly = app;
});
afterAll(() => t.cleanup());

type Send = (app: RequestListener) => request.Test;

async function both(send: Send) {
  const [fast, ref] = await Promise.all([send(t.app), send(expressOnly)]);
  // Response times and view timestamps differ between the two calls; nothing else may.
  const stamp = (text: string | undefined) => text?.replace(/"viewTimestamp":"[^"]*"/g, '"viewTimestamp":"-"');
  const view = (r: request.Response) => ({
    status: r.status,
    text: stamp(r.text),
    cacheControl: r.headers['cache-control'],
    contentType: r.headers['content-type'],
    nosniff: r.headers['x-content-type-options'],
    requestId: typeof r.headers['x-request-id'],
  });
  expect(view(fast)).toEqual(view(ref));
  return fast;
}

const M = '/management/v1';
const bearer = (app: RequestListener, method: 'get' | 'post' | 'put' | 'delete' | 'head' | 'patch' | 'options', path: string, auth = `Bearer ${token}`) =>
  request(app)[method](path).set('Authorization', auth);

describe('Bearer calls answered before Express', () => {
  it('match Express for the guide call, ignoring case, a trailing slash and a query string; HEAD is served by GET', async () => {
    expect((await both((a) => bearer(a, 'get', `${M}/orgs/me`))).status).toBe(200);
    expect((await both((a) => bearer(a, 'get', `${M}/ORGS/Me/`))).status).toBe(200);
    expect((await both((a) => bearer(a, 'get', `${M}/orgs/me?x=1`))).status).toBe(200);
    const head = await both((a) => bearer(a, 'head', `${M}/orgs/me`));
    expect(head.status).toBe(200);
    expect(head.text ?? '').toBe('');
    expect((await both((a) => bearer(a, 'get', `${M}/orgs/me//`))).status).toBe(404);
  });

  it('match Express on path parameters, good and bad', async () => {
    expect((await both((a) => bearer(a, 'get', `${M}/users/${owner.userId}`))).status).toBe(200);
    expect((await both((a) => bearer(a, 'get', `${M}/users/123456789`))).status).toBe(404);
    expect((await both((a) => bearer(a, 'get', `${M}/users/abc`))).body.details[0].id).toBe('ID-INVALID');
    expect((await both((a) => bearer(a, 'get', `${M}/users/%31%32`))).body.details[0].id).toBe('USER-NotFound');
    const bad = await both((a) => bearer(a, 'get', `${M}/users/%E0%A4%A`));
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].id).toBe('PATH-INVALID');
  });

  it('match Express on bodies: JSON, none, malformed, wrong type, too large, invalid', async () => {
    const search = { query: { limit: 5 } };
    expect((await both((a) => bearer(a, 'post', `${M}/users/_search`).send(search))).status).toBe(200);
    expect((await both((a) => bearer(a, 'post', `${M}/users/_search`))).status).toBe(200);
    const malformed = await both((a) => bearer(a, 'post', `${M}/users/_search`).type('json').send('{"query":'));
    expect(malformed.body.details[0].id).toBe('BODY-INVALID');
    const text = await both((a) => bearer(a, 'post', `${M}/users/_search`).type('text').send('query'));
    expect(text.body.details[0].id).toBe('BODY-CONTENT-TYPE');
    const large = await both((a) => bearer(a, 'post', `${M}/users/_search`).send({ pad: 'x'.repeat(70_000) }));
    expect(large.status).toBe(413);
    const invalid = await both((a) => bearer(a, 'post', `${M}/users/machine`).send({ userName: '' }));
    expect(invalid.status).toBe(400);
    const primitive = await both((a) => bearer(a, 'post', `${M}/users/_search`).type('json').send('42'));
    expect(primitive.status).toBe(400);
  });

  it('match Express on authentication and its order: the body is read first, unknown paths need a caller', async () => {
    expect((await both((a) => bearer(a, 'get', `${M}/orgs/me`, 'Bearer not-a-token'))).body.details[0].id).toBe('AUTH-7fs1e');
    expect((await both((a) => bearer(a, 'get', `${M}/orgs/me`, 'Basic eDp5'))).status).toBe(401);
    expect((await both((a) => bearer(a, 'get', `${M}/orgs/me`, ''))).status).toBe(401);
    const noAud = await accessToken(t.app, owner, 'openid');
    expect((await both((a) => bearer(a, 'get', `${M}/orgs/me`, `Bearer ${noAud}`))).body.details[0].id).toBe('AUTH-aud0m');
    expect((await both((a) => bearer(a, 'post', `${M}/users/_search`, 'Bearer nope').type('json').send('{'))).status).toBe(400);
    expect((await both((a) => bearer(a, 'get', `${M}/nothing`, 'Bearer nope'))).status).toBe(401);
    const unknown = await both((a) => bearer(a, 'get', `${M}/nothing/here`));
    expect(unknown.body).toEqual({
      code: 5,
      message: 'no such endpoint: GET /management/v1/nothing/here',
      details: [{ id: 'ROUTE-NOT-FOUND', message: 'no such endpoint' }],
    });
    expect((await both((a) => bearer(a, 'patch', `${M}/orgs/me`))).status).toBe(404);
    expect((await both((a) => bearer(a, 'options', `${M}/orgs/me`))).status).toBe(404);
  });

  it('match Express on the organization header and on permissions', async () => {
    const bad = await both((a) => bearer(a, 'get', `${M}/orgs/me`).set('x-zitadel-orgid', 'acme'));
    expect(bad.body.details[0].id).toBe('ORG-HEADER');
    expect((await both((a) => bearer(a, 'get', `${M}/orgs/me`).set('x-zitadel-orgid', '987654321'))).status).toBe(403);
    expect((await both((a) => bearer(a, 'post', '/admin/v1/orgs/_search').send({}))).status).toBe(403);
    expect((await both((a) => bearer(a, 'get', '/admin/v1/nothing'))).status).toBe(404);
  });

  it('leave session calls and other paths to Express', async () => {
    await s.agent.get(`${M}/orgs/me`).expect(200);
    await request(t.app).get(`${M}/orgs/me`).expect(401);
    await bearer(t.app, 'get', '/healthz').expect(200);
  });
});
