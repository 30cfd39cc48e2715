// Tessera under test: started from the build on a free port with a temp database, set up through its own
// management API (sign in as the administrator, create service users and secrets, grant Org Owner).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { freePort, startServer } from './processes.mjs';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const GUIDE_SCOPE = 'openid profile email urn:zitadel:iam:org:project:id:zitadel:aud';

/** root: the checkout whose build runs (another one with --against). */
export async function startTessera(dir, { port, password, extraEnv = {}, nodeArgs = [], root = ROOT } = {}) {
  port ??= await freePort();
  password ??= randomBytes(18).toString('base64url');
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer('tessera', process.execPath, [...nodeArgs, path.join(root, 'apps/server/dist/main.js')], {
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      TESSERA_ISSUER: base,
      TESSERA_DB: path.join(dir, 'tessera.db'),
      TESSERA_ADMIN_PASSWORD: password,
      TESSERA_LOG_LEVEL: 'warn',
      // One process unless a load asks for workers (--workers): CPU per request is read from one pid.
      TESSERA_WORKERS: '1',
      ...extraEnv,
    },
    readyUrl: `${base}/healthz`,
  });
  // /healthz answers as soon as it listens; the first administrator is committed just after (on
  // PostgreSQL that takes a round trip or two), and the banner follows it.
  for (const until = Date.now() + 30_000; !/Tessera is running/.test(server.output());) {
    if (Date.now() > until || server.child.exitCode !== null) throw new Error(`tessera printed no banner:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { ...server, base, port, password, dbFile: path.join(dir, 'tessera.db') };
}

/** The management API as the console uses it: session cookie plus CSRF header. */
export async function signIn(base, password, username = 'admin') {
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const { csrfToken } = await res.json();
  return async (method, p, body) => {
    const r = await fetch(`${base}/management/v1${p}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await r.json();
    if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/** A service user with a secret and Org Owner, as the guide sets one up. */
export async function provisionClient(call, userName, accessTokenType = 'ACCESS_TOKEN_TYPE_BEARER') {
  const { userId } = await call('POST', '/users/machine', { userName, name: userName, accessTokenType });
  const { clientId, clientSecret } = await call('PUT', `/users/${userId}/secret`);
  await call('POST', '/orgs/me/members', { userId, roles: ['ORG_OWNER'] });
  return { userId, clientId, clientSecret };
}

const formEncode = (s) => encodeURIComponent(s).replace(/%20/g, '+');

/** A client whose secret was rotated with an overlap: it authenticates with the previous secret, the second of two candidates. */
export async function provisionRotatedClient(call, userName) {
  const previous = await provisionClient(call, userName);
  await call('PUT', `/users/${previous.userId}/secret`, { keepPreviousFor: '3600s' });
  return previous;
}

/** client_secret_basic as RFC 6749 2.3.1 says: both parts form-urlencoded, then base64. */
export function basicAuth({ clientId, clientSecret }) {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
}

export function tokenRequest(base, client, scope = GUIDE_SCOPE) {
  return {
    url: `${base}/oauth/v2/token`,
    method: 'POST',
    headers: { authorization: basicAuth(client), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
  };
}

export async function fetchToken(base, client, scope = GUIDE_SCOPE) {
  const req = tokenRequest(base, client, scope);
  const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body });
  const json = await res.json();
  if (!res.ok || !json.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(json)}`);
  return json.access_token;
}

export function apiRequest(base, token) {
  return { url: `${base}/management/v1/orgs/me`, method: 'GET', headers: { authorization: `Bearer ${token}` } };
}
