import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import { startPostgres, type ThrowawayPostgres } from '../../../scripts/throwaway-postgres.mjs';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { createClient, tokenRequest } from './support/tokens.js';

// PostgreSQL only: it takes its own throwaway server down and brings it back. Skipped without
// TESSERA_TEST_DATABASE_URL, i.e. where npm test has not provided PostgreSQL's binaries running.
const run = process.env.TESSERA_TEST_DATABASE_URL ? describe : describe.skip;

const METRICS_TOKEN = 'outage-metrics-scraper-token-0123456789';

run('PostgreSQL down for a few seconds', () => {
  let pg: ThrowawayPostgres;
  let t: TestApp;
  beforeAll(async () => {
    pg = await startPostgres();
    t = await createTestApp({ TESSERA_DATABASE_URL: pg.url, TESSERA_METRICS_TOKEN: METRICS_TOKEN });
  }, 60_000);
  afterAll(async () => {
    await t?.cleanup();
    await pg?.stop();
  });

  it('answers 503 in each protocol while it is down, and serves again by itself when it is back', async () => {
    const admin = await signIn(t.app);
    const client = await createClient(admin, 'outage-client');
    await tokenRequest(t.app, client).expect(200);

    // A command holding its connection when the server goes: the lost socket must fail the command
    // (503), not end the process with an error event nobody listens to.
    let inCommand!: () => void;
    const holding = new Promise<void>((resolve) => (inCommand = resolve));
    const held = t.storage.command(async (tx) => {
      await tx.one('SELECT 1');
      inCommand();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return tx.one('SELECT 1');
    });
    const heldOutcome = held.then(
      () => 'committed',
      (err: Error) => err.constructor.name,
    );
    await holding;
    await pg.stop({ keepData: true, mode: 'immediate' });
    expect(await heldOutcome).toBe('StorageUnavailable');
    await request(t.app).get('/readyz').expect(503);
    const token = await tokenRequest(t.app, client).expect(503);
    expect(token.body).toEqual({ error: 'temporarily_unavailable', error_description: 'the database is unavailable; try again shortly' });
    const api = await admin.agent.get('/management/v1/orgs/me').expect(503);
    expect(api.body.code).toBe(14);
    expect(api.body.details[0].id).toBe('STORAGE-UNAVAILABLE');

    await pg.start();
    await vi.waitFor(() => request(t.app).get('/readyz').expect(200), { timeout: 10_000, interval: 100 });
    await vi.waitFor(() => tokenRequest(t.app, client).expect(200), { timeout: 10_000, interval: 100 });
    await admin.agent.get('/management/v1/orgs/me').expect(200);

    // The operator's graphs saw it: failures of the database's reach, not of any statement.
    const metrics = (await request(t.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
    const unavailable = Number(/^tessera_database_errors_total\{kind="unavailable"\} (\d+)$/m.exec(metrics)?.[1]);
    expect(unavailable).toBeGreaterThanOrEqual(4); // the held command, /readyz, the token and the management call
    expect(metrics).toMatch(/^tessera_database_errors_total\{kind="statement"\} 0$/m);
  }, 60_000);
});
