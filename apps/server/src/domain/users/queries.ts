import type { MachineUserView } from '@tessera/contracts';
import type { Db } from '../../storage/db.js';
import { notFound } from '../errors.js';
import { toUserView, USER_COLUMNS, USER_FROM, type UserRow } from './views.js';

export function getUser(db: Db, orgId: string, userId: string): MachineUserView {
  return toUserView(findUserRow(db, orgId, userId));
}

/** A user of this organization; another organization's user is "not found", exactly like a missing one. */
export function findUserRow(db: Db, orgId: string, userId: string): UserRow {
  const row = db.prepare(`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE u.id = ? AND u.org_id = ?`).get(userId, orgId) as
    | UserRow
    | undefined;
  if (!row) throw notFound('USER-NotFound', 'user not found');
  return row;
}
