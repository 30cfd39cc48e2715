import type { MachineUserView } from '@tessera/contracts';
import type { Sql } from '../../storage/port.js';
import { notFound } from '../errors.js';
import { toUserView, USER_COLUMNS, USER_FROM, type UserRow } from './views.js';

export async function getUser(sql: Sql, orgId: string, userId: string): Promise<MachineUserView> {
  return toUserView(await findUserRow(sql, orgId, userId));
}

/** A user of this organization; another organization's user is "not found", exactly like a missing one. */
export async function findUserRow(sql: Sql, orgId: string, userId: string): Promise<UserRow> {
  const row = await sql.one<UserRow>(`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE u.id = ? AND u.org_id = ?`, [userId, orgId]);
  if (!row) throw notFound('USER-NotFound', 'user not found');
  return row;
}
