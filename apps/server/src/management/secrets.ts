import { generateMachineSecret, removeMachineSecret } from '../domain/secrets/commands.js';
import { endpoint, type Endpoint } from './endpoint.js';

export const secretEndpoints: Endpoint[] = [
  endpoint({
    method: 'put',
    path: '/users/:userId/secret',
    permission: 'user.write',
    handler: ({ ctx, orgId, principal, params }) =>
      generateMachineSecret(ctx.db, ctx.secretKey, orgId, params.userId!, principal.userId),
  }),
  endpoint({
    method: 'delete',
    path: '/users/:userId/secret',
    permission: 'user.write',
    handler: ({ ctx, orgId, principal, params }) => ({
      details: removeMachineSecret(ctx.db, orgId, params.userId!, principal.userId),
    }),
  }),
];
