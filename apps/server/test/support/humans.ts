import type { RequestListener } from 'node:http';
import { hashPassword } from '../../src/domain/passwords.js';
import { insertHuman as insertHumanRow } from '../../src/domain/users/humans.js';
import type { Storage } from '../../src/storage/port.js';
import { signIn, type SignedIn } from './test-app.js';

export const HUMAN_PASSWORD = 'humans are slow hashers';

// scrypt is deliberately slow; one hash serves every fixture human (each gets its own copy of it).
let sharedHash: Promise<string> | undefined;

/**
 * Writes a human operator as AddHumanUser does, but with one shared, ready-made
 * password and no change asked: the permission tests need many humans and no second of scrypt each.
 */
export async function insertHuman(storage: Storage, orgId: string, userName: string, displayName = userName): Promise<string> {
  sharedHash ??= hashPassword(HUMAN_PASSWORD);
  const hash = await sharedHash;
  return storage.command(
    async (tx) => (await insertHumanRow(tx, orgId, null, { userName, displayName, passwordHash: hash, passwordChangeRequired: false })).userId,
  );
}

/** Grants org roles through the real members API, acting in orgId as the given (instance owner) session. */
export async function grantRoles(admin: SignedIn, orgId: string, userId: string, roles: string[]): Promise<void> {
  const res = await admin.agent.post('/management/v1/orgs/me/members').set('x-csrf-token', admin.csrf).set('x-zitadel-orgid', orgId).send({ userId, roles });
  if (res.status !== 200) throw new Error(`grant failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Creates an organization through the real AddOrg endpoint. */
export async function createOrg(admin: SignedIn, name: string): Promise<string> {
  const res = await admin.agent.post('/management/v1/orgs').set('x-csrf-token', admin.csrf).send({ name });
  if (res.status !== 200) throw new Error(`create org failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
}

/** A human with the given roles in orgId, signed in through the console session API. */
export async function signedInHuman(
  app: RequestListener,
  storage: Storage,
  admin: SignedIn,
  orgId: string,
  userName: string,
  roles: string[],
): Promise<SignedIn & { userId: string }> {
  const userId = await insertHuman(storage, orgId, userName);
  if (roles.length > 0) await grantRoles(admin, orgId, userId, roles);
  return { ...(await signIn(app, userName, HUMAN_PASSWORD)), userId };
}
