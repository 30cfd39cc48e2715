import type {
  AddUserGrantRequest,
  AddUserGrantResponse,
  ListUserGrantsRequest,
  ListUserGrantsResponse,
  ObjectDetails,
  UserGrantView,
} from '@tessera/contracts';
import { newId } from '../../storage/ids.js';
import { isUniqueViolation, type Sql, type Storage } from '../../storage/port.js';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../errors.js';
import { appendEvent, details } from '../events.js';
import { requireProject } from '../projects/projects.js';
import { unknownRoleKeys } from '../projects/roles.js';
import { findUserRow } from '../users/queries.js';

const duplicate = () => alreadyExists('GRANT-AlreadyExists', 'the user already has a grant on this project; update it instead', 'projectId');
const grantNotFound = () => notFound('GRANT-NotFound', 'user grant not found');

/** Every key must be a role of the project: a grant of a role that does not exist is refused, never kept. */
async function checkRoleKeys(sql: Sql, projectId: string, roleKeys: readonly string[]): Promise<void> {
  const unknown = await unknownRoleKeys(sql, projectId, roleKeys);
  if (unknown.length) {
    throw invalidArgument('GRANT-RoleUnknown', `the project has no role${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; add it first`, 'roleKeys');
  }
}

async function grantEvent(tx: Sql, orgId: string, userId: string, editorUserId: string | null, type: string, payload: Record<string, unknown>) {
  return appendEvent(tx, { type, aggregateType: 'user', aggregateId: userId, resourceOwner: orgId, editorUserId, payload });
}

/** AddUserGrant: the user (of this organization) holds these roles of the project (of this organization). One grant per user and project. */
export async function addUserGrant(
  storage: Storage,
  orgId: string,
  userId: string,
  editorUserId: string | null,
  input: AddUserGrantRequest,
): Promise<AddUserGrantResponse> {
  try {
    return await storage.command(async (tx) => {
      await findUserRow(tx, orgId, userId);
      await requireProject(tx, orgId, input.projectId);
      await checkRoleKeys(tx, input.projectId, input.roleKeys);
      if (await tx.one('SELECT 1 FROM user_grants WHERE user_id = ? AND project_id = ?', [userId, input.projectId])) throw duplicate();
      const id = newId();
      const ev = await grantEvent(tx, orgId, userId, editorUserId, 'user.grant.added', { grantId: id, projectId: input.projectId, roleKeys: input.roleKeys });
      await tx.run('INSERT INTO user_grants (id, user_id, project_id, org_id, role_keys, sequence, created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        id,
        userId,
        input.projectId,
        orgId,
        JSON.stringify(input.roleKeys),
        ev.sequence,
        ev.createdAt,
        ev.createdAt,
      ]);
      return { userGrantId: id, details: details(ev.sequence, ev.createdAt, orgId, ev.createdAt) };
    });
  } catch (err) {
    // Two grants racing past the check: the unique index on (user, project) has the last word.
    if (isUniqueViolation(err)) throw duplicate();
    throw err;
  }
}

async function requireGrant(sql: Sql, orgId: string, userId: string, grantId: string) {
  const row = await sql.one<{ project_id: string; role_keys: string }>(
    'SELECT project_id, role_keys FROM user_grants WHERE id = ? AND user_id = ? AND org_id = ?',
    [grantId, userId, orgId],
  );
  if (!row) throw grantNotFound();
  return row;
}

/** UpdateUserGrant: replaces the grant's roles; introspection and userinfo answer with them from the next request. */
export function updateUserGrant(
  storage: Storage,
  orgId: string,
  userId: string,
  grantId: string,
  editorUserId: string | null,
  input: { roleKeys: string[] },
): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    const grant = await requireGrant(tx, orgId, userId, grantId);
    await checkRoleKeys(tx, grant.project_id, input.roleKeys);
    const before = JSON.parse(grant.role_keys) as string[];
    if (before.length === input.roleKeys.length && before.every((k) => input.roleKeys.includes(k))) {
      throw failedPrecondition('GRANT-NotChanged', 'the grant already has exactly these roles');
    }
    const ev = await grantEvent(tx, orgId, userId, editorUserId, 'user.grant.changed', { grantId, projectId: grant.project_id, roleKeys: input.roleKeys });
    await tx.run('UPDATE user_grants SET role_keys = ?, sequence = ?, changed_at = ? WHERE id = ?', [
      JSON.stringify(input.roleKeys),
      ev.sequence,
      ev.createdAt,
      grantId,
    ]);
    return details(ev.sequence, ev.createdAt, orgId);
  });
}

/** RemoveUserGrant: the roles are gone from the next introspection or userinfo request. */
export function removeUserGrant(storage: Storage, orgId: string, userId: string, grantId: string, editorUserId: string | null): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    const grant = await requireGrant(tx, orgId, userId, grantId);
    const ev = await grantEvent(tx, orgId, userId, editorUserId, 'user.grant.removed', { grantId, projectId: grant.project_id });
    await tx.run('DELETE FROM user_grants WHERE id = ?', [grantId]);
    return details(ev.sequence, ev.createdAt, orgId);
  });
}

interface GrantRow {
  id: string;
  user_id: string;
  project_id: string;
  role_keys: string;
  sequence: number;
  created_at: string;
  changed_at: string;
  username: string;
  display_name: string;
  type: 'human' | 'machine';
  org_name: string;
  primary_domain: string;
  project_name: string;
}

/** ListUserGrants: the organization's grants, newest first unless asc; every query must match. */
export async function listUserGrants(sql: Sql, orgId: string, req: ListUserGrantsRequest): Promise<ListUserGrantsResponse> {
  const where = ['g.org_id = ?'];
  const params: unknown[] = [orgId];
  const roleKeys: string[] = [];
  for (const q of req.queries ?? []) {
    if ('userIdQuery' in q) {
      where.push('g.user_id = ?');
      params.push(q.userIdQuery.userId);
    } else if ('projectIdQuery' in q) {
      where.push('g.project_id = ?');
      params.push(q.projectIdQuery.projectId);
    } else {
      roleKeys.push(q.roleKeyQuery.roleKey);
    }
  }
  const rows = await sql.all<GrantRow>(
    `SELECT g.id, g.user_id, g.project_id, g.role_keys, g.sequence, g.created_at, g.changed_at,
            u.username, u.display_name, u.type, o.name AS org_name, o.primary_domain, p.name AS project_name
     FROM user_grants g JOIN users u ON u.id = g.user_id JOIN orgs o ON o.id = g.org_id JOIN projects p ON p.id = g.project_id
     WHERE ${where.join(' AND ')} ORDER BY g.id ${req.query?.asc ? 'ASC' : 'DESC'}`,
    params,
  );
  const found = rows.filter((r) => {
    const keys = JSON.parse(r.role_keys) as string[];
    return roleKeys.every((k) => keys.includes(k));
  });
  const offset = req.query?.offset ?? 0;
  const page = found.slice(offset, offset + (req.query?.limit || 100));
  return { details: { totalResult: String(found.length), viewTimestamp: new Date().toISOString() }, result: page.map((r) => toView(r, orgId)) };
}

const toView = (r: GrantRow, orgId: string): UserGrantView => ({
  id: r.id,
  details: details(r.sequence, r.changed_at, orgId, r.created_at),
  roleKeys: JSON.parse(r.role_keys) as string[],
  state: 'USER_GRANT_STATE_ACTIVE',
  userId: r.user_id,
  userName: r.username,
  displayName: r.display_name,
  preferredLoginName: `${r.username}@${r.primary_domain}`,
  userType: r.type === 'human' ? 'TYPE_HUMAN' : 'TYPE_MACHINE',
  orgId,
  orgName: r.org_name,
  orgDomain: r.primary_domain,
  projectId: r.project_id,
  projectName: r.project_name,
});
