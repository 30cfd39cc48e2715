import { randomBytes } from 'node:crypto';
import type { VerifiedAccessToken } from '../../src/domain/access-token.js';
import type { Storage } from '../../src/storage/port.js';
import type { SignedIn, TestApp } from './test-app.js';

/** Creates a service user through the management API, as the console does. */
export async function createServiceUser(
  s: SignedIn,
  userName: string,
  extra: { name?: string; description?: string; accessTokenType?: string } = {},
): Promise<string> {
  const res = await s.agent
    .post('/management/v1/users/machine')
    .set('x-csrf-token', s.csrf)
    .send({ userName, name: extra.name ?? `${userName} display`, ...extra });
  if (res.status !== 200) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { userId: string }).userId;
}

export async function generateSecret(s: SignedIn, userId: string): Promise<{ clientId: string; clientSecret: string }> {
  const res = await s.agent.put(`/management/v1/users/${userId}/secret`).set('x-csrf-token', s.csrf);
  if (res.status !== 200) throw new Error(`secret failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { clientId: string; clientSecret: string };
}

type Method = 'get' | 'post' | 'put' | 'delete';

/** A management call with the console session (and its CSRF token on writes). */
export function call(s: SignedIn, method: Method, path: string, body?: object) {
  const req = s.agent[method](`/management/v1${path}`);
  if (method !== 'get') req.set('x-csrf-token', s.csrf);
  return body === undefined ? req : req.send(body);
}

/**
 * Bearer tokens for service users. The OAuth part issues and verifies real tokens; here the app's
 * verifier (the seam it plugs into) accepts tokens minted by the test, so the management API's own
 * authentication and permission checks run unchanged.
 */
export function acceptTokens(t: TestApp): (userId: string) => string {
  const tokens = new Map<string, VerifiedAccessToken>();
  t.ctx.accessTokens = { verify: async (token) => tokens.get(token) ?? null };
  return (userId) => {
    const token = randomBytes(24).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    tokens.set(token, {
      jti: token,
      userId,
      clientId: userId,
      scope: [],
      aud: ['management'],
      iat: now,
      exp: now + 3600,
      management: true,
    });
    return token;
  };
}

/**
 * Makes the user a manager of an organization by writing the row directly (the members API does
 * this for real; these tests are about tokens and users, not about granting roles). One command, so
 * the server's permission caches are told on either engine.
 */
export async function grantOrgRoles(storage: Storage, orgId: string, userId: string, roles: string[]): Promise<void> {
  const now = new Date().toISOString();
  await storage.command((tx) =>
    tx.run(
      `INSERT INTO org_members (org_id, user_id, roles, sequence, created_at, changed_at) VALUES (?, ?, ?, 0, ?, ?)
       ON CONFLICT (org_id, user_id) DO UPDATE SET roles = excluded.roles`,
      [orgId, userId, JSON.stringify(roles), now, now],
    ),
  );
}
