import {
  addHumanUserResponseSchema,
  addHumanUserSchema,
  addMachineUserResponseSchema,
  addMachineUserSchema,
  detailsResponseSchema,
  getUserResponseSchema,
  listUserChangesResponseSchema,
  listUserChangesSchema,
  listUsersResponseSchema,
  listUsersSchema,
  updateMachineSchema,
} from '@tessera/contracts';
import { z } from 'zod';
import { listUserChanges } from '../domain/users/changes.js';
import { addMachineUser, updateMachine } from '../domain/users/commands.js';
import { addHumanUser } from '../domain/users/humans.js';
import { deactivateUser, reactivateUser, removeUser, revokeAllTokens } from '../domain/users/lifecycle.js';
import { getUser } from '../domain/users/queries.js';
import { searchUsers } from '../domain/users/search.js';
import { endpoint, type Endpoint } from './endpoint.js';

/** Actions that take nothing but the path: a body, if any, must be empty. */
const noBody = z.strictObject({});

export const userEndpoints: Endpoint[] = [
  endpoint({
    method: 'post',
    path: '/users/machine',
    summary: 'AddMachineUser',
    permission: 'user.write',
    body: addMachineUserSchema,
    response: addMachineUserResponseSchema,
    handler: ({ ctx, orgId, principal, body }) => addMachineUser(ctx.storage, orgId, principal.userId, body),
  }),
  endpoint({
    method: 'post',
    path: '/users/human',
    summary: 'AddHumanUser',
    permission: 'user.write',
    body: addHumanUserSchema,
    response: addHumanUserResponseSchema,
    handler: ({ ctx, orgId, principal, body }) => addHumanUser(ctx.storage, orgId, principal.userId, body),
  }),
  endpoint({
    method: 'post',
    path: '/users/_search',
    summary: 'ListUsers',
    permission: 'user.read',
    body: listUsersSchema,
    response: listUsersResponseSchema,
    handler: ({ ctx, orgId, body }) => searchUsers(ctx.storage, orgId, body),
  }),
  endpoint({
    method: 'get',
    path: '/users/:userId',
    summary: 'GetUserByID',
    permission: 'user.read',
    response: getUserResponseSchema,
    handler: async ({ ctx, orgId, params }) => ({ user: await getUser(ctx.storage, orgId, params.userId!) }),
  }),
  endpoint({
    method: 'put',
    path: '/users/:userId/machine',
    summary: 'UpdateMachine',
    permission: 'user.write',
    body: updateMachineSchema,
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params, body }) => ({
      details: await updateMachine(ctx.storage, orgId, params.userId!, principal.userId, body),
    }),
  }),
  endpoint({
    method: 'post',
    path: '/users/:userId/_deactivate',
    summary: 'DeactivateUser',
    permission: 'user.write',
    body: noBody,
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params }) => ({ details: await deactivateUser(ctx.storage, orgId, params.userId!, principal) }),
  }),
  endpoint({
    method: 'post',
    path: '/users/:userId/_reactivate',
    summary: 'ReactivateUser',
    permission: 'user.write',
    body: noBody,
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params }) => ({ details: await reactivateUser(ctx.storage, orgId, params.userId!, principal) }),
  }),
  endpoint({
    method: 'delete',
    path: '/users/:userId',
    summary: 'RemoveUser',
    permission: 'user.delete',
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params }) => ({ details: await removeUser(ctx.storage, orgId, params.userId!, principal) }),
  }),
  // Tessera's own: ZITADEL has no way to cut off a service user's tokens short of deactivating it.
  endpoint({
    method: 'post',
    path: '/users/:userId/tokens/_revoke',
    summary: 'RevokeAllTokens',
    permission: 'user.write',
    body: noBody,
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params }) => ({
      details: await revokeAllTokens(ctx.storage, orgId, params.userId!, principal.userId),
    }),
  }),
  endpoint({
    method: 'post',
    path: '/users/:userId/changes/_search',
    summary: 'ListUserChanges',
    permission: 'user.read',
    body: listUserChangesSchema,
    response: listUserChangesResponseSchema,
    handler: ({ ctx, orgId, params, body }) => listUserChanges(ctx.storage, orgId, params.userId!, body),
  }),
];
