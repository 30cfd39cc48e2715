import {
  MAX_GRANT_ROLES,
  type AddProjectRoleRequest,
  type ListProjectRolesRequest,
  type ListProjectRolesResponse,
  type ObjectDetails,
} from '@tessera/contracts';
import { isUniqueViolation, type Storage, type Sql } from '../../storage/port.js';
import { alreadyExists, invalidArgument, notFound } from '../errors.js';
import { details } from '../events.js';
import { requireProject, touchProject } from './projects.js';

interface RoleRow {
  role_key: string;
  display_name: string;
  role_group: string;
  sequence: number;
  created_at: string;
  changed_at: string;
}

const duplicate = () => alreadyExists('PROJECT-RoleAlreadyExists', 'the project already has a role with this key', 'roleKey');

/** AddProjectRole: a role key the project's user grants can hand out. */
export async function addProjectRole(
  storage: Storage,
  orgId: string,
  projectId: string,
  editorUserId: string | null,
  input: AddProjectRoleRequest,
): Promise<{ details: ObjectDetails }> {
  try {
    return await storage.command(async (tx) => {
      await requireProject(tx, orgId, projectId, true);
      const { n } = (await tx.one<{ n: number }>('SELECT count(*) AS n FROM project_roles WHERE project_id = ?', [projectId]))!;
      if (n >= MAX_GRANT_ROLES) throw invalidArgument('PROJECT-TooManyRoles', `a project has at most ${MAX_GRANT_ROLES} roles`);
      if (await tx.one('SELECT 1 FROM project_roles WHERE project_id = ? AND role_key = ?', [projectId, input.roleKey])) throw duplicate();
      const d = await touchProject(tx, orgId, projectId, editorUserId, 'project.role.added', {
        roleKey: input.roleKey,
        displayName: input.displayName,
        group: input.group,
      });
      await tx.run(
        'INSERT INTO project_roles (project_id, role_key, display_name, role_group, sequence, created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [projectId, input.roleKey, input.displayName, input.group, Number(d.sequence), d.changeDate, d.changeDate],
      );
      return { details: { ...d, creationDate: d.changeDate } };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate();
    throw err;
  }
}

/** RemoveProjectRole: the key also leaves every user grant that held it, as in ZITADEL. */
export function removeProjectRole(
  storage: Storage,
  orgId: string,
  projectId: string,
  roleKey: string,
  editorUserId: string | null,
): Promise<{ details: ObjectDetails }> {
  return storage.command(async (tx) => {
    await requireProject(tx, orgId, projectId, true);
    const removed = await tx.run('DELETE FROM project_roles WHERE project_id = ? AND role_key = ?', [projectId, roleKey]);
    if (!removed) throw notFound('PROJECT-RoleNotFound', 'the project has no role with this key');
    const d = await touchProject(tx, orgId, projectId, editorUserId, 'project.role.removed', { roleKey });
    const grants = await tx.all<{ id: string; role_keys: string }>('SELECT id, role_keys FROM user_grants WHERE project_id = ?', [projectId]);
    for (const g of grants) {
      const keys = JSON.parse(g.role_keys) as string[];
      if (keys.includes(roleKey)) {
        await tx.run('UPDATE user_grants SET role_keys = ?, sequence = ?, changed_at = ? WHERE id = ?', [
          JSON.stringify(keys.filter((k) => k !== roleKey)),
          Number(d.sequence),
          d.changeDate,
          g.id,
        ]);
      }
    }
    return { details: d };
  });
}

/** The project's role keys that are not among `keys`; inside the command that grants them. */
export async function unknownRoleKeys(sql: Sql, projectId: string, keys: readonly string[]): Promise<string[]> {
  if (!keys.length) return [];
  const known = new Set((await sql.all<{ role_key: string }>('SELECT role_key FROM project_roles WHERE project_id = ?', [projectId])).map((r) => r.role_key));
  return keys.filter((k) => !known.has(k));
}

/** ListProjectRoles: by key. */
export async function listProjectRoles(sql: Sql, orgId: string, projectId: string, req: ListProjectRolesRequest): Promise<ListProjectRolesResponse> {
  await requireProject(sql, orgId, projectId);
  const { n } = (await sql.one<{ n: number }>('SELECT count(*) AS n FROM project_roles WHERE project_id = ?', [projectId]))!;
  const rows = await sql.all<RoleRow>(
    `SELECT role_key, display_name, role_group, sequence, created_at, changed_at FROM project_roles WHERE project_id = ?
     ORDER BY role_key ${req.query?.asc === false ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`,
    [projectId, req.query?.limit || 100, req.query?.offset ?? 0],
  );
  return {
    details: { totalResult: String(n), viewTimestamp: new Date().toISOString() },
    result: rows.map((r) => ({
      key: r.role_key,
      details: details(r.sequence, r.changed_at, orgId, r.created_at),
      displayName: r.display_name,
      group: r.role_group,
    })),
  };
}
