import type { App } from '../../src/app.js';
import request from 'supertest';
import { basicAuthorization } from '../../src/oauth/basic-auth.js';
import type { Storage } from '../../src/storage/port.js';
import type { Db } from '../../src/storage/db.js';
import { createServiceUser, generateSecret } from './service-users.js';
import type { SignedIn } from './test-app.js';

export const MGMT_SCOPE = 'urn:zitadel:iam:org:project:id:zitadel:aud';
export const GUIDE_SCOPE = `openid profile email ${MGMT_SCOPE}`;

export interface Client {
  userId: string;
  clientId: string;
  clientSecret: string;
}

/** A service user with a client secret, made through the management API as an operator would. */
export async function createClient(
  s: SignedIn,
  userName: string,
  accessTokenType: 'ACCESS_TOKEN_TYPE_BEARER' | 'ACCESS_TOKEN_TYPE_JWT' = 'ACCESS_TOKEN_TYPE_BEARER',
): Promise<Client> {
  const userId = await createServiceUser(s, userName, { accessTokenType });
  return { userId, ...(await generateSecret(s, userId)) };
}

export { basicAuthorization as basic };

/** The guide's curl: Basic credentials, form body, client_credentials. */
export function tokenRequest(app: App, c: Pick<Client, 'clientId' | 'clientSecret'>, scope = GUIDE_SCOPE) {
  return request(app)
    .post('/oauth/v2/token')
    .set('Authorization', basicAuthorization(c.clientId, c.clientSecret))
    .type('form')
    .send({ grant_type: 'client_credentials', scope });
}

export async function accessToken(app: App, c: Client, scope = GUIDE_SCOPE): Promise<string> {
  const res = await tokenRequest(app, c, scope);
  if (res.status !== 200) throw new Error(`token failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { access_token: string }).access_token;
}

/**
 * Makes the user a manager of an organization by writing the row directly: the members API is
 * built elsewhere, and these tests are about tokens, not about granting roles.
 */
export async function grantOrgRoles(storage: Storage, orgId: string, userId: string, roles: string[]): Promise<void> {
  const now = new Date().toISOString();
  await storage.run(
    `INSERT INTO org_members (org_id, user_id, roles, sequence, created_at, changed_at) VALUES (?, ?, ?, 0, ?, ?)
     ON CONFLICT (org_id, user_id) DO UPDATE SET roles = excluded.roles`,
    [orgId, userId, JSON.stringify(roles), now, now],
  );
}

/** What the other engineers' "Deactivate" and "Revoke Tokens" do to the row. */
export function deactivateInSql(db: Db, userId: string, at = Date.now()): void {
  db.prepare("UPDATE users SET state = 'USER_STATE_INACTIVE', tokens_valid_after = ? WHERE id = ?").run(at, userId);
}

export function revokeAllInSql(db: Db, userId: string, at = Date.now()): void {
  db.prepare('UPDATE users SET tokens_valid_after = ? WHERE id = ?').run(at, userId);
}
