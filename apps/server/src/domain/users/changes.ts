import type { ListUserChangesResponse, listUserChangesSchema } from '@tessera/contracts';
import type { z } from 'zod';
import type { Sql } from '../../storage/port.js';
import { findUserRow } from './queries.js';

export type ListUserChanges = z.output<typeof listUserChangesSchema>;

/** What the console's activity list says for each event type. */
export const USER_EVENT_MESSAGES: Record<string, string> = {
  'user.human.added': 'User created',
  'user.machine.added': 'Service user created',
  'user.machine.changed': 'Service user changed',
  'user.machine.secret.set': 'Client secret generated',
  'user.machine.secret.removed': 'Client secret removed',
  'user.machine.secret.revoked': 'Client secret revoked',
  'user.machine.key.added': 'Key added',
  'user.machine.key.removed': 'Key removed',
  'user.pat.added': 'Personal access token added',
  'user.pat.removed': 'Personal access token removed',
  'user.token.revoked_all': 'All tokens revoked',
  'user.deactivated': 'User deactivated',
  'user.reactivated': 'User reactivated',
  'user.removed': 'User deleted',
  'user.grant.added': 'Project roles granted',
  'user.grant.changed': 'Project roles changed',
  'user.grant.removed': 'Project grant removed',
};

/** A time in a message: minutes, in UTC, the same for every reader ("2026-12-02 14:05 UTC"). */
const utcMinute = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** An event type nobody gave a message yet still reads as words: "user.foo.bar" -> "User foo bar". */
function messageFor(type: string, payload: Record<string, unknown>): string {
  if (type === 'user.machine.secret.set' && typeof payload.previousValidUntil === 'string') {
    return `Client secret generated, previous valid until ${utcMinute(payload.previousValidUntil)}`;
  }
  const known = USER_EVENT_MESSAGES[type];
  if (known) return known;
  const words = type.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const DEFAULT_CHANGES_LIMIT = 50;

interface ChangeRow {
  sequence: number;
  created_at: string;
  type: string;
  editor_user_id: string | null;
  resource_owner: string;
  editor_name: string | null;
  payload: string;
}

/**
 * ListUserChanges: the user's events, newest first unless asc. `sequence` pages: the changes after
 * it in the chosen direction. A user of another organization is "not found".
 */
export async function listUserChanges(sql: Sql, orgId: string, userId: string, req: ListUserChanges): Promise<ListUserChangesResponse> {
  await findUserRow(sql, orgId, userId);
  const asc = req.query?.asc ?? false;
  const cursor = req.query?.sequence || undefined;
  const limit = req.query?.limit || DEFAULT_CHANGES_LIMIT;
  const rows = await sql.all<ChangeRow>(
    `SELECT e.sequence, e.created_at, e.type, e.editor_user_id, e.resource_owner, u.display_name AS editor_name, e.payload
       FROM events e LEFT JOIN users u ON u.id = e.editor_user_id
       WHERE e.aggregate_type = 'user' AND e.aggregate_id = ? ${cursor === undefined ? '' : `AND e.sequence ${asc ? '>' : '<'} ?`}
       ORDER BY e.sequence ${asc ? 'ASC' : 'DESC'} LIMIT ?`,
    [userId, ...(cursor === undefined ? [] : [cursor]), limit],
  );
  return {
    result: rows.map((r) => ({
      changeDate: r.created_at,
      eventType: { key: r.type, localizedMessage: messageFor(r.type, JSON.parse(r.payload) as Record<string, unknown>) },
      sequence: String(r.sequence),
      editorId: r.editor_user_id ?? '',
      // No editor: Tessera itself (first start). An editor since deleted keeps only their id.
      editorDisplayName: r.editor_user_id === null ? 'System' : (r.editor_name ?? 'Deleted user'),
      resourceOwnerId: r.resource_owner,
    })),
  };
}
