import { detailsResponseSchema, listMachineSecretsResponseSchema, machineSecretOptionsSchema, machineSecretResponseSchema } from '@tessera/contracts';
import { z } from 'zod';
import { generateMachineSecret, removeMachineSecret, revokeMachineSecret } from '../domain/secrets/commands.js';
import { listMachineSecrets } from '../domain/secrets/queries.js';
import { endpoint, type Endpoint } from './endpoint.js';

/**
 * ZITADEL's GenerateMachineSecret (PUT) and RemoveMachineSecret (DELETE, every secret), each with
 * Tessera's optional JSON body (on DELETE too, so revokeTokens is spelled the same way on both);
 * ZITADEL's clients send no body, or {}, and get ZITADEL's behaviour. Then Tessera's own: the list of
 * a user's secrets with their use, and revoking one of them.
 */
export const secretEndpoints: Endpoint[] = [
  endpoint({
    method: 'put',
    path: '/users/:userId/secret',
    summary: 'GenerateMachineSecret',
    permission: 'user.write',
    body: machineSecretOptionsSchema,
    response: machineSecretResponseSchema,
    handler: async ({ ctx, orgId, principal, params, body }) => {
      await ctx.instanceKeys.fresh(); // hashed with the key that is current now, wherever it was rotated
      return generateMachineSecret(ctx.storage, ctx.secretKey, orgId, params.userId!, principal.userId, body);
    },
  }),
  endpoint({
    method: 'delete',
    path: '/users/:userId/secret',
    summary: 'RemoveMachineSecret',
    permission: 'user.write',
    body: machineSecretOptionsSchema.omit({ keepPreviousFor: true }),
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params, body }) => ({
      details: await removeMachineSecret(ctx.storage, orgId, params.userId!, principal.userId, body),
    }),
  }),
  endpoint({
    method: 'post',
    path: '/users/:userId/secrets/_search',
    summary: 'ListMachineSecrets',
    permission: 'user.read',
    body: z.strictObject({}),
    response: listMachineSecretsResponseSchema,
    handler: async ({ ctx, orgId, params }) => {
      await ctx.secretUsage.flushEverywhere();
      return listMachineSecrets(ctx.storage, orgId, params.userId!);
    },
  }),
  endpoint({
    method: 'delete',
    path: '/users/:userId/secrets/:secretId',
    summary: 'RevokeMachineSecret',
    permission: 'user.write',
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params }) => ({
      details: await revokeMachineSecret(ctx.storage, orgId, params.userId!, params.secretId!, principal.userId),
    }),
  }),
];
