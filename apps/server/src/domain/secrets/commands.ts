import { MAX_CLIENT_SECRETS, type MachineSecretResponse, type ObjectDetails } from '@tessera/contracts';
import type { KeyRing } from '../../security/key-ring.js';
import { newId } from '../../storage/ids.js';
import type { Sql, Storage } from '../../storage/port.js';
import { failedPrecondition, notFound } from '../errors.js';
import { NO_EXPIRATION } from '../expiration.js';
import { randomAlphanumeric } from '../passwords.js';
import { revokeAllTokensOf } from '../tokens/revocations.js';
import { lockUser, requireMachine, touchUser } from '../users/commands.js';
import { findUserRow } from '../users/queries.js';
import { hashClientSecret } from './hash.js';

/** ZITADEL's secret shape: 64 characters of [A-Za-z0-9], about 381 bits. */
export const CLIENT_SECRET_LENGTH = 64;

/** How much of a secret its list shows: enough to tell two apart, nothing to guess with (24 of 381 bits). */
const HINT_LENGTH = 4;

/**
 * revokeTokens: also refuse every access token issued so far, through the same command as "Revoke
 * Tokens", inside this transaction. After a leak the attacker's tokens die with the secret instead
 * of living out their lifetime. Off by default: ZITADEL keeps tokens when a secret changes.
 */
export interface SecretChangeOptions {
  revokeTokens?: boolean;
}

export interface GenerateOptions extends SecretChangeOptions {
  /** Seconds the secrets valid now stay valid beside the new one; none or 0: they stop at once (ZITADEL). */
  keepPreviousFor?: number;
}

const isoAt = (ms: number) => new Date(ms).toISOString();

/**
 * GenerateMachineSecret: a new secret beside the user's others. By default they stop working at
 * once, as in ZITADEL; with keepPreviousFor they stay valid that long (never longer than they
 * already would), up to MAX_CLIENT_SECRETS valid at once. Expired and revoked secrets go now. The plaintext is
 * returned here and exists nowhere else: the row keeps an HMAC and a 4-character hint.
 */
export function generateMachineSecret(
  storage: Storage,
  secretKeys: KeyRing,
  orgId: string,
  userId: string,
  editorUserId: string | null,
  options: GenerateOptions = {},
  now = Date.now(),
): Promise<MachineSecretResponse> {
  return storage.command(async (tx) => {
    const user = await findUserRow(tx, orgId, userId);
    requireMachine(user);
    // Counted, then inserted: a parallel generate for the same user waits here until this one commits.
    await lockUser(tx, userId);
    let previousValidUntil: string | null = null;
    if (options.keepPreviousFor) {
      await tx.run('DELETE FROM machine_secrets WHERE user_id = ? AND expires_at <= ?', [userId, isoAt(now)]);
      const until = isoAt(now + options.keepPreviousFor * 1000);
      await tx.run('UPDATE machine_secrets SET expires_at = ? WHERE user_id = ? AND expires_at > ?', [until, userId, until]);
      const kept = (await tx.one<{ n: number; until: string | null }>('SELECT count(*) AS n, max(expires_at) AS until FROM machine_secrets WHERE user_id = ?', [
        userId,
      ]))!;
      if (kept.n >= MAX_CLIENT_SECRETS) {
        throw failedPrecondition(
          'SECRET-TooMany',
          `a service user holds at most ${MAX_CLIENT_SECRETS} valid client secrets at once; revoke one first, or generate without keeping the others`,
        );
      }
      previousValidUntil = kept.until;
    } else {
      await tx.run('DELETE FROM machine_secrets WHERE user_id = ?', [userId]);
    }
    if (options.revokeTokens) await revokeTokens(tx, orgId, userId, editorUserId);
    const clientSecret = randomAlphanumeric(CLIENT_SECRET_LENGTH);
    const secretId = newId();
    const payload = { secretId, ...(previousValidUntil ? { previousValidUntil } : {}) };
    const d = await touchUser(tx, orgId, userId, editorUserId, 'user.machine.secret.set', payload);
    const { id: keyId, key } = secretKeys.current;
    await tx.run('INSERT INTO machine_secrets (id, user_id, hash, key_id, hint, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      secretId,
      userId,
      hashClientSecret(key, clientSecret),
      keyId,
      clientSecret.slice(-HINT_LENGTH),
      d.changeDate,
      NO_EXPIRATION,
    ]);
    return { clientId: user.username, clientSecret, secretId, details: d };
  });
}

/** RemoveMachineSecret: every secret of the user goes, so client-credentials sign-in stops at once. */
export function removeMachineSecret(
  storage: Storage,
  orgId: string,
  userId: string,
  editorUserId: string | null,
  options: SecretChangeOptions = {},
): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    requireMachine(await findUserRow(tx, orgId, userId));
    if (!(await tx.run('DELETE FROM machine_secrets WHERE user_id = ?', [userId]))) {
      throw failedPrecondition('USER-NoSecret', 'this service user has no client secret to remove');
    }
    if (options.revokeTokens) await revokeTokens(tx, orgId, userId, editorUserId);
    return touchUser(tx, orgId, userId, editorUserId, 'user.machine.secret.removed');
  });
}

/**
 * Revokes one of the user's secrets; the others, and the tokens got so far, keep working. Its row
 * stays, expired, until the next rotation: a job still sending it is told it was revoked (and is not
 * counted as guessing against the client's throttle, which would lock out the new secret's jobs on
 * the same host).
 */
export function revokeMachineSecret(
  storage: Storage,
  orgId: string,
  userId: string,
  secretId: string,
  editorUserId: string | null,
  now = Date.now(),
): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    requireMachine(await findUserRow(tx, orgId, userId));
    const at = isoAt(now);
    const revoked = await tx.run(
      `UPDATE machine_secrets SET revoked_at = ?, expires_at = CASE WHEN expires_at < ? THEN expires_at ELSE ? END
       WHERE id = ? AND user_id = ? AND revoked_at IS NULL`,
      [at, at, at, secretId, userId],
    );
    if (!revoked) {
      const row = await tx.one('SELECT 1 FROM machine_secrets WHERE id = ? AND user_id = ?', [secretId, userId]);
      if (!row) throw notFound('SECRET-NotFound', 'client secret not found');
      throw failedPrecondition('SECRET-Revoked', 'this client secret is already revoked');
    }
    return touchUser(tx, orgId, userId, editorUserId, 'user.machine.secret.revoked', { secretId });
  });
}

/** "Revoke Tokens" inside the secret's own transaction: the same effect and event as the action itself. */
async function revokeTokens(tx: Sql, orgId: string, userId: string, editorUserId: string | null): Promise<void> {
  await revokeAllTokensOf(tx, userId);
  await touchUser(tx, orgId, userId, editorUserId, 'user.token.revoked_all');
}
