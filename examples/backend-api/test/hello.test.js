import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminSession, clientToken, startExample, startTessera } from './tessera.js';

/**
 * The example against a real Tessera: both processes started as a user would start them, everything
 * set up through the management API, every request real HTTP.
 */
let tessera;
let api;
let projectId;
const examples = {};

before(async () => {
  tessera = await startTessera();
  api = await adminSession(tessera.issuer);
  projectId = (await api('POST', '/projects', { name: 'Orders API' })).id;
  await api('POST', `/projects/${projectId}/roles`, { roleKey: 'orders.read', displayName: 'Read orders' });
  const basic = await api('POST', `/projects/${projectId}/apps/api`, { name: 'orders-basic', authMethodType: 'API_AUTH_METHOD_TYPE_BASIC' });
  const keyed = await api('POST', `/projects/${projectId}/apps/api`, { name: 'orders-keyed', authMethodType: 'API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT' });
  const key = await api('POST', `/projects/${projectId}/apps/${keyed.appId}/keys`, { type: 'KEY_TYPE_JSON' });
  const keyFile = path.join(tessera.dir, 'orders-keyed.json');
  fs.writeFileSync(keyFile, Buffer.from(key.keyDetails, 'base64'));
  examples.basic = await startExample({ TESSERA_ISSUER: tessera.issuer, API_CLIENT_ID: basic.clientId, API_CLIENT_SECRET: basic.clientSecret });
  examples['private key JWT'] = await startExample({ TESSERA_ISSUER: tessera.issuer, API_KEY_FILE: keyFile });
});

after(async () => {
  for (const example of Object.values(examples)) await example.stop();
  await tessera?.stop();
});

let n = 0;

/** A service user with a client secret, granted the given roles of the project (none: no grant). */
async function caller(roleKeys = ['orders.read']) {
  const { userId } = await api('POST', '/users/machine', { userName: `caller-${++n}`, name: `Caller ${n}` });
  const { clientId, clientSecret } = await api('PUT', `/users/${userId}/secret`);
  if (roleKeys.length) await api('POST', `/users/${userId}/grants`, { projectId, roleKeys });
  return { userId, clientId, clientSecret };
}

const projectScope = () => `openid urn:zitadel:iam:org:project:id:${projectId}:aud urn:zitadel:iam:org:projects:roles`;

async function hello(base, token) {
  const res = await fetch(`${base}/api/hello`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: res.status === 200 ? await res.json() : undefined };
}

for (const variant of ['basic', 'private key JWT']) {
  describe(`GET /api/hello, introspecting with the ${variant} application`, () => {
    it("answers the caller's sub and the project roles granted to it", async () => {
      const svc = await caller();
      const token = await clientToken(tessera.issuer, svc, projectScope());
      assert.deepEqual(await hello(examples[variant].base, token), { status: 200, body: { sub: svc.userId, roles: ['orders.read'] } });
      const ungranted = await caller([]);
      const plain = await clientToken(tessera.issuer, ungranted, projectScope());
      assert.deepEqual(await hello(examples[variant].base, plain), { status: 200, body: { sub: ungranted.userId, roles: [] } });
    });

    it('answers 401 to a token without the project audience, and to no token', async () => {
      const svc = await caller();
      const token = await clientToken(tessera.issuer, svc, 'openid urn:zitadel:iam:org:projects:roles');
      assert.equal((await hello(examples[variant].base, token)).status, 401);
      assert.equal((await hello(examples[variant].base, undefined)).status, 401);
      assert.equal((await hello(examples[variant].base, 'not-a-token')).status, 401);
    });

    it("answers 401 once the caller is deactivated, though the token's lifetime has not run out", async () => {
      const svc = await caller();
      const token = await clientToken(tessera.issuer, svc, projectScope());
      assert.equal((await hello(examples[variant].base, token)).status, 200);
      await api('POST', `/users/${svc.userId}/_deactivate`, {});
      assert.equal((await hello(examples[variant].base, token)).status, 401);
    });

    it('answers 401 after "Revoke Tokens" for the caller', async () => {
      const svc = await caller();
      const token = await clientToken(tessera.issuer, svc, projectScope());
      assert.equal((await hello(examples[variant].base, token)).status, 200);
      await api('POST', `/users/${svc.userId}/tokens/_revoke`, {});
      assert.equal((await hello(examples[variant].base, token)).status, 401);
    });
  });
}
