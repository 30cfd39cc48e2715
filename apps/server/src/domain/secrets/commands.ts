import type { ObjectDetails } from '@tessera/contracts';
import type { KeyRing } from '../../security/key-ring.js';
import type { Sql, Storage } from '../../storage/port.js';
import { failedPrecondition } from '../errors.js';
import { randomAlphanumeric } from '../passwords.js';
import { findUserRow } from '../users/queries.js';
import { requireMachine, touchUser } from '../users/commands.js';
import { revokeAllTokensOf } from '../tokens/revocations.js';
import { hashClientSecret } from './hash.js';

/** ZITADEL's secret shape: 64 characters of [A-Za-z0-9], about 381 bits. */
export const CLIENT_SECRET_LENGTH = 64;

/**
 * revokeTokens: also refuse every access token issued so far, through the same command as "Revoke
 * Tokens", inside this transaction. After a leak the attacker's tokens die with the secret instead
 * of living out their lifetime. Off by default: ZITADEL keeps tokens when a secret changes.
 */
export interface SecretChangeOptions {
  revokeTokens?: boolean;
}

/**
 * GenerateMachineSecret: a new secret replaces the old one at once. The plaintext is returned
 * here and exists nowhere else: the row keeps an HMAC, the event keeps nothing of it.
 */
export function generateMachineSecret(
  storage: Storage,
  secretKeys: KeyRing,
  orgId: string,
  userId: string,
  editorUserId: string | null,
  options: SecretChangeOptions = {},
): Promise<{ clientId: string; clientSecret: string; details: ObjectDetails }> {
  return storage.command(async (tx) => {
    const user = await findUserRow(tx, orgId, userId);
    requireMachine(user);
    if (options.revokeTokens) await revokeTokens(tx, orgId, userId, editorUserId);
    const clientSecret = randomAlphanumeric(CLIENT_SECRET_LENGTH);
    const d = await touchUser(tx, orgId, userId, editorUserId, 'user.machine.secret.set');
    const { id, key } = secretKeys.current;
    await tx.run(
      `INSERT INTO machine_secrets (user_id, hash, key_id, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, key_id = excluded.key_id, created_at = excluded.created_at`,
      [userId, hashClientSecret(key, clientSecret), id, d.changeDate],
    );
    return { clientId: user.username, clientSecret, details: d };
  });
}

/** RemoveMachineSecret: the user is left without a secret, so client-credentials sign-in stops at once. */
export function removeMachineSecret(
  storage: Storage,
  orgId: string,
  userId: string,
  editorUserId: string | null,
  options: SecretChangeOptions = {},
): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    const user = await findUserRow(tx, orgId, userId);
    requireMachine(user);
    if (user.secret_created_at === null) {
      throw failedPrecondition('USER-NoSecret', 'this service user has no client secret to remove');
    }
    if (options.revokeTokens) await revokeTokens(tx, orgId, userId, editorUserId);
    await tx.run('DELETE FROM machine_secrets WHERE user_id = ?', [userId]);
    return touchUser(tx, orgId, userId, editorUserId, 'user.machine.secret.removed');
  });
}

/** "Revoke Tokens" inside the secret's own transaction: the same effect and event as the action itself. */
async function revokeTokens(tx: Sql, orgId: string, userId: string, editorUserId: string | null): Promise<void> {
  await revokeAllTokensOf(tx, userId);
  await touchUser(tx, orgId, userId, editorUserId, 'user.token.revoked_all');
}
