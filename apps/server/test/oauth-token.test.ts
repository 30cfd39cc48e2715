import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementAudience } from '../src/domain/tokens/access-tokens.js';
import { ADMIN_PASSWORD, createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { basic, createClient, deactivateInSql, GUIDE_SCOPE, MGMT_SCOPE, tokenRequest, type Client } from './support/tokens.js';

let t: TestApp;
let s: SignedIn;
let svc: Client;
beforeAll(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
  svc = await createClient(s, 'svc');
});
afterAll(() => t.cleanup());

const CHALLENGE = 'Basic realm="tessera", charset="UTF-8"';
const FAILED = { error: 'invalid_client', error_description: 'client authentication failed' };

function expectNoStore(res: request.Response) {
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers.pragma).toBe('no-cache');
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
}

function expectInvalidClient(res: request.Response, body = FAILED) {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe(CHALLENGE);
  expect(res.body).toEqual(body);
  expectNoStore(res);
}

const post = () => request(t.app).post('/oauth/v2/token').type('form');

describe('POST /oauth/v2/token: success', () => {
  it('answers the guide curl with {access_token, token_type, expires_in, scope} and no-store', async () => {
    const res = await tokenRequest(t.app, svc);
    expect(res.status).toBe(200);
    expectNoStore(res);
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{200,}$/),
      token_type: 'Bearer',
      expires_in: 43199,
      scope: GUIDE_SCOPE,
    });
  });

  it('takes the lifetime from TESSERA_ACCESS_TOKEN_LIFETIME', async () => {
    const short = await createTestApp({ TESSERA_ACCESS_TOKEN_LIFETIME: '300' });
    try {
      const c = await createClient(await signIn(short.app), 'short');
      const res = await tokenRequest(short.app, c).expect(200);
      expect(res.body.expires_in).toBe(299);
    } finally {
      await short.cleanup();
    }
  });

  it('matches client_id case-insensitively and accepts client_secret_post', async () => {
    await tokenRequest(t.app, { clientId: 'SVC', clientSecret: svc.clientSecret }).expect(200);
    const res = await post().send({ grant_type: 'client_credentials', scope: 'openid', client_id: 'Svc', client_secret: svc.clientSecret }).expect(200);
    expect(res.body.scope).toBe('openid');
  });

  it('accepts client_id in the body beside Basic when it names the same client', async () => {
    await post()
      .set('Authorization', basic(svc.clientId, svc.clientSecret))
      .send({ grant_type: 'client_credentials', scope: 'openid', client_id: 'svc' })
      .expect(200);
    const res = await post()
      .set('Authorization', basic(svc.clientId, svc.clientSecret))
      .send({ grant_type: 'client_credentials', scope: 'openid', client_id: 'other' })
      .expect(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'client_id does not match the Authorization header' });
  });

  it('issues a JWT for a JWT service user', async () => {
    const jwtUser = await createClient(s, 'svc-jwt', 'ACCESS_TOKEN_TYPE_JWT');
    const res = await tokenRequest(t.app, jwtUser).expect(200);
    const [header, payload] = (res.body.access_token as string)
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toEqual({ alg: 'ES256', kid: expect.any(String), typ: 'at+jwt' });
    expect(payload).toEqual({
      iss: t.config.issuer,
      sub: jwtUser.userId,
      aud: ['svc-jwt', managementAudience(t.config.issuer)],
      exp: payload.iat + 43200,
      iat: expect.any(Number),
      nbf: payload.iat,
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      client_id: 'svc-jwt',
      scope: GUIDE_SCOPE,
    });
  });
});

describe('POST /oauth/v2/token: scopes', () => {
  const granted = async (scope: string) => (await tokenRequest(t.app, svc, scope).expect(200)).body.scope as string;

  it('drops unknown scopes and keeps the reference list', async () => {
    expect(await granted('openid foo profile bar:baz offline_access urn:zitadel:iam:user:metadata')).toBe(
      'openid profile offline_access urn:zitadel:iam:user:metadata',
    );
    // A role scope stays only for a role granted in a project of the audience (projects.test.ts): here there is none.
    expect(await granted('urn:zitadel:iam:org:project:role:reader urn:zitadel:iam:org:projects:roles')).toBe('urn:zitadel:iam:org:projects:roles');
    expect(await granted('nothing-known')).toBe('');
  });

  it('keeps org id and domain scopes of the own org only', async () => {
    const own = `urn:zitadel:iam:org:id:${s.whoami.orgId} urn:zitadel:iam:org:domain:primary:tessera.localhost`;
    expect(await granted(`${own} urn:zitadel:iam:org:id:123 urn:zitadel:iam:org:domain:primary:evil.example`)).toBe(own);
  });

  it('drops repeats of a scope, and refuses the audience of a project that does not exist with invalid_scope', async () => {
    expect(await granted(`${MGMT_SCOPE} openid openid`)).toBe(`${MGMT_SCOPE} openid`);
    const res = await tokenRequest(t.app, svc, `${MGMT_SCOPE} urn:zitadel:iam:org:project:id:4711:aud openid`).expect(400);
    expect(res.body).toEqual({
      error: 'invalid_scope',
      error_description: "urn:zitadel:iam:org:project:id:4711:aud names no project of the service user's organization",
    });
  });

  it('answers a missing, empty or blank scope with invalid_request naming the scopes to ask for', async () => {
    for (const scope of [undefined, '', '  ']) {
      const res = await post()
        .set('Authorization', basic(svc.clientId, svc.clientSecret))
        .send(scope === undefined ? { grant_type: 'client_credentials' } : { grant_type: 'client_credentials', scope });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: 'scope missing: request at least one scope; to call the management API, request openid urn:zitadel:iam:org:project:id:zitadel:aud',
      });
      expectNoStore(res);
    }
  });
});

describe('POST /oauth/v2/token: every error row of the reference', () => {
  it('grant_type missing -> 400 invalid_request', async () => {
    const res = await post().set('Authorization', basic(svc.clientId, svc.clientSecret)).send({ scope: 'openid' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'grant_type missing' });
    expectNoStore(res);
  });

  it('unsupported grant -> 400 unsupported_grant_type', async () => {
    const res = await post().set('Authorization', basic(svc.clientId, svc.clientSecret)).send({ grant_type: 'password', scope: 'openid' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'grant_type "password" is not supported; use client_credentials or urn:ietf:params:oauth:grant-type:jwt-bearer',
    });
    expectNoStore(res);
  });

  it('no credentials at all -> 401 invalid_client with a Basic challenge', async () => {
    expectInvalidClient(await post().send({ grant_type: 'client_credentials', scope: 'openid' }), {
      error: 'invalid_client',
      error_description: 'client authentication required: send HTTP Basic credentials or client_id and client_secret',
    });
    // client_id alone is no authentication either.
    expectInvalidClient(await post().send({ grant_type: 'client_credentials', scope: 'openid', client_id: 'svc' }), {
      error: 'invalid_client',
      error_description: 'client authentication required: send HTTP Basic credentials or client_id and client_secret',
    });
  });

  it('malformed Basic header -> 401 invalid_client', async () => {
    const malformed = { error: 'invalid_client', error_description: 'the Authorization header is not valid Basic credentials' };
    for (const header of [
      'Basic',
      'Basic !!!',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      'Bearer abc',
      `Basic ${Buffer.from(':secret').toString('base64')}`,
    ]) {
      expectInvalidClient(await post().set('Authorization', header).send({ grant_type: 'client_credentials', scope: 'openid' }), malformed);
    }
  });

  it('unknown client, wrong secret, no secret set and a human user all get the same 401', async () => {
    const noSecret = await createClientWithoutSecret('nosecret');
    const cases: [string, string][] = [
      ['ghost', svc.clientSecret],
      ['svc', 'x'.repeat(64)],
      ['svc', ''],
      [noSecret, 'x'.repeat(64)],
      ['admin', ADMIN_PASSWORD],
    ];
    const bodies = [];
    for (const [id, secret] of cases) {
      const res = await tokenRequest(t.app, { clientId: id, clientSecret: secret });
      expectInvalidClient(res);
      bodies.push(res.text);
    }
    expect(new Set(bodies).size).toBe(1);
    const post1 = await post().send({ grant_type: 'client_credentials', scope: 'openid', client_id: 'ghost', client_secret: 'x' });
    expectInvalidClient(post1);
  });

  it('a deactivated user: 401 like anyone with a wrong secret, and its state only with the right one', async () => {
    const gone = await createClient(s, 'deactivated');
    await deactivateInSql(t.storage, gone.userId);
    expectInvalidClient(await tokenRequest(t.app, { clientId: 'deactivated', clientSecret: 'y'.repeat(64) }));
    const res = await tokenRequest(t.app, gone);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'unauthorized_client', error_description: 'the service user is deactivated' });
    expectNoStore(res);
  });

  it('a deleted user is an unknown client', async () => {
    const deleted = await createClient(s, 'deleted');
    await t.storage.command((tx) => tx.run('DELETE FROM users WHERE id = ?', [deleted.userId]));
    expectInvalidClient(await tokenRequest(t.app, deleted));
  });

  it('both client authentication methods at once -> 400 invalid_request', async () => {
    const res = await post()
      .set('Authorization', basic(svc.clientId, svc.clientSecret))
      .send({ grant_type: 'client_credentials', scope: 'openid', client_id: 'svc', client_secret: svc.clientSecret });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'client authentication must not use more than one method' });
    expectNoStore(res);
  });

  it('a repeated parameter -> 400 invalid_request (RFC 6749 3.2)', async () => {
    const res = await request(t.app)
      .post('/oauth/v2/token')
      .set('Authorization', basic(svc.clientId, svc.clientSecret))
      .type('form')
      .send('grant_type=client_credentials&scope=openid&scope=profile');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'parameter scope must not be repeated' });
  });

  it('only form bodies: JSON, a missing body and other charsets -> 400 invalid_request', async () => {
    const expected = { error: 'invalid_request', error_description: 'the request body must be application/x-www-form-urlencoded' };
    const json = await request(t.app)
      .post('/oauth/v2/token')
      .set('Authorization', basic(svc.clientId, svc.clientSecret))
      .send({ grant_type: 'client_credentials', scope: 'openid' });
    expect(json.status).toBe(400);
    expect(json.body).toEqual(expected);
    expectNoStore(json);
    const none = await request(t.app).post('/oauth/v2/token').set('Authorization', basic(svc.clientId, svc.clientSecret));
    expect(none.body).toEqual(expected);
    const latin1 = await request(t.app)
      .post('/oauth/v2/token')
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=iso-8859-1')
      .send('grant_type=client_credentials');
    expect(latin1.status).toBe(400);
    await request(t.app)
      .post('/oauth/v2/token')
      .set('Authorization', basic(svc.clientId, svc.clientSecret))
      .set('Content-Type', 'Application/X-WWW-Form-Urlencoded; charset=UTF-8')
      .send('grant_type=client_credentials&scope=openid')
      .expect(200);
  });

  it('a body over 8 KiB -> 413 invalid_request, without reading it', async () => {
    const res = await post()
      .set('Authorization', basic(svc.clientId, svc.clientSecret))
      .send({ grant_type: 'client_credentials', scope: 'openid '.repeat(2000) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'the request body must not exceed 8192 bytes' });
    expectNoStore(res);
  });

  it('other methods -> 405 with Allow, and unknown OAuth paths -> 404, both in the OAuth shape', async () => {
    const get = await request(t.app).get('/oauth/v2/token').expect(405);
    expect(get.headers.allow).toBe('POST');
    expect(get.body).toEqual({ error: 'invalid_request', error_description: 'this endpoint accepts POST only' });
    const missing = await request(t.app).post('/oauth/v2/authorize').expect(404);
    expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'no such endpoint' });
  });

  it('never leaks a secret into the response or the database', async () => {
    const res = await tokenRequest(t.app, svc).expect(200);
    const dump = JSON.stringify(await t.storage.all('SELECT * FROM events')) + JSON.stringify(await t.storage.all('SELECT key, value FROM settings'));
    expect(dump).not.toContain(svc.clientSecret);
    expect(dump).not.toContain(res.body.access_token);
    expect(res.text).not.toContain(svc.clientSecret);
  });
});

async function createClientWithoutSecret(name: string): Promise<string> {
  const res = await s.agent.post('/management/v1/users/machine').set('x-csrf-token', s.csrf).send({ userName: name, name }).expect(200);
  expect(res.body.userId).toMatch(/^\d+$/);
  return name;
}
