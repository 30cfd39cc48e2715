import type { ProjectRoleView, ProjectView, UserGrantView } from '@tessera/contracts';

export interface RoleGroup {
  /** The roles' group, '' for roles without one. */
  group: string;
  roles: ProjectRoleView[];
}

/** Roles as the picker lists them: roles without a group first, then each group by name; keys in order within. */
export function groupRoles(roles: readonly ProjectRoleView[]): RoleGroup[] {
  const groups = new Map<string, ProjectRoleView[]>();
  for (const role of [...roles].sort((a, b) => a.key.localeCompare(b.key))) {
    const list = groups.get(role.group) ?? [];
    list.push(role);
    groups.set(role.group, list);
  }
  return [...groups.entries()].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))).map(([group, list]) => ({ group, roles: list }));
}

/** A user holds at most one grant per project: the projects a new authorization may still be for. */
export function grantableProjects(projects: readonly ProjectView[], grants: readonly Pick<UserGrantView, 'projectId'>[]): ProjectView[] {
  const granted = new Set(grants.map((g) => g.projectId));
  return projects.filter((p) => !granted.has(p.id));
}

/** The ticked keys that still exist, in the project's order: a role deleted meanwhile is not sent back. */
export function keptRoleKeys(ticked: readonly string[], roles: readonly ProjectRoleView[]): string[] {
  const set = new Set(ticked);
  return roles.map((r) => r.key).filter((k) => set.has(k));
}
