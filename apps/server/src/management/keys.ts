import {
  addMachineKeyResponseSchema,
  addMachineKeySchema,
  detailsResponseSchema,
  getMachineKeyResponseSchema,
  listMachineKeysResponseSchema,
  listMachineKeysSchema,
} from '@tessera/contracts';
import { addMachineKey, getMachineKey, listMachineKeys, removeMachineKey } from '../domain/machine-keys/keys.js';
import { endpoint, type Endpoint } from './endpoint.js';

/** A service user's keys (the JWT profile), as ZITADEL's AddMachineKey, ListMachineKeys, GetMachineKeyByIDs and RemoveMachineKey. */
export const keyEndpoints: Endpoint[] = [
  endpoint({
    method: 'post',
    path: '/users/:userId/keys',
    summary: 'AddMachineKey',
    permission: 'user.write',
    body: addMachineKeySchema,
    response: addMachineKeyResponseSchema,
    handler: ({ ctx, orgId, principal, params, body }) => addMachineKey(ctx.storage, orgId, params.userId!, principal.userId, body),
  }),
  endpoint({
    method: 'post',
    path: '/users/:userId/keys/_search',
    summary: 'ListMachineKeys',
    permission: 'user.read',
    body: listMachineKeysSchema,
    response: listMachineKeysResponseSchema,
    handler: ({ ctx, orgId, params, body }) => listMachineKeys(ctx.storage, orgId, params.userId!, body),
  }),
  endpoint({
    method: 'get',
    path: '/users/:userId/keys/:keyId',
    summary: 'GetMachineKeyByIDs',
    permission: 'user.read',
    response: getMachineKeyResponseSchema,
    handler: async ({ ctx, orgId, params }) => ({ key: await getMachineKey(ctx.storage, orgId, params.userId!, params.keyId!) }),
  }),
  endpoint({
    method: 'delete',
    path: '/users/:userId/keys/:keyId',
    summary: 'RemoveMachineKey',
    permission: 'user.write',
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params }) => ({
      details: await removeMachineKey(ctx.storage, orgId, params.userId!, params.keyId!, principal.userId),
    }),
  }),
];
