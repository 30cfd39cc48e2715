import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { closeContext, createContext, type AppContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
import { oauthHotPath } from '../src/oauth/hot-path.js';
import { oauthRouter } from '../src/oauth/router.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { createClient, tokenRequest, type Client } from './support/tokens.js';

let t: TestApp;
let c: Client;
let ctx: AppContext;
const lines: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  c = await createClient(await signIn(t.app), 'logged');
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  // A second context on the same database, logging at info into memory.
  ctx = await createContext(t.config, t.storage, createLogger('info', sink));
});
afterAll(async () => {
  await closeContext(ctx);
  await t.cleanup();
});

describe('the OAuth boundary', () => {
  it('logs one line per token request with its request id, and never a credential or token', async () => {
    lines.length = 0;
    const res = await tokenRequest(createApp(ctx), c).set('X-Request-Id', 'job-42').expect(200);
    expect(res.headers['x-request-id']).toBe('job-42');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    await new Promise((resolve) => setImmediate(resolve));
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({
        msg: 'request completed',
        reqId: 'job-42',
        req: expect.objectContaining({ method: 'POST', path: '/oauth/v2/token' }),
        res: { statusCode: 200 },
      }),
    ]);
    const all = lines.join('\n');
    expect(all).not.toContain(c.clientSecret);
    expect(all).not.toContain(res.body.access_token);
    expect(all.toLowerCase()).not.toContain('authorization');
  });

  it('answers an unexpected failure with 500 server_error in the OAuth shape, and logs it', async () => {
    const broken = await createContext(t.config, t.storage, ctx.logger);
    broken.tokens.issue = () => {
      throw new Error('disk on fire');
    };
    lines.length = 0;
    const res = await tokenRequest(createApp(broken), c).expect(500);
    await closeContext(broken);
    expect(res.body).toEqual({ error: 'server_error', error_description: 'internal error' });
    expect(res.headers['cache-control']).toBe('no-store');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.some((l) => l.includes('disk on fire'))).toBe(true);
    expect(lines.join('\n')).not.toContain(c.clientSecret);
  });

  it('is complete as an Express router too, without the front door', async () => {
    const app = express().use(oauthRouter(ctx, oauthHotPath(ctx)));
    await tokenRequest(app, c).expect(200);
    await request(app).get('/oauth/v2/keys').expect(200);
    await request(app).put('/oauth/v2/token').expect(405);
  });

  it('ignores a query string on the hot routes and leaves other paths to Express', async () => {
    const app = createApp(ctx);
    await request(app).post('/oauth/v2/token?x=1').set('Authorization', 'Basic eDp5').type('form').send('grant_type=client_credentials').expect(401);
    await request(app).get('/healthz').expect(200);
    await request(app).get('/management/v1/orgs/me').expect(401);
  });
});
