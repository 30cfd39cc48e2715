import {
  addUserGrantResponseSchema,
  addUserGrantSchema,
  detailsResponseSchema,
  listUserGrantsResponseSchema,
  listUserGrantsSchema,
  updateUserGrantSchema,
} from '@tessera/contracts';
import { addUserGrant, listUserGrants, removeUserGrant, updateUserGrant } from '../domain/user-grants/grants.js';
import { endpoint, type Endpoint } from './endpoint.js';

/** User grants: which roles of which project a user holds, read into tokens, introspection and userinfo. */
export const userGrantEndpoints: Endpoint[] = [
  endpoint({
    method: 'post',
    path: '/users/grants/_search',
    summary: 'ListUserGrants',
    permission: 'user.grant.read',
    body: listUserGrantsSchema,
    response: listUserGrantsResponseSchema,
    handler: ({ ctx, orgId, body }) => listUserGrants(ctx.storage, orgId, body),
  }),
  endpoint({
    method: 'post',
    path: '/users/:userId/grants',
    summary: 'AddUserGrant',
    permission: 'user.grant.write',
    body: addUserGrantSchema,
    response: addUserGrantResponseSchema,
    handler: ({ ctx, orgId, principal, params, body }) => addUserGrant(ctx.storage, orgId, params.userId!, principal.userId, body),
  }),
  endpoint({
    method: 'put',
    path: '/users/:userId/grants/:grantId',
    summary: 'UpdateUserGrant',
    permission: 'user.grant.write',
    body: updateUserGrantSchema,
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params, body }) => ({
      details: await updateUserGrant(ctx.storage, orgId, params.userId!, params.grantId!, principal.userId, body),
    }),
  }),
  endpoint({
    method: 'delete',
    path: '/users/:userId/grants/:grantId',
    summary: 'RemoveUserGrant',
    permission: 'user.grant.delete',
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params }) => ({
      details: await removeUserGrant(ctx.storage, orgId, params.userId!, params.grantId!, principal.userId),
    }),
  }),
];
