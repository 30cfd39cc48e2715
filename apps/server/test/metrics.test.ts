import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { basic, createClient, grantOrgRoles, GUIDE_SCOPE, tokenRequest } from './support/tokens.js';

let t: TestApp;
afterEach(() => t?.cleanup());

const TOKEN = 'metrics-scraper-token-0123456789abcdef';

/** One sample of the Prometheus text: its value, or undefined when the line is absent. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('GET /metrics', () => {
  it("counts the guide's flow: tokens by type and grant, failures by reason, throttling, latency by route family", async () => {
    t = await createTestApp({ TESSERA_METRICS_TOKEN: TOKEN });
    const admin = await signIn(t.app);
    const client = await createClient(admin, 'metered');
    await grantOrgRoles(t.storage, admin.whoami.orgId, client.userId, ['ORG_OWNER']);
    for (let i = 0; i < 3; i++) await tokenRequest(t.app, client).expect(200);
    const token = (await tokenRequest(t.app, client)).body.access_token as string;
    await request(t.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${token}`).expect(200);
    await tokenRequest(t.app, { clientId: client.clientId, clientSecret: 'x'.repeat(64) }).expect(401);
    await tokenRequest(t.app, { clientId: 'nobody', clientSecret: 'x'.repeat(64) }).expect(401);
    for (let i = 0; i < 10; i++) await tokenRequest(t.app, { clientId: 'pounded', clientSecret: 'x' }).set('X-Forwarded-For', '1.1.1.1');
    await request(t.app)
      .post('/oauth/v2/token')
      .type('form')
      .send({ grant_type: 'client_credentials', scope: GUIDE_SCOPE, client_id: 'pounded', client_secret: 'x' })
      .expect(429);

    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    const text = res.text;
    expect(sample(text, 'tessera_tokens_issued_total{type="bearer",grant="client_credentials"}')).toBe(4);
    expect(sample(text, 'tessera_client_auth_failures_total{reason="wrong_secret"}')).toBe(1);
    expect(sample(text, 'tessera_client_auth_failures_total{reason="unknown_client"}')).toBe(11);
    expect(sample(text, 'tessera_throttled_total{gate="client"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'tessera_http_request_duration_seconds_count{family="token",status="2xx"}')).toBe(4);
    expect(sample(text, 'tessera_http_request_duration_seconds_count{family="management",status="2xx"}')).toBeGreaterThanOrEqual(1);
    // By endpoint as declared: the Bearer path and the console's session calls alike.
    expect(sample(text, 'tessera_management_calls_total{endpoint="GET /management/v1/orgs/me",status="200"}')).toBe(1);
    expect(sample(text, 'tessera_management_calls_total{endpoint="POST /management/v1/users/machine",status="200"}')).toBe(1);
    expect(text).toContain('tessera_process_cpu_seconds_total');
    // Nothing a client sent reaches a label: no secret, no client_id, no token.
    for (const secretish of [client.clientSecret, token, 'pounded', 'nobody', 'metered']) expect(text).not.toContain(secretish);
  });

  it('counts failures of the database by kind, and not the unique violations that answer races', async () => {
    t = await createTestApp({ TESSERA_METRICS_TOKEN: TOKEN });
    const admin = await signIn(t.app);
    const scrape = async () => (await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200)).text;
    expect(sample(await scrape(), 'tessera_database_errors_total{kind="statement"}')).toBe(0);
    expect(sample(await scrape(), 'tessera_database_errors_total{kind="unavailable"}')).toBe(0);
    await expect(t.storage.one('SELECT x FROM no_such_table')).rejects.toThrow(/no_such_table/);
    await expect(t.storage.command((tx) => tx.run('INSERT INTO no_such_table VALUES (1)'))).rejects.toThrow(/no_such_table/);
    // A unique violation is how a command learns it lost a race (a 409), not a failure of the database.
    const insert = () => t.storage.command((tx) => tx.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['metrics-probe', '1']));
    await insert();
    await expect(insert()).rejects.toMatchObject({ code: expect.stringMatching(/^(SQLITE_CONSTRAINT_PRIMARYKEY|23505)$/) });
    await createClient(admin, 'after-failures'); // and everything else goes on
    expect(sample(await scrape(), 'tessera_database_errors_total{kind="statement"}')).toBe(2);
  });

  it('answers only the configured Bearer token, and is absent when none is configured', async () => {
    t = await createTestApp({ TESSERA_METRICS_TOKEN: TOKEN });
    for (const auth of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, `Basic ${basic('a', 'b').slice(6)}`]) {
      const req = request(t.app).get('/metrics');
      const res = await (auth ? req.set('Authorization', auth) : req).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="tessera-metrics"');
      expect(res.text).not.toContain('tessera_');
    }
    await t.cleanup();
    t = await createTestApp();
    const off = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(off.status).toBe(404);
  });

  it('refuses a token too short to be a secret at start', async () => {
    await expect(createTestApp({ TESSERA_METRICS_TOKEN: 'short' })).rejects.toThrow(/TESSERA_METRICS_TOKEN: must be at least 32 characters/);
  });
});
