import { isOrgRole, sortOrgRoles, type ObjectDetails, type OrgRole } from '@tessera/contracts';
import { isUniqueViolation, type Sql, type Storage } from '../../storage/port.js';
import { alreadyExists, DomainError, failedPrecondition, invalidArgument } from '../errors.js';
import { appendEvent, details } from '../events.js';

/** Roles must be known org roles; they are stored in ORG_ROLES order so equal sets compare equal. */
function checkRoles(roles: readonly string[]): OrgRole[] {
  if (roles.length === 0) throw invalidArgument('MEMBER-RolesEmpty', 'at least one role is required', 'roles');
  const unknown = roles.filter((r) => !isOrgRole(r));
  if (unknown.length > 0) {
    throw invalidArgument('MEMBER-RoleUnknown', `unknown role${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, 'roles');
  }
  return sortOrgRoles(roles as OrgRole[]);
}

const memberNotFound = () => new DomainError('not_found', 'MEMBER-NotFound', 'the user is not a manager of this organization', 'userId');
const duplicate = () => alreadyExists('MEMBER-AlreadyExists', 'the user is already a manager of this organization', 'userId');

async function currentRoles(tx: Sql, orgId: string, userId: string): Promise<OrgRole[] | undefined> {
  const row = await tx.one<{ roles: string }>('SELECT roles FROM org_members WHERE org_id = ? AND user_id = ?', [orgId, userId]);
  return row === undefined ? undefined : (JSON.parse(row.roles) as OrgRole[]);
}

/**
 * AddOrgMember: grants manager roles to a user of this organization, human or service user.
 * A user of another organization is "not found", exactly like one that does not exist.
 */
export async function addOrgMember(
  storage: Storage,
  orgId: string,
  editorUserId: string | null,
  input: { userId: string; roles: readonly string[] },
): Promise<{ details: ObjectDetails }> {
  try {
    return await storage.command(async (tx) => {
      const roles = checkRoles(input.roles);
      const user = await tx.one('SELECT 1 FROM users WHERE id = ? AND org_id = ?', [input.userId, orgId]);
      if (!user) throw new DomainError('not_found', 'USER-NotFound', 'user not found', 'userId');
      if (await currentRoles(tx, orgId, input.userId)) throw duplicate();
      const ev = await appendEvent(tx, {
        type: 'org.member.added',
        aggregateType: 'org',
        aggregateId: orgId,
        resourceOwner: orgId,
        editorUserId,
        payload: { userId: input.userId, roles },
      });
      await tx.run('INSERT INTO org_members (org_id, user_id, roles, sequence, created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?)', [
        orgId,
        input.userId,
        JSON.stringify(roles),
        ev.sequence,
        ev.createdAt,
        ev.createdAt,
      ]);
      return { details: details(ev.sequence, ev.createdAt, orgId, ev.createdAt) };
    });
  } catch (err) {
    // The primary key has the last word should two grants race past the check.
    if (isUniqueViolation(err)) throw duplicate();
    throw err;
  }
}

/** UpdateOrgMember: replaces the manager's roles; the change holds from its very next request. */
export function updateOrgMember(
  storage: Storage,
  orgId: string,
  editorUserId: string | null,
  userId: string,
  input: { roles: readonly string[] },
): Promise<{ details: ObjectDetails }> {
  return storage.command(async (tx) => {
    const roles = checkRoles(input.roles);
    const before = await currentRoles(tx, orgId, userId);
    if (!before) throw memberNotFound();
    // ZITADEL answers an unchanged role set with FailedPrecondition (Errors.Org.Member.RolesNotChanged).
    if (JSON.stringify(before) === JSON.stringify(roles)) {
      throw failedPrecondition('MEMBER-RolesNotChanged', 'the manager already has exactly these roles');
    }
    const ev = await appendEvent(tx, {
      type: 'org.member.changed',
      aggregateType: 'org',
      aggregateId: orgId,
      resourceOwner: orgId,
      editorUserId,
      payload: { userId, roles },
    });
    await tx.run('UPDATE org_members SET roles = ?, sequence = ?, changed_at = ? WHERE org_id = ? AND user_id = ?', [
      JSON.stringify(roles),
      ev.sequence,
      ev.createdAt,
      orgId,
      userId,
    ]);
    return { details: details(ev.sequence, ev.createdAt, orgId) };
  });
}

/** RemoveOrgMember: the user keeps its account but loses every manager role in this organization. */
export function removeOrgMember(storage: Storage, orgId: string, editorUserId: string | null, userId: string): Promise<{ details: ObjectDetails }> {
  return storage.command(async (tx) => {
    if (!(await currentRoles(tx, orgId, userId))) throw memberNotFound();
    const ev = await appendEvent(tx, {
      type: 'org.member.removed',
      aggregateType: 'org',
      aggregateId: orgId,
      resourceOwner: orgId,
      editorUserId,
      payload: { userId },
    });
    await tx.run('DELETE FROM org_members WHERE org_id = ? AND user_id = ?', [orgId, userId]);
    return { details: details(ev.sequence, ev.createdAt, orgId) };
  });
}
