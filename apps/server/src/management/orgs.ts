import { addOrgResponseSchema, addOrgSchema, detailsResponseSchema, getMyOrgResponseSchema, updateOrgSchema } from '@tessera/contracts';
import { createOrg, renameOrg } from '../domain/orgs/commands.js';
import { endpoint, type Endpoint } from './endpoint.js';

export const orgEndpoints: Endpoint[] = [
  endpoint({
    method: 'get',
    path: '/orgs/me',
    summary: 'GetMyOrg',
    permission: 'org.read',
    response: getMyOrgResponseSchema,
    handler: async ({ ctx, orgId }) => ({ org: await ctx.orgViews.get(orgId) }),
  }),
  endpoint({
    method: 'put',
    path: '/orgs/me',
    summary: 'UpdateOrg',
    permission: 'org.write',
    body: updateOrgSchema,
    response: detailsResponseSchema,
    handler: ({ ctx, orgId, principal, body }) => renameOrg(ctx.storage, orgId, principal.userId, body.name),
  }),
  // AddOrg. ZITADEL lets any signed-in user create one; here it is the instance owner's alone.
  endpoint({
    method: 'post',
    path: '/orgs',
    summary: 'AddOrg',
    permission: 'org.create',
    scope: 'instance',
    body: addOrgSchema,
    response: addOrgResponseSchema,
    handler: ({ ctx, principal, body }) =>
      createOrg(ctx.storage, { name: body.name, instanceHost: new URL(ctx.config.issuer).hostname, editorUserId: principal.userId }),
  }),
];
