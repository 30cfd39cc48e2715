import type { ListUserChangesResponse } from '@tessera/contracts';
import { listChanges, typeAsWords, utcMinute, type ListChanges } from '../changes.js';
import type { Sql } from '../../storage/port.js';
import { findUserRow } from './queries.js';

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

function messageFor(type: string, payload: Record<string, unknown>): string {
  if (type === 'user.machine.secret.set' && typeof payload.previousValidUntil === 'string') {
    return `Client secret generated, previous valid until ${utcMinute(payload.previousValidUntil)}`;
  }
  return USER_EVENT_MESSAGES[type] ?? typeAsWords(type);
}

/** ListUserChanges: the user's events. A user of another organization is "not found". */
export async function listUserChanges(sql: Sql, orgId: string, userId: string, req: ListChanges): Promise<ListUserChangesResponse> {
  await findUserRow(sql, orgId, userId);
  return listChanges(sql, 'user', userId, req, messageFor);
}
