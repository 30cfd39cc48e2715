import type { ProjectRoleView, ProjectView } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import { grantableProjects, groupRoles, keptRoleKeys } from './grant-roles';

const DETAILS = { sequence: '1', changeDate: '2026-01-01T00:00:00Z', resourceOwner: '1' };
const role = (key: string, group = ''): ProjectRoleView => ({ key, displayName: '', group, details: DETAILS });
const project = (id: string): ProjectView => ({ id, name: `p${id}`, state: 'PROJECT_STATE_ACTIVE', details: DETAILS });

describe('groupRoles', () => {
  it('lists roles without a group first, then groups by name, keys sorted within each', () => {
    const groups = groupRoles([role('write', 'orders'), role('admin'), role('read', 'orders'), role('audit', 'billing'), role('a-viewer')]);
    expect(groups.map((g) => [g.group, g.roles.map((r) => r.key)])).toEqual([
      ['', ['a-viewer', 'admin']],
      ['billing', ['audit']],
      ['orders', ['read', 'write']],
    ]);
  });

  it('gives no group for no roles', () => {
    expect(groupRoles([])).toEqual([]);
  });
});

describe('grantableProjects', () => {
  it('leaves out the projects the user already holds a grant on', () => {
    expect(grantableProjects([project('1'), project('2'), project('3')], [{ projectId: '2' }]).map((p) => p.id)).toEqual(['1', '3']);
  });
});

describe('keptRoleKeys', () => {
  it("sends the ticked keys in the project's order, without a key deleted meanwhile", () => {
    expect(keptRoleKeys(['write', 'gone', 'read'], [role('read'), role('write'), role('admin')])).toEqual(['read', 'write']);
  });
});
