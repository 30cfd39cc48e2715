import { ORG_ROLE_KEYS, type ListOrgMemberRolesResponse, type ListOrgMembersQuery, type ListOrgMembersResponse, type OrgMemberView } from '@tessera/contracts';
import type { Sql } from '../../storage/port.js';
import { details } from '../events.js';

/** A member row joined with its user and the user's organization's domain: the same for org and instance members. */
export interface MemberRow {
  user_id: string;
  roles: string;
  sequence: number;
  created_at: string;
  changed_at: string;
  username: string;
  display_name: string;
  type: 'human' | 'machine';
  primary_domain: string;
}

export function toMemberView(orgId: string, r: MemberRow): OrgMemberView {
  return {
    userId: r.user_id,
    details: details(r.sequence, r.changed_at, orgId, r.created_at),
    roles: JSON.parse(r.roles) as string[],
    preferredLoginName: `${r.username}@${r.primary_domain}`,
    displayName: r.display_name,
    userType: r.type === 'machine' ? 'TYPE_MACHINE' : 'TYPE_HUMAN',
  };
}

export const DEFAULT_LIMIT = 100;

/** ListOrgMembers: the managers of one organization, ordered by when they were added (asc defaults to false). */
export async function listOrgMembers(sql: Sql, orgId: string, req: ListOrgMembersQuery): Promise<ListOrgMembersResponse> {
  const args: unknown[] = [orgId];
  const conditions = ['m.org_id = ?'];
  for (const q of req.queries ?? []) {
    conditions.push('m.user_id = ?');
    args.push(q.userIdQuery.userId);
  }
  const where = conditions.join(' AND ');
  const order = req.query?.asc ? 'ASC' : 'DESC';
  const limit = req.query?.limit || DEFAULT_LIMIT;
  const offset = req.query?.offset ?? 0;
  const total = (await sql.one<{ n: number }>(`SELECT count(*) AS n FROM org_members m WHERE ${where}`, args))!.n;
  const rows = await sql.all<MemberRow>(
    `SELECT m.user_id, m.roles, m.sequence, m.created_at, m.changed_at, u.username, u.display_name, u.type, o.primary_domain
       FROM org_members m JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = u.org_id
       WHERE ${where} ORDER BY m.created_at ${order}, m.user_id ${order} LIMIT ? OFFSET ?`,
    [...args, limit, offset],
  );
  return {
    details: { totalResult: String(total), viewTimestamp: new Date().toISOString() },
    result: rows.map((r) => toMemberView(orgId, r)),
  };
}

/** ListOrgMemberRoles: the role keys a manager can be given, in ZITADEL's order. */
export function listOrgMemberRoles(): ListOrgMemberRolesResponse {
  return { result: [...ORG_ROLE_KEYS] };
}
