import {
  addOrgMemberSchema,
  detailsResponseSchema,
  listMembersSchema,
  listOrgMemberRolesResponseSchema,
  listOrgMemberRolesSchema,
  listOrgMembersResponseSchema,
  updateOrgMemberSchema,
} from '@tessera/contracts';
import { addOrgMember, removeOrgMember, updateOrgMember } from '../domain/members/commands.js';
import { listOrgMemberRoles, listOrgMembers } from '../domain/members/queries.js';
import { endpoint, type Endpoint } from './endpoint.js';

/** The organization's managers: who holds which ORG_* role. */
export const memberEndpoints: Endpoint[] = [
  endpoint({
    method: 'post',
    path: '/orgs/members/roles/_search',
    summary: 'ListOrgMemberRoles',
    permission: 'org.member.read',
    body: listOrgMemberRolesSchema,
    response: listOrgMemberRolesResponseSchema,
    handler: () => listOrgMemberRoles(),
  }),
  endpoint({
    method: 'post',
    path: '/orgs/me/members/_search',
    summary: 'ListOrgMembers',
    permission: 'org.member.read',
    body: listMembersSchema,
    response: listOrgMembersResponseSchema,
    handler: ({ ctx, orgId, body }) => listOrgMembers(ctx.storage, orgId, body),
  }),
  endpoint({
    method: 'post',
    path: '/orgs/me/members',
    summary: 'AddOrgMember',
    permission: 'org.member.write',
    body: addOrgMemberSchema,
    response: detailsResponseSchema,
    handler: ({ ctx, orgId, principal, body }) => addOrgMember(ctx.storage, orgId, principal.userId, body),
  }),
  endpoint({
    method: 'put',
    path: '/orgs/me/members/:userId',
    summary: 'UpdateOrgMember',
    permission: 'org.member.write',
    body: updateOrgMemberSchema,
    response: detailsResponseSchema,
    handler: ({ ctx, orgId, principal, params, body }) => updateOrgMember(ctx.storage, orgId, principal.userId, params.userId!, body),
  }),
  endpoint({
    method: 'delete',
    path: '/orgs/me/members/:userId',
    summary: 'RemoveOrgMember',
    permission: 'org.member.delete',
    response: detailsResponseSchema,
    handler: ({ ctx, orgId, principal, params }) => removeOrgMember(ctx.storage, orgId, principal.userId, params.userId!),
  }),
];
