/**
 * The authorization matrix: every endpoint of the management and admin APIs, called by every kind
 * of caller, against a table of who may call it. The table is written from the reference
 * (shared/reference/zitadel-behaviour.md section 3), not derived from contracts/roles.ts, so a
 * wrong role mapping fails here. An endpoint missing from the table fails the suite.
 *
 * Callers are humans with console sessions (the OAuth token endpoint lives elsewhere); the table is
 * keyed by "METHOD path" and caller, so the same rows can run with Bearer-token callers: build a
 * Caller per role that sends `Authorization: Bearer ...` and reuse `expected` and `requests`.
 */
import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEndpoints } from '../src/management/admin.js';
import type { Endpoint } from '../src/management/endpoint.js';
import { endpoints } from '../src/management/endpoints.js';
import { createOrg, signedInHuman } from './support/humans.js';
import { createServiceUser } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

const ORG_ROLES = [
  'ORG_OWNER',
  'ORG_OWNER_VIEWER',
  'ORG_USER_MANAGER',
  'ORG_USER_PERMISSION_EDITOR',
  'ORG_PROJECT_PERMISSION_EDITOR',
  'ORG_PROJECT_CREATOR',
  'ORG_SETTINGS_MANAGER',
] as const;
/** NO_ROLE: a user of the organization without any role. OTHER_ORG_OWNER: Org Owner of another organization, naming this one in x-zitadel-orgid. */
const CALLERS = [...ORG_ROLES, 'NO_ROLE', 'OTHER_ORG_OWNER', 'INSTANCE_OWNER'] as const;
type Who = (typeof CALLERS)[number];

// Who holds which permission, after the reference's section 3 (plus the instance owner everywhere).
const ORG_READ: Who[] = [
  'ORG_OWNER',
  'ORG_OWNER_VIEWER',
  'ORG_USER_MANAGER',
  'ORG_USER_PERMISSION_EDITOR',
  'ORG_PROJECT_PERMISSION_EDITOR',
  'ORG_SETTINGS_MANAGER',
  'INSTANCE_OWNER',
];
const ORG_WRITE: Who[] = ['ORG_OWNER', 'ORG_SETTINGS_MANAGER', 'INSTANCE_OWNER'];
const MEMBER_READ: Who[] = [
  'ORG_OWNER',
  'ORG_OWNER_VIEWER',
  'ORG_USER_PERMISSION_EDITOR',
  'ORG_PROJECT_PERMISSION_EDITOR',
  'ORG_SETTINGS_MANAGER',
  'INSTANCE_OWNER',
];
const MEMBER_WRITE: Who[] = ['ORG_OWNER', 'INSTANCE_OWNER'];
const USER_READ: Who[] = ['ORG_OWNER', 'ORG_OWNER_VIEWER', 'ORG_USER_MANAGER', 'ORG_USER_PERMISSION_EDITOR', 'ORG_PROJECT_PERMISSION_EDITOR', 'INSTANCE_OWNER'];
const USER_WRITE: Who[] = ['ORG_OWNER', 'ORG_USER_MANAGER', 'INSTANCE_OWNER'];
const USER_DELETE: Who[] = ['ORG_OWNER', 'ORG_USER_MANAGER', 'INSTANCE_OWNER'];
const INSTANCE_ONLY: Who[] = ['INSTANCE_OWNER'];
const OWNERS: Who[] = ['ORG_OWNER', 'INSTANCE_OWNER'];
const PROJECT_CREATE: Who[] = ['ORG_OWNER', 'ORG_PROJECT_CREATOR', 'INSTANCE_OWNER'];
const PROJECT_READ: Who[] = USER_READ; // project.read and project.role.read: the same roles as user.read
const APP_READ: Who[] = ['ORG_OWNER', 'ORG_OWNER_VIEWER', 'ORG_USER_PERMISSION_EDITOR', 'ORG_PROJECT_PERMISSION_EDITOR', 'INSTANCE_OWNER'];
const GRANT_READ: Who[] = USER_READ;
const GRANT_WRITE: Who[] = ['ORG_OWNER', 'ORG_USER_MANAGER', 'ORG_USER_PERMISSION_EDITOR', 'ORG_PROJECT_PERMISSION_EDITOR', 'INSTANCE_OWNER'];

/** Who may call each endpoint; everyone else must get 403 PermissionDenied. */
const expected: Record<string, readonly Who[]> = {
  'GET /management/v1/orgs/me': ORG_READ,
  'PUT /management/v1/orgs/me': ORG_WRITE,
  'POST /management/v1/orgs': INSTANCE_ONLY,
  'POST /management/v1/orgs/members/roles/_search': MEMBER_READ,
  'POST /management/v1/orgs/me/members/_search': MEMBER_READ,
  'POST /management/v1/orgs/me/members': MEMBER_WRITE,
  'PUT /management/v1/orgs/me/members/:userId': MEMBER_WRITE,
  'DELETE /management/v1/orgs/me/members/:userId': MEMBER_WRITE,
  'POST /management/v1/users/machine': USER_WRITE,
  'POST /management/v1/users/human': USER_WRITE,
  'POST /management/v1/users/_search': USER_READ,
  'GET /management/v1/users/:userId': USER_READ,
  'PUT /management/v1/users/:userId/secret': USER_WRITE,
  'DELETE /management/v1/users/:userId/secret': USER_WRITE,
  'POST /management/v1/users/:userId/secrets/_search': USER_READ,
  'DELETE /management/v1/users/:userId/secrets/:secretId': USER_WRITE,
  'PUT /management/v1/users/:userId/machine': USER_WRITE,
  'POST /management/v1/users/:userId/_deactivate': USER_WRITE,
  'POST /management/v1/users/:userId/_reactivate': USER_WRITE,
  'POST /management/v1/users/:userId/tokens/_revoke': USER_WRITE,
  'POST /management/v1/users/:userId/changes/_search': USER_READ,
  'POST /management/v1/users/:userId/keys': USER_WRITE,
  'POST /management/v1/users/:userId/keys/_search': USER_READ,
  'GET /management/v1/users/:userId/keys/:keyId': USER_READ,
  'DELETE /management/v1/users/:userId/keys/:keyId': USER_WRITE,
  'POST /management/v1/users/:userId/pats': USER_WRITE,
  'POST /management/v1/users/:userId/pats/_search': USER_READ,
  'GET /management/v1/users/:userId/pats/:tokenId': USER_READ,
  'DELETE /management/v1/users/:userId/pats/:tokenId': USER_WRITE,
  'DELETE /management/v1/users/:userId': USER_DELETE,
  'POST /management/v1/projects': PROJECT_CREATE,
  'POST /management/v1/projects/_search': PROJECT_READ,
  'GET /management/v1/projects/:projectId': PROJECT_READ,
  'PUT /management/v1/projects/:projectId': OWNERS,
  'DELETE /management/v1/projects/:projectId': OWNERS,
  'POST /management/v1/projects/:projectId/changes/_search': PROJECT_READ,
  'POST /management/v1/projects/:projectId/roles': OWNERS,
  'POST /management/v1/projects/:projectId/roles/_search': PROJECT_READ,
  'DELETE /management/v1/projects/:projectId/roles/:roleKey': OWNERS,
  'POST /management/v1/projects/:projectId/apps/api': OWNERS,
  'POST /management/v1/projects/:projectId/apps/_search': APP_READ,
  'GET /management/v1/projects/:projectId/apps/:appId': APP_READ,
  'DELETE /management/v1/projects/:projectId/apps/:appId': OWNERS,
  'POST /management/v1/projects/:projectId/apps/:appId/api_config/_generate_client_secret': OWNERS,
  'POST /management/v1/projects/:projectId/apps/:appId/keys': OWNERS,
  'POST /management/v1/projects/:projectId/apps/:appId/keys/_search': APP_READ,
  'GET /management/v1/projects/:projectId/apps/:appId/keys/:keyId': APP_READ,
  'DELETE /management/v1/projects/:projectId/apps/:appId/keys/:keyId': OWNERS,
  'POST /management/v1/users/grants/_search': GRANT_READ,
  'POST /management/v1/users/:userId/grants': GRANT_WRITE,
  'PUT /management/v1/users/:userId/grants/:grantId': GRANT_WRITE,
  'DELETE /management/v1/users/:userId/grants/:grantId': GRANT_WRITE,
  'POST /admin/v1/orgs/_search': INSTANCE_ONLY,
  'POST /admin/v1/members/_search': INSTANCE_ONLY,
  'POST /admin/v1/members': INSTANCE_ONLY,
  'PUT /admin/v1/members/:userId': INSTANCE_ONLY,
  'DELETE /admin/v1/members/:userId': INSTANCE_ONLY,
};

interface Fixture {
  admin: SignedIn;
  homeOrgId: string;
  /** A service user of the home organization that every call may read or give a new secret. */
  serviceUserId: string;
  /** A project of the home organization with the role "reader", a BASIC and a PRIVATE_KEY_JWT application. */
  projectId: string;
  basicAppId: string;
  jwtAppId: string;
  unique: (prefix: string) => string;
}
interface Call {
  path: string;
  body?: object;
}

async function freshMember(fx: Fixture): Promise<string> {
  const userId = await createServiceUser(fx.admin, fx.unique('member'));
  const res = await fx.admin.agent
    .post('/management/v1/orgs/me/members')
    .set('x-csrf-token', fx.admin.csrf)
    .send({ userId, roles: ['ORG_OWNER_VIEWER'] });
  if (res.status !== 200) throw new Error(`member fixture: ${res.status}`);
  return userId;
}

/** A fresh service user the admin has prepared with one write, e.g. given a secret or deactivated. */
async function freshUser(fx: Fixture, prepare?: string, method: 'put' | 'post' = 'post'): Promise<string> {
  const userId = await createServiceUser(fx.admin, fx.unique('subject'));
  if (prepare) {
    const res = await fx.admin.agent[method](`/management/v1/users/${userId}/${prepare}`).set('x-csrf-token', fx.admin.csrf);
    if (res.status !== 200) throw new Error(`user fixture ${prepare}: ${res.status}`);
  }
  return userId;
}

/** A secret of a fresh service user, to be revoked by one caller. */
async function freshSecret(fx: Fixture): Promise<{ userId: string; secretId: string }> {
  const userId = await createServiceUser(fx.admin, fx.unique('subject'));
  const res = await fx.admin.agent.put(`/management/v1/users/${userId}/secret`).set('x-csrf-token', fx.admin.csrf);
  if (res.status !== 200) throw new Error(`secret fixture: ${res.status}`);
  return { userId, secretId: (res.body as { secretId: string }).secretId };
}

/** An uploaded public key: adding one costs no key generation. */
const PUBLIC_KEY = {
  type: 'KEY_TYPE_JSON',
  publicKey: Buffer.from(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string).toString('base64'),
};

/** A key the admin has added to the fixture's service user. */
async function freshKey(fx: Fixture): Promise<string> {
  const res = await fx.admin.agent.post(`/management/v1/users/${fx.serviceUserId}/keys`).set('x-csrf-token', fx.admin.csrf).send(PUBLIC_KEY);
  if (res.status !== 200) throw new Error(`key fixture: ${res.status}`);
  return (res.body as { keyId: string }).keyId;
}

/** A personal access token the admin has given the fixture's service user. */
async function freshPat(fx: Fixture): Promise<string> {
  const res = await fx.admin.agent.post(`/management/v1/users/${fx.serviceUserId}/pats`).set('x-csrf-token', fx.admin.csrf).send({});
  if (res.status !== 200) throw new Error(`pat fixture: ${res.status}`);
  return (res.body as { tokenId: string }).tokenId;
}

/** An Instance Owner Viewer the admin has added, for one caller to change or remove (the admin stays the owner). */
async function freshInstanceMember(fx: Fixture): Promise<string> {
  const userId = await createServiceUser(fx.admin, fx.unique('iam-member'));
  const res = await fx.admin.agent
    .post('/admin/v1/members')
    .set('x-csrf-token', fx.admin.csrf)
    .send({ userId, roles: ['IAM_OWNER_VIEWER'] });
  if (res.status !== 200) throw new Error(`instance member fixture: ${res.status}`);
  return userId;
}

async function adminPost(fx: Fixture, path: string, body: object): Promise<Record<string, string>> {
  const res = await fx.admin.agent.post(`/management/v1${path}`).set('x-csrf-token', fx.admin.csrf).send(body);
  if (res.status !== 200) throw new Error(`fixture ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, string>;
}

/** A fresh project, for one caller to change or remove. */
const freshProject = async (fx: Fixture) => (await adminPost(fx, '/projects', { name: fx.unique('Project') })).id!;

/** A fresh role of the fixture's project, for one caller to remove. */
async function freshRole(fx: Fixture): Promise<string> {
  const roleKey = fx.unique('role');
  await adminPost(fx, `/projects/${fx.projectId}/roles`, { roleKey });
  return roleKey;
}

/** A fresh application of the fixture's project, for one caller to remove. */
const freshApp = async (fx: Fixture) => (await adminPost(fx, `/projects/${fx.projectId}/apps/api`, { name: fx.unique('App') })).appId!;

/** A fresh key of the fixture's PRIVATE_KEY_JWT application, for one caller to read or remove. */
const freshAppKey = async (fx: Fixture) => (await adminPost(fx, `/projects/${fx.projectId}/apps/${fx.jwtAppId}/keys`, { type: 'KEY_TYPE_JSON' })).id!;

/** A fresh user with a grant on the fixture's project, for one caller to change or remove. */
async function freshGrant(fx: Fixture): Promise<{ userId: string; grantId: string }> {
  const userId = await createServiceUser(fx.admin, fx.unique('granted'));
  const { userGrantId } = await adminPost(fx, `/users/${userId}/grants`, { projectId: fx.projectId, roleKeys: [] });
  return { userId, grantId: userGrantId! };
}

/** A request that succeeds (200) when the caller is allowed; prepared afresh for every caller. */
const requests: Record<string, (fx: Fixture) => Promise<Call>> = {
  'GET /management/v1/orgs/me': async () => ({ path: '/management/v1/orgs/me' }),
  'PUT /management/v1/orgs/me': async (fx) => ({ path: '/management/v1/orgs/me', body: { name: fx.unique('Org') } }),
  'POST /management/v1/orgs': async (fx) => ({ path: '/management/v1/orgs', body: { name: fx.unique('New org') } }),
  'POST /management/v1/orgs/members/roles/_search': async () => ({ path: '/management/v1/orgs/members/roles/_search', body: {} }),
  'POST /management/v1/orgs/me/members/_search': async () => ({ path: '/management/v1/orgs/me/members/_search', body: {} }),
  'POST /management/v1/orgs/me/members': async (fx) => ({
    path: '/management/v1/orgs/me/members',
    body: { userId: await createServiceUser(fx.admin, fx.unique('candidate')), roles: ['ORG_OWNER_VIEWER'] },
  }),
  'PUT /management/v1/orgs/me/members/:userId': async (fx) => ({
    path: `/management/v1/orgs/me/members/${await freshMember(fx)}`,
    body: { roles: ['ORG_SETTINGS_MANAGER'] },
  }),
  'DELETE /management/v1/orgs/me/members/:userId': async (fx) => ({ path: `/management/v1/orgs/me/members/${await freshMember(fx)}` }),
  'POST /management/v1/users/machine': async (fx) => ({ path: '/management/v1/users/machine', body: { userName: fx.unique('svc'), name: 'Matrix' } }),
  'POST /management/v1/users/human': async (fx) => ({
    path: '/management/v1/users/human',
    body: { userName: fx.unique('human'), profile: { displayName: 'Matrix' }, initialPassword: 'a password to replace' },
  }),
  'POST /management/v1/users/_search': async () => ({ path: '/management/v1/users/_search', body: {} }),
  'GET /management/v1/users/:userId': async (fx) => ({ path: `/management/v1/users/${fx.serviceUserId}` }),
  'PUT /management/v1/users/:userId/secret': async (fx) => ({ path: `/management/v1/users/${fx.serviceUserId}/secret` }),
  'DELETE /management/v1/users/:userId/secret': async (fx) => ({ path: `/management/v1/users/${await freshUser(fx, 'secret', 'put')}/secret` }),
  'POST /management/v1/users/:userId/secrets/_search': async (fx) => ({ path: `/management/v1/users/${fx.serviceUserId}/secrets/_search`, body: {} }),
  'DELETE /management/v1/users/:userId/secrets/:secretId': async (fx) => {
    const { userId, secretId } = await freshSecret(fx);
    return { path: `/management/v1/users/${userId}/secrets/${secretId}` };
  },
  'PUT /management/v1/users/:userId/machine': async (fx) => ({
    path: `/management/v1/users/${fx.serviceUserId}/machine`,
    body: { name: fx.unique('Renamed') },
  }),
  'POST /management/v1/users/:userId/_deactivate': async (fx) => ({ path: `/management/v1/users/${await freshUser(fx)}/_deactivate` }),
  'POST /management/v1/users/:userId/_reactivate': async (fx) => ({
    path: `/management/v1/users/${await freshUser(fx, '_deactivate')}/_reactivate`,
  }),
  'POST /management/v1/users/:userId/tokens/_revoke': async (fx) => ({ path: `/management/v1/users/${fx.serviceUserId}/tokens/_revoke` }),
  'POST /management/v1/users/:userId/changes/_search': async (fx) => ({
    path: `/management/v1/users/${fx.serviceUserId}/changes/_search`,
    body: {},
  }),
  'DELETE /management/v1/users/:userId': async (fx) => ({ path: `/management/v1/users/${await freshUser(fx)}` }),
  'POST /management/v1/users/:userId/keys': async (fx) => ({ path: `/management/v1/users/${fx.serviceUserId}/keys`, body: PUBLIC_KEY }),
  'POST /management/v1/users/:userId/keys/_search': async (fx) => ({ path: `/management/v1/users/${fx.serviceUserId}/keys/_search`, body: {} }),
  'GET /management/v1/users/:userId/keys/:keyId': async (fx) => ({ path: `/management/v1/users/${fx.serviceUserId}/keys/${await freshKey(fx)}` }),
  'DELETE /management/v1/users/:userId/keys/:keyId': async (fx) => ({ path: `/management/v1/users/${fx.serviceUserId}/keys/${await freshKey(fx)}` }),
  'POST /management/v1/users/:userId/pats': async (fx) => ({ path: `/management/v1/users/${fx.serviceUserId}/pats`, body: {} }),
  'POST /management/v1/users/:userId/pats/_search': async (fx) => ({ path: `/management/v1/users/${fx.serviceUserId}/pats/_search`, body: {} }),
  'GET /management/v1/users/:userId/pats/:tokenId': async (fx) => ({ path: `/management/v1/users/${fx.serviceUserId}/pats/${await freshPat(fx)}` }),
  'DELETE /management/v1/users/:userId/pats/:tokenId': async (fx) => ({ path: `/management/v1/users/${fx.serviceUserId}/pats/${await freshPat(fx)}` }),
  'POST /management/v1/projects': async (fx) => ({ path: '/management/v1/projects', body: { name: fx.unique('Project') } }),
  'POST /management/v1/projects/_search': async () => ({ path: '/management/v1/projects/_search', body: {} }),
  'GET /management/v1/projects/:projectId': async (fx) => ({ path: `/management/v1/projects/${fx.projectId}` }),
  'PUT /management/v1/projects/:projectId': async (fx) => ({ path: `/management/v1/projects/${await freshProject(fx)}`, body: { name: fx.unique('Renamed') } }),
  'DELETE /management/v1/projects/:projectId': async (fx) => ({ path: `/management/v1/projects/${await freshProject(fx)}` }),
  'POST /management/v1/projects/:projectId/changes/_search': async (fx) => ({ path: `/management/v1/projects/${fx.projectId}/changes/_search`, body: {} }),
  'POST /management/v1/projects/:projectId/roles': async (fx) => ({
    path: `/management/v1/projects/${fx.projectId}/roles`,
    body: { roleKey: fx.unique('role') },
  }),
  'POST /management/v1/projects/:projectId/roles/_search': async (fx) => ({ path: `/management/v1/projects/${fx.projectId}/roles/_search`, body: {} }),
  'DELETE /management/v1/projects/:projectId/roles/:roleKey': async (fx) => ({ path: `/management/v1/projects/${fx.projectId}/roles/${await freshRole(fx)}` }),
  'POST /management/v1/projects/:projectId/apps/api': async (fx) => ({
    path: `/management/v1/projects/${fx.projectId}/apps/api`,
    body: { name: fx.unique('App') },
  }),
  'POST /management/v1/projects/:projectId/apps/_search': async (fx) => ({ path: `/management/v1/projects/${fx.projectId}/apps/_search`, body: {} }),
  'GET /management/v1/projects/:projectId/apps/:appId': async (fx) => ({ path: `/management/v1/projects/${fx.projectId}/apps/${fx.basicAppId}` }),
  'DELETE /management/v1/projects/:projectId/apps/:appId': async (fx) => ({ path: `/management/v1/projects/${fx.projectId}/apps/${await freshApp(fx)}` }),
  'POST /management/v1/projects/:projectId/apps/:appId/api_config/_generate_client_secret': async (fx) => ({
    path: `/management/v1/projects/${fx.projectId}/apps/${fx.basicAppId}/api_config/_generate_client_secret`,
    body: {},
  }),
  'POST /management/v1/projects/:projectId/apps/:appId/keys': async (fx) => ({
    path: `/management/v1/projects/${fx.projectId}/apps/${fx.jwtAppId}/keys`,
    body: { type: 'KEY_TYPE_JSON' },
  }),
  'POST /management/v1/projects/:projectId/apps/:appId/keys/_search': async (fx) => ({
    path: `/management/v1/projects/${fx.projectId}/apps/${fx.jwtAppId}/keys/_search`,
    body: {},
  }),
  'GET /management/v1/projects/:projectId/apps/:appId/keys/:keyId': async (fx) => ({
    path: `/management/v1/projects/${fx.projectId}/apps/${fx.jwtAppId}/keys/${await freshAppKey(fx)}`,
  }),
  'DELETE /management/v1/projects/:projectId/apps/:appId/keys/:keyId': async (fx) => ({
    path: `/management/v1/projects/${fx.projectId}/apps/${fx.jwtAppId}/keys/${await freshAppKey(fx)}`,
  }),
  'POST /management/v1/users/grants/_search': async () => ({ path: '/management/v1/users/grants/_search', body: {} }),
  'POST /management/v1/users/:userId/grants': async (fx) => ({
    path: `/management/v1/users/${await createServiceUser(fx.admin, fx.unique('grantee'))}/grants`,
    body: { projectId: fx.projectId, roleKeys: ['reader'] },
  }),
  'PUT /management/v1/users/:userId/grants/:grantId': async (fx) => {
    const { userId, grantId } = await freshGrant(fx);
    return { path: `/management/v1/users/${userId}/grants/${grantId}`, body: { roleKeys: ['reader'] } };
  },
  'DELETE /management/v1/users/:userId/grants/:grantId': async (fx) => {
    const { userId, grantId } = await freshGrant(fx);
    return { path: `/management/v1/users/${userId}/grants/${grantId}` };
  },
  'POST /admin/v1/orgs/_search': async () => ({ path: '/admin/v1/orgs/_search', body: {} }),
  'POST /admin/v1/members/_search': async () => ({ path: '/admin/v1/members/_search', body: {} }),
  'POST /admin/v1/members': async (fx) => ({
    path: '/admin/v1/members',
    body: { userId: await createServiceUser(fx.admin, fx.unique('iam')), roles: ['IAM_OWNER'] },
  }),
  'PUT /admin/v1/members/:userId': async (fx) => ({ path: `/admin/v1/members/${await freshInstanceMember(fx)}`, body: { roles: ['IAM_OWNER'] } }),
  'DELETE /admin/v1/members/:userId': async (fx) => ({ path: `/admin/v1/members/${await freshInstanceMember(fx)}` }),
};

const keyOf = (prefix: string, e: Endpoint) => `${e.method.toUpperCase()} ${prefix}${e.path}`;
const ALL = [...endpoints.map((e) => ({ key: keyOf('/management/v1', e), e })), ...adminEndpoints.map((e) => ({ key: keyOf('/admin/v1', e), e }))];

const DENIED = { code: 7, message: 'No matching permissions found', details: [{ id: 'AUTH-5mWD2', message: 'No matching permissions found' }] };

/** Sends one request as one caller: session cookie plus CSRF header, and the target organization. */
type Caller = (method: Endpoint['method'], call: Call) => Promise<request.Response>;

function sessionCaller(s: SignedIn, orgHeader?: string): Caller {
  return (method, call) => {
    let req = s.agent[method](call.path);
    if (method !== 'get') req = req.set('x-csrf-token', s.csrf);
    if (orgHeader) req = req.set('x-zitadel-orgid', orgHeader);
    return call.body ? req.send(call.body) : req;
  };
}

let t: TestApp;
let fx: Fixture;
const callers = {} as Record<Who, Caller>;

beforeAll(async () => {
  t = await createTestApp();
  const admin = await signIn(t.app);
  const homeOrgId = admin.whoami.orgId;
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}`;
  fx = { admin, homeOrgId, serviceUserId: await createServiceUser(admin, 'matrix-target'), unique, projectId: '', basicAppId: '', jwtAppId: '' };
  fx.projectId = (await adminPost(fx, '/projects', { name: 'Matrix project' })).id!;
  await adminPost(fx, `/projects/${fx.projectId}/roles`, { roleKey: 'reader' });
  fx.basicAppId = (await adminPost(fx, `/projects/${fx.projectId}/apps/api`, { name: 'Matrix basic' })).appId!;
  fx.jwtAppId = (
    await adminPost(fx, `/projects/${fx.projectId}/apps/api`, { name: 'Matrix jwt', authMethodType: 'API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT' })
  ).appId!;
  callers.INSTANCE_OWNER = sessionCaller(admin);
  for (const role of ORG_ROLES) {
    callers[role] = sessionCaller(await signedInHuman(t.app, t.storage, admin, homeOrgId, role.toLowerCase(), [role]));
  }
  callers.NO_ROLE = sessionCaller(await signedInHuman(t.app, t.storage, admin, homeOrgId, 'no-role', []));
  const otherOrg = await createOrg(admin, 'Other org');
  callers.OTHER_ORG_OWNER = sessionCaller(await signedInHuman(t.app, t.storage, admin, otherOrg, 'other-owner', ['ORG_OWNER']), homeOrgId);
}, 120_000);
afterAll(() => t?.cleanup());

describe('authorization matrix', () => {
  it('has a row for every endpoint, and no row for an endpoint that does not exist', () => {
    const keys = ALL.map((x) => x.key).sort();
    expect(Object.keys(expected).sort()).toEqual(keys);
    expect(Object.keys(requests).sort()).toEqual(keys);
  });

  it.each(ALL)('$key', async ({ key, e }) => {
    const allowed = expected[key];
    const build = requests[key];
    if (!allowed || !build) throw new Error(`no expectation for ${key}: add it to "expected" and "requests"`);
    const wrong: string[] = [];
    for (const who of CALLERS) {
      const res = await callers[who](e.method, await build(fx));
      if (allowed.includes(who)) {
        if (res.status !== 200) wrong.push(`${who}: expected 200, got ${res.status} ${JSON.stringify(res.body)}`);
        // The declared response schema (strict) is what /openapi.json publishes: the real answer must match it.
        const checked = e.response?.safeParse(res.body);
        if (checked?.success === false) wrong.push(`${who}: the answer does not match the declared response: ${checked.error.message}`);
      } else if (res.status !== 403 || JSON.stringify(res.body) !== JSON.stringify(DENIED)) {
        wrong.push(`${who}: expected 403 PermissionDenied, got ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(ALL)('$key without credentials is 401', async ({ key, e }) => {
    const call = await requests[key]!(fx);
    const res = await request(t.app)
      [e.method](call.path)
      .send(call.body ?? {});
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 16 });
  });
});
