import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { accessToken, createClient, grantOrgRoles } from './support/tokens.js';

const APP = 'https://app.example';

function problems(value: string): string[] {
  try {
    loadConfig({ TESSERA_CORS_ORIGINS: value });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('TESSERA_CORS_ORIGINS', () => {
  it('takes a comma-separated list of origins', () => {
    expect(loadConfig({ TESSERA_CORS_ORIGINS: ` ${APP}, http://localhost:5173 ,https://[::1]:8443` }).corsOrigins).toEqual([
      APP,
      'http://localhost:5173',
      'https://[::1]:8443',
    ]);
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });

  // A browser's Origin header is scheme://host[:port] exactly; anything else would never match,
  // or (a wildcard) would allow every site.
  it.each([
    ['a trailing slash', `${APP}/`, /"https:\/\/app\.example\/" has a path: an origin is scheme:\/\/host\[:port\] only, so write "https:\/\/app\.example"/],
    ['a path', `${APP}/console`, /"https:\/\/app\.example\/console" has a path: .* write "https:\/\/app\.example"/],
    ['a query', `${APP}?x=1`, /has a query or fragment/],
    ['a wildcard', '*', /"\*" is not allowed: list each origin/],
    ['a non-http(s) scheme', 'ftp://files.example', /"ftp:\/\/files\.example" must be http or https/],
    ['the null origin', 'null', /"null" is not an origin/],
    ['no scheme', 'app.example', /"app\.example" is not an origin/],
    ['credentials', 'https://user:pw@app.example', /has a user name or password/],
    ['a default port, written out', 'https://app.example:443', /write "https:\/\/app\.example"/],
    ['upper case', 'https://App.Example', /write "https:\/\/app\.example"/],
  ])('refuses %s with a reason', (_name, value, reason) => {
    const list = problems(value);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(/^TESSERA_CORS_ORIGINS: /);
    expect(list[0]).toMatch(reason);
  });

  it('lists every bad origin at once', () => {
    expect(problems(`${APP}/, *, ${APP}`)).toHaveLength(2);
  });
});

describe('CORS over HTTP', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({ TESSERA_CORS_ORIGINS: APP });
    const admin = await signIn(t.app);
    const c = await createClient(admin, 'cors-bot');
    await grantOrgRoles(t.storage, admin.whoami.orgId, c.userId, ['ORG_OWNER']);
    token = await accessToken(t.app, c);
  });
  afterAll(() => t.cleanup());

  /** Every kind of CORS route, answered by each of the server's ways in. */
  const routes = (): [string, () => request.Test][] => [
    ['discovery (cacheable)', () => request(t.app).get('/.well-known/openid-configuration')],
    ['RFC 8414 metadata (cacheable)', () => request(t.app).get('/.well-known/oauth-authorization-server')],
    ['JWKS (cacheable)', () => request(t.app).get('/oauth/v2/keys')],
    ['the token endpoint (hot path)', () => request(t.app).post('/oauth/v2/token').type('form').send('grant_type=client_credentials')],
    ['userinfo (hot path)', () => request(t.app).get('/oidc/v1/userinfo').set('Authorization', 'Bearer not-a-token')],
    ['a Bearer management call', () => request(t.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${token}`)],
    ['a management call without credentials (Express)', () => request(t.app).get('/management/v1/orgs/me')],
    ['a Bearer admin call', () => request(t.app).post('/admin/v1/orgs/_search').set('Authorization', `Bearer ${token}`).send({})],
    ['an admin call without credentials (Express)', () => request(t.app).post('/admin/v1/orgs/_search').send({})],
  ];

  it('says Vary: Origin on every CORS route, whether the Origin is allowed, another, or absent', async () => {
    for (const [name, send] of routes()) {
      const allowed = await send().set('Origin', APP);
      expect(allowed.headers['vary'], name).toMatch(/\bOrigin\b/);
      expect(allowed.headers['access-control-allow-origin'], name).toBe(APP);
      const other = await send().set('Origin', 'https://evil.example');
      expect(other.headers['vary'], name).toMatch(/\bOrigin\b/);
      expect(other.headers['access-control-allow-origin'], name).toBeUndefined();
      const none = await send();
      expect(none.headers['vary'], name).toMatch(/\bOrigin\b/);
      expect(none.headers['access-control-allow-origin'], name).toBeUndefined();
    }
  });

  it('gives a shared cache one public answer per origin: discovery, RFC 8414 metadata and JWKS stay cacheable', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/oauth/v2/keys']) {
      const res = await request(t.app).get(path).expect(200);
      expect(res.headers['cache-control'], path).toContain('public');
      expect(res.headers['vary'], path).toBe('Origin');
    }
  });

  it('answers preflights for /admin/v1 like the other APIs, and never with credentials', async () => {
    for (const path of ['/admin/v1/orgs/_search', '/management/v1/users/_search', '/oauth/v2/token']) {
      const pre = await request(t.app)
        .options(path)
        .set('Origin', APP)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization, content-type')
        .expect(204);
      expect(pre.headers['access-control-allow-origin'], path).toBe(APP);
      expect(pre.headers['access-control-allow-methods'], path).toContain('POST');
      expect(pre.headers['access-control-allow-headers'], path).toContain('Authorization');
      expect(pre.headers['access-control-allow-credentials'], path).toBeUndefined();
      expect(pre.headers['vary'], path).toMatch(/\bOrigin\b/);
    }
    const admin = await request(t.app).post('/admin/v1/orgs/_search').set('Origin', APP).set('Authorization', `Bearer ${token}`).send({});
    expect(admin.status).toBe(403); // an Org Owner is not an instance owner; the browser may read why
    expect(admin.headers['access-control-allow-origin']).toBe(APP);
  });

  it("lets a page on an allowed origin call the RPCs with gRPC-Web and Connect, and read gRPC's status", async () => {
    const path = '/zitadel.management.v1.ManagementService/GetMyOrg';
    const pre = await request(t.app)
      .options(path)
      .set('Origin', APP)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, x-grpc-web, x-user-agent, connect-protocol-version')
      .expect(204);
    for (const h of ['x-grpc-web', 'x-user-agent', 'connect-protocol-version']) expect(pre.headers['access-control-allow-headers']).toContain(h);
    const call = await request(t.app)
      .post(path)
      .set('Origin', APP)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/grpc-web+proto')
      .send(Buffer.alloc(5));
    expect(call.status).toBe(200);
    expect(call.headers['access-control-allow-origin']).toBe(APP);
    expect(call.headers['access-control-expose-headers']).toContain('grpc-status');
  });

  it('leaves the console and its session API alone', async () => {
    for (const path of ['/api/session', '/healthz', '/']) {
      const res = await request(t.app).get(path).set('Origin', APP);
      expect(res.headers['access-control-allow-origin'], path).toBeUndefined();
    }
  });
});
