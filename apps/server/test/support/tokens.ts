import type { RequestListener } from 'node:http';
import request from 'supertest';
import { basicAuthorization } from '../../src/oauth/basic-auth.js';
import type { Storage } from '../../src/storage/port.js';
import { createServiceUser, generateSecret } from './service-users.js';

export { grantOrgRoles } from './service-users.js';
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
export function tokenRequest(app: RequestListener, c: Pick<Client, 'clientId' | 'clientSecret'>, scope = GUIDE_SCOPE) {
  return request(app)
    .post('/oauth/v2/token')
    .set('Authorization', basicAuthorization(c.clientId, c.clientSecret))
    .type('form')
    .send({ grant_type: 'client_credentials', scope });
}

export async function accessToken(app: RequestListener, c: Client, scope = GUIDE_SCOPE): Promise<string> {
  const res = await tokenRequest(app, c, scope);
  if (res.status !== 200) throw new Error(`token failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { access_token: string }).access_token;
}

/**
 * What deactivating a user and revoking its tokens do to the row, written behind the API's back; one
 * command each, so the server's caches are told on either engine.
 */
export async function deactivateInSql(storage: Storage, userId: string, at = Date.now()): Promise<void> {
  await storage.command((tx) => tx.run("UPDATE users SET state = 'USER_STATE_INACTIVE', tokens_valid_after = ? WHERE id = ?", [at, userId]));
}

export async function revokeAllInSql(storage: Storage, userId: string, at = Date.now()): Promise<void> {
  await storage.command((tx) => tx.run('UPDATE users SET tokens_valid_after = ? WHERE id = ?', [at, userId]));
}
