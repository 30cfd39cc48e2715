import { addMachineKeySchema, listMachineKeysSchema } from '@tessera/contracts';
import { addMachineKey, getMachineKey, listMachineKeys, removeMachineKey } from '../domain/machine-keys/keys.js';
import { endpoint, type Endpoint } from './endpoint.js';

/** A service user's keys (the JWT profile), as ZITADEL's AddMachineKey, ListMachineKeys, GetMachineKeyByIDs and RemoveMachineKey. */
export const keyEndpoints: Endpoint[] = [
  endpoint({
    method: 'post',
    path: '/users/:userId/keys',
    permission: 'user.write',
    body: addMachineKeySchema,
    handler: ({ ctx, orgId, principal, params, body }) => addMachineKey(ctx.storage, orgId, params.userId!, principal.userId, body),
  }),
  endpoint({
    method: 'post',
    path: '/users/:userId/keys/_search',
    permission: 'user.read',
    body: listMachineKeysSchema,
    handler: ({ ctx, orgId, params, body }) => listMachineKeys(ctx.storage, orgId, params.userId!, body),
  }),
  endpoint({
    method: 'get',
    path: '/users/:userId/keys/:keyId',
    permission: 'user.read',
    handler: async ({ ctx, orgId, params }) => ({ key: await getMachineKey(ctx.storage, orgId, params.userId!, params.keyId!) }),
  }),
  endpoint({
    method: 'delete',
    path: '/users/:userId/keys/:keyId',
    permission: 'user.write',
    handler: async ({ ctx, orgId, principal, params }) => ({
      details: await removeMachineKey(ctx.storage, orgId, params.userId!, params.keyId!, principal.userId),
    }),
  }),
];
