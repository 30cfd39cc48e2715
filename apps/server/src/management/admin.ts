import {
  addInstanceMemberSchema,
  detailsResponseSchema,
  listInstanceMembersResponseSchema,
  listInstanceMembersSchema,
  listOrgsResponseSchema,
  listOrgsSchema,
  updateInstanceMemberSchema,
} from '@tessera/contracts';
import type { Router } from 'express';
import type { AppContext } from '../context.js';
import { addInstanceMember, listInstanceMembers, removeInstanceMember, updateInstanceMember } from '../domain/members/instance.js';
import { searchOrgs } from '../domain/orgs/queries.js';
import { endpoint, type Endpoint } from './endpoint.js';
import { apiRouter } from './router.js';

/** /admin/v1: ZITADEL's instance-level API. Every endpoint here is instance-wide. */
export const adminEndpoints: readonly Endpoint[] = [
  endpoint({
    method: 'post',
    path: '/orgs/_search',
    summary: 'ListOrgs',
    permission: 'org.read',
    scope: 'instance',
    body: listOrgsSchema,
    response: listOrgsResponseSchema,
    handler: ({ ctx, body }) => searchOrgs(ctx.storage, body),
  }),
  // The instance's administrators (ZITADEL's IAM members).
  endpoint({
    method: 'post',
    path: '/members/_search',
    summary: 'ListIAMMembers',
    permission: 'iam.member.read',
    scope: 'instance',
    body: listInstanceMembersSchema,
    response: listInstanceMembersResponseSchema,
    handler: ({ ctx, body }) => listInstanceMembers(ctx.storage, body),
  }),
  endpoint({
    method: 'post',
    path: '/members',
    summary: 'AddIAMMember',
    permission: 'iam.member.write',
    scope: 'instance',
    body: addInstanceMemberSchema,
    response: detailsResponseSchema,
    handler: ({ ctx, principal, body }) => addInstanceMember(ctx.storage, principal.userId, body),
  }),
  endpoint({
    method: 'put',
    path: '/members/:userId',
    summary: 'UpdateIAMMember',
    permission: 'iam.member.write',
    scope: 'instance',
    body: updateInstanceMemberSchema,
    response: detailsResponseSchema,
    handler: ({ ctx, principal, params, body }) => updateInstanceMember(ctx.storage, principal.userId, params.userId!, body),
  }),
  endpoint({
    method: 'delete',
    path: '/members/:userId',
    summary: 'RemoveIAMMember',
    permission: 'iam.member.delete',
    scope: 'instance',
    response: detailsResponseSchema,
    handler: ({ ctx, principal, params }) => removeInstanceMember(ctx.storage, principal.userId, params.userId!),
  }),
];

export function adminRouter(ctx: AppContext): Router {
  return apiRouter(ctx, adminEndpoints);
}
