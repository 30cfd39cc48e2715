import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { afterDataVersionPoll, databaseEnv, tessera } from './support/keys.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { basic, GUIDE_SCOPE } from './support/tokens.js';

let t: TestApp;
afterEach(() => t?.cleanup());

describe('the automation commands: create-service-user, generate-secret, grant', () => {
  it("bootstrap the guide's machine from a deployment script: its token reads the organization", async () => {
    t = await createTestApp();
    const env = databaseEnv(t);
    const created = await tessera(['create-service-user', 'deployer', 'Deployer'], env);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const { userId, userName, orgId } = JSON.parse(created.stdout);
    expect({ userName, orgId }).toEqual({ userName: 'deployer', orgId: (await signIn(t.app)).whoami.orgId });

    const secret = await tessera(['generate-secret', 'DEPLOYER'], env);
    expect(secret.code).toBe(0);
    const { clientId, clientSecret } = JSON.parse(secret.stdout);
    expect(clientId).toBe('deployer');
    expect(clientSecret).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(JSON.parse((await tessera(['grant', 'deployer', 'ORG_OWNER'], env)).stdout)).toEqual({ userId, roles: ['ORG_OWNER'], orgId });

    await afterDataVersionPoll();
    const token = await request(t.app)
      .post('/oauth/v2/token')
      .set('Authorization', basic(clientId, clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials', scope: GUIDE_SCOPE })
      .expect(200);
    const org = await request(t.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${token.body.access_token}`).expect(200);
    expect(org.body.org.id).toBe(orgId);
  });

  it('refuses bad input with a clear message and exit code 1, and misuse with the usage and 2', async () => {
    t = await createTestApp();
    const env = databaseEnv(t);
    await tessera(['create-service-user', 'taken', 'Taken'], env);
    const cases: [string[], RegExp][] = [
      [['create-service-user', 'taken', 'Again'], /already exists \(USER-AlreadyExists\)/],
      [['create-service-user', 'bad name!', 'X'], /^create-service-user: userName: /],
      [['create-service-user', 'elsewhere', 'X', '123456'], /No organization with id "123456"/],
      [['generate-secret', 'nobody'], /No service user named "nobody"/],
      [['generate-secret', 'admin'], /No service user named "admin"/],
      [['grant', 'taken', 'ORG_EMPEROR'], /ORG_EMPEROR/],
      [['grant', 'nobody', 'ORG_OWNER'], /No user named "nobody"/],
    ];
    for (const [args, message] of cases) {
      const r = await tessera(args, env);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 1, stdout: '' });
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    const misused = await tessera(['grant', 'taken'], env);
    expect(misused.code).toBe(2);
    expect(misused.stderr).toContain('grant <username> <role> [org-id]');
  });
});
