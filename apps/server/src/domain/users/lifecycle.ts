import { INSTANCE_OWNER_ROLE, type ObjectDetails } from '@tessera/contracts';
import { inTransaction, type Db } from '../../storage/db.js';
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

const isInstanceOwner = (db: Db, userId: string) =>
  db
    .prepare(`SELECT 1 FROM instance_members m, json_each(m.roles) r WHERE m.user_id = ? AND r.value = ?`)
    .get(userId, INSTANCE_OWNER_ROLE) !== undefined;

const otherActiveInstanceOwners = (db: Db, userId: string) =>
  db
    .prepare(
      `SELECT count(*) FROM instance_members m JOIN users u ON u.id = m.user_id, json_each(m.roles) r
       WHERE m.user_id <> ? AND u.state = 'USER_STATE_ACTIVE' AND r.value = ?`,
    )
    .pluck()
    .get(userId, INSTANCE_OWNER_ROLE) as number;

/**
 * Deleting or deactivating must never lock everyone out: not yourself (the session or token you are
 * using would die mid-call), not the last active instance owner, and an instance owner only at the
 * hands of another instance owner (an organization's manager must not remove the instance's admin).
 */
function guardLockout(db: Db, user: UserRow, editor: Editor, verb: 'delete' | 'deactivate'): void {
  if (user.id === editor.userId) throw failedPrecondition('USER-Self', `you cannot ${verb} yourself`);
  if (!isInstanceOwner(db, user.id)) return;
  if (!editor.instanceOwner) throw permissionDenied(`only an instance owner may ${verb} an instance owner`);
  if (otherActiveInstanceOwners(db, user.id) === 0) {
    throw failedPrecondition('USER-LastInstanceOwner', `the last instance owner cannot be ${verb}d`);
  }
}

/**
 * DeactivateUser. Every token issued before it stays refused for good, even after a reactivation
 * (ZITADEL bug #8489: deactivated users kept using their tokens).
 */
export function deactivateUser(db: Db, orgId: string, userId: string, editor: Editor): ObjectDetails {
  return inTransaction(db, () => {
    const user = findUserRow(db, orgId, userId);
    if (user.state === 'USER_STATE_INACTIVE') throw failedPrecondition('USER-AlreadyInactive', 'user is already deactivated');
    guardLockout(db, user, editor, 'deactivate');
    db.prepare("UPDATE users SET state = 'USER_STATE_INACTIVE' WHERE id = ?").run(userId);
    revokeAllTokensOf(db, userId);
    return touchUser(db, orgId, userId, editor.userId, 'user.deactivated');
  });
}

export function reactivateUser(db: Db, orgId: string, userId: string, editor: Editor): ObjectDetails {
  return inTransaction(db, () => {
    const user = findUserRow(db, orgId, userId);
    if (user.state !== 'USER_STATE_INACTIVE') throw failedPrecondition('USER-NotInactive', 'user is not deactivated');
    db.prepare("UPDATE users SET state = 'USER_STATE_ACTIVE' WHERE id = ?").run(userId);
    return touchUser(db, orgId, userId, editor.userId, 'user.reactivated');
  });
}

/**
 * RemoveUser: the row goes, and with it (by cascade) its secret and memberships. Its events stay:
 * they are the audit trail, and they never held a secret.
 */
export function removeUser(db: Db, orgId: string, userId: string, editor: Editor): ObjectDetails {
  return inTransaction(db, () => {
    const user = findUserRow(db, orgId, userId);
    guardLockout(db, user, editor, 'delete');
    const ev = appendEvent(db, {
      type: 'user.removed',
      aggregateType: 'user',
      aggregateId: userId,
      resourceOwner: orgId,
      editorUserId: editor.userId,
      payload: { userName: user.username },
    });
    db.prepare('DELETE FROM users WHERE id = ?').run(userId);
    return details(ev.sequence, ev.createdAt, orgId);
  });
}

/**
 * "Revoke Tokens": every access token the service user holds stops working at once, and none it
 * is issued afterwards, even within the same millisecond or from a clock that ran fast.
 */
export function revokeAllTokens(db: Db, orgId: string, userId: string, editorUserId: string | null): ObjectDetails {
  return inTransaction(db, () => {
    const user = findUserRow(db, orgId, userId);
    requireMachine(user);
    revokeAllTokensOf(db, userId);
    return touchUser(db, orgId, userId, editorUserId, 'user.token.revoked_all');
  });
}
