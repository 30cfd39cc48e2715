import { INSTANCE_OWNER_ROLE, type ObjectDetails } from '@tessera/contracts';
import type { Sql, Storage } from '../../storage/port.js';
import { failedPrecondition, permissionDenied } from '../errors.js';
import { appendEvent, details } from '../events.js';
import { revokeAllTokensOf } from '../tokens/revocations.js';
import { requireMachine, touchUser } from './commands.js';
import { findUserRow } from './queries.js';
import type { UserRow } from './views.js';

/** Who asks: their id (null for Tessera itself), and whether they hold the instance-wide owner role. */
export interface Editor {
  userId: string | null;
  instanceOwner: boolean;
}

/** Instance members are few (the instance's administrators): their roles are read whole and checked here. */
async function instanceOwners(sql: Sql): Promise<{ userId: string; active: boolean }[]> {
  const rows = await sql.all<{ user_id: string; roles: string; state: string }>(
    'SELECT m.user_id, m.roles, u.state FROM instance_members m JOIN users u ON u.id = m.user_id',
  );
  return rows
    .filter((r) => (JSON.parse(r.roles) as string[]).includes(INSTANCE_OWNER_ROLE))
    .map((r) => ({ userId: r.user_id, active: r.state === 'USER_STATE_ACTIVE' }));
}

/**
 * Deleting or deactivating must never lock everyone out: not yourself (the session or token you are
 * using would die mid-call), not the last active instance owner, and an instance owner only at the
 * hands of another instance owner (an organization's manager must not remove the instance's admin).
 */
async function guardLockout(tx: Sql, user: UserRow, editor: Editor, verb: 'delete' | 'deactivate'): Promise<void> {
  if (user.id === editor.userId) throw failedPrecondition('USER-Self', `you cannot ${verb} yourself`);
  const owners = await instanceOwners(tx);
  if (!owners.some((o) => o.userId === user.id)) return;
  if (!editor.instanceOwner) throw permissionDenied(`only an instance owner may ${verb} an instance owner`);
  if (!owners.some((o) => o.userId !== user.id && o.active)) {
    throw failedPrecondition('USER-LastInstanceOwner', `the last instance owner cannot be ${verb}d`);
  }
}

/**
 * DeactivateUser. Every token issued before it stays refused for good, even after a reactivation
 * (ZITADEL bug #8489: deactivated users kept using their tokens).
 */
export function deactivateUser(storage: Storage, orgId: string, userId: string, editor: Editor): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    const user = await findUserRow(tx, orgId, userId);
    if (user.state === 'USER_STATE_INACTIVE') throw failedPrecondition('USER-AlreadyInactive', 'user is already deactivated');
    await guardLockout(tx, user, editor, 'deactivate');
    await tx.run("UPDATE users SET state = 'USER_STATE_INACTIVE' WHERE id = ?", [userId]);
    await revokeAllTokensOf(tx, userId);
    return touchUser(tx, orgId, userId, editor.userId, 'user.deactivated');
  });
}

export function reactivateUser(storage: Storage, orgId: string, userId: string, editor: Editor): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    const user = await findUserRow(tx, orgId, userId);
    if (user.state !== 'USER_STATE_INACTIVE') throw failedPrecondition('USER-NotInactive', 'user is not deactivated');
    await tx.run("UPDATE users SET state = 'USER_STATE_ACTIVE' WHERE id = ?", [userId]);
    return touchUser(tx, orgId, userId, editor.userId, 'user.reactivated');
  });
}

/**
 * RemoveUser: the row goes, and with it (by cascade) its secret and memberships. Its events stay:
 * they are the audit trail, and they never held a secret.
 */
export function removeUser(storage: Storage, orgId: string, userId: string, editor: Editor): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    const user = await findUserRow(tx, orgId, userId);
    await guardLockout(tx, user, editor, 'delete');
    const ev = await appendEvent(tx, {
      type: 'user.removed',
      aggregateType: 'user',
      aggregateId: userId,
      resourceOwner: orgId,
      editorUserId: editor.userId,
      payload: { userName: user.username },
    });
    await tx.run('DELETE FROM users WHERE id = ?', [userId]);
    return details(ev.sequence, ev.createdAt, orgId);
  });
}

/**
 * "Revoke Tokens": every access token the service user holds stops working at once, and none it
 * is issued afterwards, even within the same millisecond or from a clock that ran fast.
 */
export function revokeAllTokens(storage: Storage, orgId: string, userId: string, editorUserId: string | null): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    const user = await findUserRow(tx, orgId, userId);
    requireMachine(user);
    await revokeAllTokensOf(tx, userId);
    return touchUser(tx, orgId, userId, editorUserId, 'user.token.revoked_all');
  });
}
