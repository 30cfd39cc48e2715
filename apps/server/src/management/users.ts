import { addMachineUserSchema, listUsersSchema } from '@tessera/contracts';
import { addMachineUser } from '../domain/users/commands.js';
import { getUser, searchUsers } from '../domain/users/queries.js';
import { endpoint, type Endpoint } from './endpoint.js';

export const userEndpoints: Endpoint[] = [
  endpoint({
    method: 'post',
    path: '/users/machine',
    permission: 'user.write',
    body: addMachineUserSchema,
    handler: ({ ctx, orgId, principal, body }) => addMachineUser(ctx.db, orgId, principal.userId, body),
  }),
  endpoint({
    method: 'post',
    path: '/users/_search',
    permission: 'user.read',
    body: listUsersSchema,
    handler: ({ ctx, orgId, body }) => searchUsers(ctx.db, orgId, body),
  }),
  endpoint({
    method: 'get',
    path: '/users/:userId',
    permission: 'user.read',
    handler: ({ ctx, orgId, params }) => ({ user: getUser(ctx.db, orgId, params.userId!) }),
  }),
];
