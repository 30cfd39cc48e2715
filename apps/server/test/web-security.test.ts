import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
afterEach(() => t.cleanup());

async function withConsole(env: Record<string, string> = {}) {
  t = await createTestApp(env);
  const dir = t.config.consoleDir;
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Tessera</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'app-1.js'), 'console.log(1)');
  return t;
}

describe('console security headers', () => {
  it('serves pages with a strict CSP, no framing, no sniffing and no referrer', async () => {
    await withConsole();
    const res = await request(t.app).get('/service-users').set('Accept', 'text/html').expect(200);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('caches hashed assets immutably and answers a missing asset with 404, not the SPA', async () => {
    await withConsole();
    const asset = await request(t.app).get('/assets/app-1.js').expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    await request(t.app).get('/assets/missing.js').expect(404);
  });

  it('never serves files outside the console folder', async () => {
    await withConsole();
    fs.writeFileSync(path.join(t.dir, 'secret.txt'), 'do-not-serve');
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/assets/%2e%2e/%2e%2e/secret.txt']) {
      const res = await request(t.app).get(p).set('Accept', 'text/html');
      expect(res.status, p).toBeLessThan(500);
      expect(res.text, p).not.toContain('do-not-serve');
    }
  });

  it('does not answer API paths with the SPA', async () => {
    await withConsole();
    const res = await request(t.app).get('/management/v1/nope').set('Accept', 'text/html');
    expect(res.status).toBe(401);
    expect(res.type).toBe('application/json');
    // ZITADEL's APIs that Tessera does not serve: a 404 in the API's shape, never a page a client takes for an answer.
    for (const path of [
      '/auth/v1/nope',
      '/v2/users/123',
      '/v2beta/organizations',
      '/zitadel.auth.v1.AuthService/GetMyUser',
      '/zitadel.user.v2.UserService/GetUserByID',
      '/system/v1/instances',
      '/resources/v3alpha/users',
      '/saml/v2/metadata',
      '/idps/123/saml/metadata',
      '/openapi/v2/swagger',
      '/ADMIN/v1/x',
      '/debug/metrics',
    ]) {
      const api = await request(t.app).get(path).set('Accept', 'text/html,*/*');
      // An RPC of ZITADEL's is called with POST (rpc-sdks.test.ts); a GET is told so.
      const status = path.startsWith('/auth/') || path.startsWith('/ADMIN/') ? 401 : path.startsWith('/zitadel.') ? 405 : 404;
      expect([api.status, api.type], path).toEqual([status, 'application/json']);
    }
    // The console's own routes still get the page.
    for (const page of ['/operators', '/service-users/123', '/authors-page']) {
      expect((await request(t.app).get(page).set('Accept', 'text/html')).type, page).toBe('text/html');
    }
  });
});

describe('CORS', () => {
  it('is off by default', async () => {
    t = await createTestApp();
    const res = await request(t.app).options('/management/v1/orgs/me').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows only configured origins, without credentials', async () => {
    t = await createTestApp({ TESSERA_CORS_ORIGINS: 'https://app.example, https://ops.example' });
    const pre = await request(t.app).options('/oauth/v2/token').set('Origin', 'https://app.example').set('Access-Control-Request-Method', 'POST').expect(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(pre.headers['access-control-allow-headers']).toContain('Authorization');
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    const other = await request(t.app).get('/management/v1/orgs/me').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reaches the token endpoint, which is answered before Express', async () => {
    t = await createTestApp({ TESSERA_CORS_ORIGINS: 'https://app.example' });
    const res = await request(t.app)
      .post('/oauth/v2/token')
      .set('Origin', 'https://app.example')
      .type('form')
      .send('grant_type=client_credentials&scope=openid');
    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    const console = await request(t.app).get('/api/session').set('Origin', 'https://app.example');
    expect(console.headers['access-control-allow-origin']).toBeUndefined();
  });
});
