import { machineSecretOptionsSchema } from '@tessera/contracts';
import { generateMachineSecret, removeMachineSecret } from '../domain/secrets/commands.js';
import { endpoint, type Endpoint } from './endpoint.js';

// Both take Tessera's optional {"revokeTokens": true} as a JSON body (on DELETE too, so the one
// option is spelled the same way on both); ZITADEL's clients send no body, or {}, and get
// ZITADEL's behaviour.
export const secretEndpoints: Endpoint[] = [
  endpoint({
    method: 'put',
    path: '/users/:userId/secret',
    permission: 'user.write',
    body: machineSecretOptionsSchema,
    handler: async ({ ctx, orgId, principal, params, body }) => {
      await ctx.instanceKeys.fresh(); // hashed with the key that is current now, wherever it was rotated
      return generateMachineSecret(ctx.storage, ctx.secretKey, orgId, params.userId!, principal.userId, body);
    },
  }),
  endpoint({
    method: 'delete',
    path: '/users/:userId/secret',
    permission: 'user.write',
    body: machineSecretOptionsSchema,
    handler: async ({ ctx, orgId, principal, params, body }) => ({
      details: await removeMachineSecret(ctx.storage, orgId, params.userId!, principal.userId, body),
    }),
  }),
];
