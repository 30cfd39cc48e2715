import type { ListProjectChangesResponse } from '@tessera/contracts';
import { listChanges, typeAsWords, type ListChanges } from '../changes.js';
import type { Sql } from '../../storage/port.js';
import { projectNotFound } from './projects.js';

/** What the console's activity list says for each event type of a project (its roles, applications and their keys included). */
export const PROJECT_EVENT_MESSAGES: Record<string, string> = {
  'project.added': 'Project created',
  'project.changed': 'Project renamed',
  'project.removed': 'Project deleted',
  'project.role.added': 'Role added',
  'project.role.removed': 'Role removed',
  'project.application.added': 'Application added',
  'project.application.removed': 'Application removed',
  'project.application.secret.changed': 'Application client secret regenerated',
  'project.application.key.added': 'Application key added',
  'project.application.key.removed': 'Application key removed',
};

/** The message, with what it names when the event says: "Role orders.read added", "Application orders-backend removed". */
function messageFor(type: string, payload: Record<string, unknown>): string {
  const known = PROJECT_EVENT_MESSAGES[type] ?? typeAsWords(type);
  const named = typeof payload.roleKey === 'string' ? payload.roleKey : typeof payload.name === 'string' ? payload.name : undefined;
  if (named === undefined || type === 'project.added' || type === 'project.removed') return known;
  if (type === 'project.changed') return `${known} to ${named}`;
  const [subject, ...rest] = known.split(' ');
  return [subject, named, ...rest].join(' ');
}

/**
 * ListProjectChanges: every event of the project (its roles, applications, secrets and keys are its
 * events, as in ZITADEL), its removal included. User grants are events of the user they grant to,
 * listed by ListUserChanges, as ZITADEL keeps them apart from the project. A project that is not,
 * and never was, this organization's is "not found".
 */
export async function listProjectChanges(sql: Sql, orgId: string, projectId: string, req: ListChanges): Promise<ListProjectChangesResponse> {
  const known = await sql.one("SELECT 1 FROM events WHERE aggregate_type = 'project' AND aggregate_id = ? AND resource_owner = ? LIMIT 1", [projectId, orgId]);
  if (!known) throw projectNotFound();
  return listChanges(sql, 'project', projectId, req, messageFor);
}
