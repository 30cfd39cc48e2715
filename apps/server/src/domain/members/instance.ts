import {
  INSTANCE_OWNER_ROLE,
  instanceRoleDefinition,
  type ListInstanceMembersQuery,
  type ListInstanceMembersResponse,
  type ObjectDetails,
} from '@tessera/contracts';
import { isUniqueViolation, type Sql, type Storage } from '../../storage/port.js';
import { alreadyExists, DomainError, failedPrecondition, invalidArgument } from '../errors.js';
import { touchUser } from '../users/commands.js';
import { DEFAULT_LIMIT, toMemberView, type MemberRow } from './queries.js';

/**
 * The instance's administrators (ZITADEL's IAM members): who holds an instance role. Instance roles hold
 * in every organization, so the instance must always keep one active Instance Owner: no change here may
 * leave it without one.
 */

function checkRoles(roles: readonly string[]): string[] {
  const unknown = roles.filter((r) => !instanceRoleDefinition(r));
  if (unknown.length > 0) {
    throw invalidArgument('IAM-MEMBER-RoleUnknown', `unknown instance role${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, 'roles');
  }
  return [...roles].sort();
}

const memberNotFound = () => new DomainError('not_found', 'IAM-MEMBER-NotFound', 'the user is not a member of the instance', 'userId');
const duplicate = () => alreadyExists('IAM-MEMBER-AlreadyExists', 'the user is already a member of the instance', 'userId');

async function memberRoles(tx: Sql, userId: string): Promise<string[] | undefined> {
  const row = await tx.one<{ roles: string }>('SELECT roles FROM instance_members WHERE user_id = ?', [userId]);
  return row && (JSON.parse(row.roles) as string[]);
}

/** Refuses a change that would leave no other active Instance Owner than `userId`, who is losing the role. */
async function keepAnOwner(tx: Sql, userId: string): Promise<void> {
  const owners = await tx.all<{ user_id: string; roles: string }>(
    "SELECT m.user_id, m.roles FROM instance_members m JOIN users u ON u.id = m.user_id WHERE u.state = 'USER_STATE_ACTIVE' AND m.user_id <> ?",
    [userId],
  );
  if (!owners.some((o) => (JSON.parse(o.roles) as string[]).includes(INSTANCE_OWNER_ROLE))) {
    throw failedPrecondition('IAM-MEMBER-LastOwner', 'the instance needs at least one active Instance Owner: make someone else one first');
  }
}

async function userOrg(tx: Sql, userId: string): Promise<string> {
  const user = await tx.one<{ org_id: string }>('SELECT org_id FROM users WHERE id = ?', [userId]);
  if (!user) throw new DomainError('not_found', 'USER-NotFound', 'user not found', 'userId');
  return user.org_id;
}

/** AddIAMMember: any user of any organization, human or service user. */
export async function addInstanceMember(
  storage: Storage,
  editorUserId: string,
  input: { userId: string; roles: readonly string[] },
): Promise<{ details: ObjectDetails }> {
  try {
    return await storage.command(async (tx) => {
      const roles = checkRoles(input.roles);
      const orgId = await userOrg(tx, input.userId);
      if (await memberRoles(tx, input.userId)) throw duplicate();
      const d = await touchUser(tx, orgId, input.userId, editorUserId, 'user.instance.member.added', { roles });
      await tx.run('INSERT INTO instance_members (user_id, roles, created_at, sequence, changed_at) VALUES (?, ?, ?, ?, ?)', [
        input.userId,
        JSON.stringify(roles),
        d.changeDate,
        Number(d.sequence),
        d.changeDate,
      ]);
      return { details: { ...d, creationDate: d.changeDate } };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate();
    throw err;
  }
}

/** UpdateIAMMember: replaces the member's instance roles. */
export function updateInstanceMember(
  storage: Storage,
  editorUserId: string,
  userId: string,
  input: { roles: readonly string[] },
): Promise<{ details: ObjectDetails }> {
  return storage.command(async (tx) => {
    const roles = checkRoles(input.roles);
    const before = await memberRoles(tx, userId);
    if (!before) throw memberNotFound();
    if (JSON.stringify(before) === JSON.stringify(roles)) {
      throw failedPrecondition('IAM-MEMBER-RolesNotChanged', 'the member already has exactly these roles');
    }
    if (before.includes(INSTANCE_OWNER_ROLE) && !roles.includes(INSTANCE_OWNER_ROLE)) await keepAnOwner(tx, userId);
    const d = await touchUser(tx, await userOrg(tx, userId), userId, editorUserId, 'user.instance.member.changed', { roles });
    await tx.run('UPDATE instance_members SET roles = ?, sequence = ?, changed_at = ? WHERE user_id = ?', [
      JSON.stringify(roles),
      Number(d.sequence),
      d.changeDate,
      userId,
    ]);
    return { details: d };
  });
}

/** RemoveIAMMember: the user keeps their account and their organization roles. */
export function removeInstanceMember(storage: Storage, editorUserId: string, userId: string): Promise<{ details: ObjectDetails }> {
  return storage.command(async (tx) => {
    const before = await memberRoles(tx, userId);
    if (!before) throw memberNotFound();
    if (before.includes(INSTANCE_OWNER_ROLE)) await keepAnOwner(tx, userId);
    const d = await touchUser(tx, await userOrg(tx, userId), userId, editorUserId, 'user.instance.member.removed');
    await tx.run('DELETE FROM instance_members WHERE user_id = ?', [userId]);
    return { details: d };
  });
}

/** ListIAMMembers: the instance's administrators, newest first unless asc. */
export async function listInstanceMembers(sql: Sql, req: ListInstanceMembersQuery): Promise<ListInstanceMembersResponse> {
  const ids = (req.queries ?? []).map((q) => q.userIdQuery.userId);
  const where = ids.length ? `WHERE m.user_id IN (${ids.map(() => '?').join(', ')})` : '';
  const order = req.query?.asc ? 'ASC' : 'DESC';
  const total = (await sql.one<{ n: number }>(`SELECT count(*) AS n FROM instance_members m ${where}`, ids))!.n;
  // Members the first start wrote have no change date of their own (before migration 013): their creation is it.
  const rows = await sql.all<MemberRow & { org_id: string }>(
    `SELECT m.user_id, m.roles, m.sequence, m.created_at, COALESCE(m.changed_at, m.created_at) AS changed_at, u.org_id, u.username, u.display_name, u.type, o.primary_domain
     FROM instance_members m JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = u.org_id
     ${where} ORDER BY m.created_at ${order}, m.user_id ${order} LIMIT ? OFFSET ?`,
    [...ids, req.query?.limit || DEFAULT_LIMIT, req.query?.offset ?? 0],
  );
  return {
    details: { totalResult: String(total), viewTimestamp: new Date().toISOString() },
    result: rows.map((r) => toMemberView(r.org_id, r)),
  };
}
