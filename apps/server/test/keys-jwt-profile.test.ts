import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { fillKeyJwks } from '../src/domain/machine-keys/keys.js';
import { call, createServiceUser, grantOrgRoles } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { basic, createClient, GUIDE_SCOPE } from './support/tokens.js';

let t: TestApp;
afterEach(() => t?.cleanup());

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLIENT_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface KeyFile {
  type: string;
  keyId: string;
  key: string;
  expirationDate: string;
  userId: string;
}

/** A key made through the API, as the console does: the key file it answers with, decoded. */
async function addKey(admin: SignedIn, userId: string, body: object = { type: 'KEY_TYPE_JSON' }): Promise<KeyFile> {
  const res = await call(admin, 'post', `/users/${userId}/keys`, body).expect(200);
  return JSON.parse(Buffer.from(res.body.keyDetails, 'base64').toString('utf8')) as KeyFile;
}

/** An assertion as ZITADEL's SDKs sign one from a key file; `claims` and `header` override. */
function assertion(
  file: { keyId: string; userId: string; key: string | KeyObject },
  issuer: string,
  over: { claims?: object; header?: object; alg?: string } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  const key = typeof file.key === 'string' ? createPrivateKey(file.key) : file.key;
  return new SignJWT({ iss: file.userId, sub: file.userId, aud: issuer, iat: now, exp: now + 600, ...over.claims })
    .setProtectedHeader({ alg: over.alg ?? 'RS256', kid: file.keyId, ...over.header })
    .sign(key);
}

function grant(app: TestApp['app'], jwt: string, scope = GUIDE_SCOPE) {
  return request(app).post('/oauth/v2/token').type('form').send({ grant_type: JWT_BEARER, assertion: jwt, scope });
}

async function setup() {
  t = await createTestApp();
  const admin = await signIn(t.app);
  const userId = await createServiceUser(admin, 'keyed');
  await grantOrgRoles(t.storage, admin.whoami.orgId, userId, ['ORG_OWNER']);
  return { admin, userId, issuer: t.ctx.config.issuer };
}

describe('service user keys (AddMachineKey, ListMachineKeys, GetMachineKeyByIDs, RemoveMachineKey)', () => {
  it('gives the key file once, keeps only the public key, lists, reads and removes the key', async () => {
    const { admin, userId } = await setup();
    const file = await addKey(admin, userId, { type: 'KEY_TYPE_JSON', expirationDate: '2031-05-06T07:08:09Z' });
    expect(Object.keys(file)).toEqual(['type', 'keyId', 'key', 'expirationDate', 'userId']);
    expect(file).toMatchObject({ type: 'serviceaccount', userId, expirationDate: '2031-05-06T07:08:09Z' });
    expect(file.key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);

    const stored = await t.storage.all<{ public_key: string }>('SELECT * FROM machine_keys');
    expect(JSON.stringify(stored)).not.toContain('PRIVATE KEY');
    expect(stored[0]!.public_key).toMatch(/^-----BEGIN PUBLIC KEY-----/);

    const listed = await call(admin, 'post', `/users/${userId}/keys/_search`, {}).expect(200);
    expect(listed.body.details.totalResult).toBe('1');
    expect(listed.body.result).toEqual([
      {
        id: file.keyId,
        type: 'KEY_TYPE_JSON',
        expirationDate: '2031-05-06T07:08:09Z',
        details: expect.objectContaining({ resourceOwner: admin.whoami.orgId }),
      },
    ]);
    const got = await call(admin, 'get', `/users/${userId}/keys/${file.keyId}`).expect(200);
    expect(got.body.key.id).toBe(file.keyId);

    const removed = await call(admin, 'delete', `/users/${userId}/keys/${file.keyId}`).expect(200);
    expect(removed.body.details.sequence).toMatch(/^\d+$/);
    const gone = await call(admin, 'get', `/users/${userId}/keys/${file.keyId}`).expect(404);
    expect(gone.body.details[0].id).toBe('KEY-NotFound');
    await call(admin, 'delete', `/users/${userId}/keys/${file.keyId}`).expect(404);
  });

  it('lasts without end when no expiration date is given, and refuses one in the past', async () => {
    const { admin, userId } = await setup();
    expect((await addKey(admin, userId)).expirationDate).toBe('9999-12-31T23:59:59Z');
    const past = await call(admin, 'post', `/users/${userId}/keys`, { type: 'KEY_TYPE_JSON', expirationDate: '2001-01-01T00:00:00Z' }).expect(400);
    expect(past.body.details[0].id).toBe('EXPIRATION-Past');
    await call(admin, 'post', `/users/${userId}/keys`, { type: 'KEY_TYPE_UNSPECIFIED' }).expect(400);
    await call(admin, 'post', `/users/${userId}/keys`, { type: 'KEY_TYPE_JSON', expirationDate: 'tomorrow' }).expect(400);
  });

  it('takes an uploaded public key (RSA or EC P-256) and then has no key file to give; refuses anything else', async () => {
    const { admin, userId } = await setup();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = ec.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const res = await call(admin, 'post', `/users/${userId}/keys`, { type: 'KEY_TYPE_JSON', publicKey: Buffer.from(pem).toString('base64') }).expect(200);
    expect(res.body).not.toHaveProperty('keyDetails');

    const token = await grant(t.app, await assertion({ keyId: res.body.keyId, userId, key: ec.privateKey }, t.ctx.config.issuer, { alg: 'ES256' })).expect(200);
    expect(token.body.token_type).toBe('Bearer');

    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    for (const bad of [small, 'not a key']) {
      const refused = await call(admin, 'post', `/users/${userId}/keys`, { type: 'KEY_TYPE_JSON', publicKey: Buffer.from(bad).toString('base64') }).expect(400);
      expect(refused.body.details[0].id).toMatch(/^KEY-(KeyKind|BadPublicKey)$/);
    }
  });

  it('belongs to service users only', async () => {
    const { admin } = await setup();
    const res = await call(admin, 'post', `/users/${admin.whoami.userId}/keys`, { type: 'KEY_TYPE_JSON' }).expect(400);
    expect(res.body.details[0].id).toBe('USER-NotMachine');
    await call(admin, 'post', '/users/123456789/keys', { type: 'KEY_TYPE_JSON' }).expect(404);
  });
});

describe('the JWT profile (RFC 7523 2.1) at the token endpoint', () => {
  it('gives a token for an assertion signed with the key file, which reads the organization', async () => {
    const { admin, userId, issuer } = await setup();
    const file = await addKey(admin, userId);
    const res = await grant(t.app, await assertion(file, issuer, { claims: { jti: randomUUID() } })).expect(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', scope: GUIDE_SCOPE });
    const org = await request(t.app).get('/management/v1/orgs/me').set('Authorization', `Bearer ${res.body.access_token}`).expect(200);
    expect(org.body.org.id).toBe(admin.whoami.orgId);
  });

  it('refuses each bad assertion with invalid_grant and a description that says why', async () => {
    const { admin, userId, issuer } = await setup();
    const file = await addKey(admin, userId);
    const other = await addKey(admin, await createServiceUser(admin, 'other-keyed'));
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, Promise<string> | string, RegExp][] = [
      ['wrong audience', assertion(file, issuer, { claims: { aud: 'https://elsewhere.example' } }), /aud must be this issuer/],
      ['expired', assertion(file, issuer, { claims: { exp: now - 120, iat: now - 180 } }), /has expired/],
      ['exp over an hour ahead', assertion(file, issuer, { claims: { exp: now + 7200 } }), /more than an hour/],
      ['iat in the future', assertion(file, issuer, { claims: { iat: now + 300 } }), /issued in the future/],
      ['no kid', assertion(file, issuer, { header: { kid: undefined } }), /names no key/],
      ['iss is not sub', assertion(file, issuer, { claims: { iss: 'someone-else' } }), /iss and sub/],
      ['unknown kid', assertion({ ...file, keyId: '999999999999' }, issuer), /could not be verified/],
      ["another user's key", assertion({ ...other, userId }, issuer), /could not be verified/],
      ['wrong signature', assertion({ ...file, key: other.key }, issuer), /could not be verified/],
      ['HS256', new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: file.keyId }).sign(new Uint8Array(32)), /RS256 or ES256/],
      ['not a JWT', 'not.a.jwt', /not a signed JWT/],
    ];
    for (const [name, jwt, description] of cases) {
      const res = await grant(t.app, await jwt);
      expect({ name, status: res.status, error: res.body.error }).toEqual({ name, status: 400, error: 'invalid_grant' });
      expect(res.body.error_description, name).toMatch(description);
    }
    const missing = await request(t.app).post('/oauth/v2/token').type('form').send({ grant_type: JWT_BEARER, scope: 'openid' }).expect(400);
    expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'assertion missing' });
  });

  it('refuses a used jti until it expires, a removed or expired key, and a deactivated user', async () => {
    const { admin, userId, issuer } = await setup();
    const file = await addKey(admin, userId);
    const once = await assertion(file, issuer, { claims: { jti: 'once' } });
    await grant(t.app, once).expect(200);
    expect((await grant(t.app, once).expect(400)).body.error_description).toMatch(/already used/);
    // Without a jti, an assertion may be used until its exp, as ZITADEL allows.
    const reusable = await assertion(file, issuer);
    await grant(t.app, reusable).expect(200);
    await grant(t.app, reusable).expect(200);

    await t.storage.command((tx) => tx.run("UPDATE machine_keys SET expiration_date = '2001-01-01T00:00:00.000Z' WHERE id = ?", [file.keyId]));
    expect((await grant(t.app, await assertion(file, issuer)).expect(400)).body.error_description).toBe('the key has expired');

    const second = await addKey(admin, userId);
    await call(admin, 'post', `/users/${userId}/_deactivate`, {}).expect(200);
    expect((await grant(t.app, await assertion(second, issuer)).expect(400)).body).toEqual({
      error: 'unauthorized_client',
      error_description: 'the service user is deactivated',
    });
    await call(admin, 'post', `/users/${userId}/_reactivate`, {}).expect(200);
    await grant(t.app, await assertion(second, issuer)).expect(200);
    await call(admin, 'delete', `/users/${userId}/keys/${second.keyId}`).expect(200);
    expect((await grant(t.app, await assertion(second, issuer)).expect(400)).body.error_description).toMatch(/could not be verified/);
  });

  it('fills in the JWK of a key stored before migration 011, which then signs as before', async () => {
    const { admin, userId, issuer } = await setup();
    const file = await addKey(admin, userId);
    await t.storage.command((tx) => tx.run('UPDATE machine_keys SET public_jwk = NULL WHERE id = ?', [file.keyId]));
    expect(await fillKeyJwks(t.storage)).toBe(1);
    expect(
      JSON.parse((await t.storage.one<{ public_jwk: string }>('SELECT public_jwk FROM machine_keys WHERE id = ?', [file.keyId]))!.public_jwk),
    ).toMatchObject({ kty: 'RSA', e: 'AQAB' });
    expect(await fillKeyJwks(t.storage)).toBe(0);
    await grant(t.app, await assertion(file, issuer)).expect(200);
  });

  it('throttles bad signatures per subject and address like wrong secrets: 10 checked of 14 in parallel, then 429', async () => {
    const { admin, userId, issuer } = await setup();
    const file = await addKey(admin, userId);
    const forged = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const jwts = await Promise.all(Array.from({ length: 14 }, () => assertion({ ...file, key: forged }, issuer)));
    const statuses = (await Promise.all(jwts.map((jwt) => grant(t.app, jwt)))).map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(10).fill(400), ...Array(4).fill(429)]);
    const right = await grant(t.app, await assertion(file, issuer)).expect(429);
    expect(right.headers['retry-after']).toMatch(/^\d+$/);
  });
});

describe('private_key_jwt (RFC 7523 2.2)', () => {
  it('authenticates the service user at the token, introspection and revocation endpoints', async () => {
    const { admin, userId, issuer } = await setup();
    const file = await addKey(admin, userId);
    const auth = async () => ({
      client_assertion_type: CLIENT_ASSERTION,
      client_assertion: await assertion(file, issuer, { claims: { aud: `${issuer}/oauth/v2/token` } }),
    });
    const token = await request(t.app)
      .post('/oauth/v2/token')
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'openid', ...(await auth()) })
      .expect(200);
    const seen = await request(t.app)
      .post('/oauth/v2/introspect')
      .type('form')
      .send({ token: token.body.access_token, ...(await auth()) })
      .expect(200);
    expect(seen.body).toMatchObject({ active: true, sub: userId, username: 'keyed' });
    await request(t.app)
      .post('/oauth/v2/revoke')
      .type('form')
      .send({ token: token.body.access_token, ...(await auth()) })
      .expect(200);
    expect(
      (
        await request(t.app)
          .post('/oauth/v2/introspect')
          .type('form')
          .send({ token: token.body.access_token, ...(await auth()) })
          .expect(200)
      ).body,
    ).toEqual({ active: false });

    const wrongType = await request(t.app)
      .post('/oauth/v2/token')
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'openid', ...(await auth()), client_assertion_type: 'x' })
      .expect(401);
    expect(wrongType.body.error).toBe('invalid_client');
    const { clientId, clientSecret } = await createClient(admin, 'two-methods');
    const both = await request(t.app)
      .post('/oauth/v2/token')
      .set('Authorization', basic(clientId, clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'openid', ...(await auth()) })
      .expect(400);
    expect(both.body.error_description).toMatch(/more than one method/);
  });

  it('is listed in discovery with the JWT bearer grant and the assertion algorithms', async () => {
    t = await createTestApp();
    const doc = (await request(t.app).get('/.well-known/openid-configuration').expect(200)).body;
    expect(doc.grant_types_supported).toEqual(['client_credentials', JWT_BEARER]);
    expect(doc.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(doc.token_endpoint_auth_signing_alg_values_supported).toEqual(['RS256', 'ES256']);
  });
});
