import {
  addProjectResponseSchema,
  addProjectRoleSchema,
  addProjectSchema,
  detailsResponseSchema,
  getProjectResponseSchema,
  listProjectChangesResponseSchema,
  listProjectChangesSchema,
  listProjectRolesResponseSchema,
  listProjectRolesSchema,
  listProjectsResponseSchema,
  listProjectsSchema,
  roleKeySchema,
  updateProjectSchema,
} from '@tessera/contracts';
import { invalidArgument } from '../domain/errors.js';
import { listProjectChanges } from '../domain/projects/changes.js';
import { addProject, getProject, listProjects, removeProject, updateProject } from '../domain/projects/projects.js';
import { addProjectRole, listProjectRoles, removeProjectRole } from '../domain/projects/roles.js';
import { endpoint, type Endpoint } from './endpoint.js';

/** A role key from the path: the same rule as the body's. */
function roleKeyParam(value: string | undefined): string {
  const checked = roleKeySchema.safeParse(value);
  if (!checked.success) throw invalidArgument('PROJECT-BadRoleKey', 'roleKey is not a valid role key', 'roleKey');
  return checked.data;
}

/** Projects (the APIs an organization secures) and their roles, as ZITADEL's management API has them. */
export const projectEndpoints: Endpoint[] = [
  endpoint({
    method: 'post',
    path: '/projects',
    summary: 'AddProject',
    permission: 'project.create',
    body: addProjectSchema,
    response: addProjectResponseSchema,
    handler: ({ ctx, orgId, principal, body }) => addProject(ctx.storage, orgId, principal.userId, body),
  }),
  endpoint({
    method: 'post',
    path: '/projects/_search',
    summary: 'ListProjects',
    permission: 'project.read',
    body: listProjectsSchema,
    response: listProjectsResponseSchema,
    handler: ({ ctx, orgId, body }) => listProjects(ctx.storage, orgId, body),
  }),
  endpoint({
    method: 'get',
    path: '/projects/:projectId',
    summary: 'GetProjectByID',
    permission: 'project.read',
    response: getProjectResponseSchema,
    handler: async ({ ctx, orgId, params }) => ({ project: await getProject(ctx.storage, orgId, params.projectId!) }),
  }),
  endpoint({
    method: 'put',
    path: '/projects/:projectId',
    summary: 'UpdateProject',
    permission: 'project.write',
    body: updateProjectSchema,
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params, body }) => ({
      details: await updateProject(ctx.storage, orgId, params.projectId!, principal.userId, body),
    }),
  }),
  endpoint({
    method: 'delete',
    path: '/projects/:projectId',
    summary: 'RemoveProject',
    permission: 'project.delete',
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params }) => ({ details: await removeProject(ctx.storage, orgId, params.projectId!, principal.userId) }),
  }),
  endpoint({
    method: 'post',
    path: '/projects/:projectId/roles',
    summary: 'AddProjectRole',
    permission: 'project.role.write',
    body: addProjectRoleSchema,
    response: detailsResponseSchema,
    handler: ({ ctx, orgId, principal, params, body }) => addProjectRole(ctx.storage, orgId, params.projectId!, principal.userId, body),
  }),
  endpoint({
    method: 'post',
    path: '/projects/:projectId/roles/_search',
    summary: 'ListProjectRoles',
    permission: 'project.role.read',
    body: listProjectRolesSchema,
    response: listProjectRolesResponseSchema,
    handler: ({ ctx, orgId, params, body }) => listProjectRoles(ctx.storage, orgId, params.projectId!, body),
  }),
  endpoint({
    method: 'delete',
    path: '/projects/:projectId/roles/:roleKey',
    summary: 'RemoveProjectRole',
    permission: 'project.role.delete',
    response: detailsResponseSchema,
    handler: ({ ctx, orgId, principal, params }) => removeProjectRole(ctx.storage, orgId, params.projectId!, roleKeyParam(params.roleKey), principal.userId),
  }),
  endpoint({
    method: 'post',
    path: '/projects/:projectId/changes/_search',
    summary: 'ListProjectChanges',
    permission: 'project.read',
    body: listProjectChangesSchema,
    response: listProjectChangesResponseSchema,
    handler: ({ ctx, orgId, params, body }) => listProjectChanges(ctx.storage, orgId, params.projectId!, body),
  }),
];
