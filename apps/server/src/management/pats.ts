import {
  addPersonalAccessTokenResponseSchema,
  addPersonalAccessTokenSchema,
  detailsResponseSchema,
  getPersonalAccessTokenResponseSchema,
  listPersonalAccessTokensResponseSchema,
  listPersonalAccessTokensSchema,
} from '@tessera/contracts';
import { addPersonalAccessToken, getPersonalAccessToken, listPersonalAccessTokens, removePersonalAccessToken } from '../domain/pats/pats.js';
import { endpoint, type Endpoint } from './endpoint.js';

/** A service user's personal access tokens, as ZITADEL's AddPersonalAccessToken, List…, Get…ByIDs and Remove…. */
export const patEndpoints: Endpoint[] = [
  endpoint({
    method: 'post',
    path: '/users/:userId/pats',
    summary: 'AddPersonalAccessToken',
    permission: 'user.write',
    body: addPersonalAccessTokenSchema,
    response: addPersonalAccessTokenResponseSchema,
    handler: async ({ ctx, orgId, principal, params, body }) => {
      await ctx.instanceKeys.fresh(); // hashed with the key that is current now, wherever it was rotated
      return addPersonalAccessToken(ctx.storage, ctx.secretKey, orgId, params.userId!, principal.userId, body);
    },
  }),
  endpoint({
    method: 'post',
    path: '/users/:userId/pats/_search',
    summary: 'ListPersonalAccessTokens',
    permission: 'user.read',
    body: listPersonalAccessTokensSchema,
    response: listPersonalAccessTokensResponseSchema,
    handler: ({ ctx, orgId, params, body }) => listPersonalAccessTokens(ctx.storage, orgId, params.userId!, body),
  }),
  endpoint({
    method: 'get',
    path: '/users/:userId/pats/:tokenId',
    summary: 'GetPersonalAccessTokenByIDs',
    permission: 'user.read',
    response: getPersonalAccessTokenResponseSchema,
    handler: async ({ ctx, orgId, params }) => ({ token: await getPersonalAccessToken(ctx.storage, orgId, params.userId!, params.tokenId!) }),
  }),
  endpoint({
    method: 'delete',
    path: '/users/:userId/pats/:tokenId',
    summary: 'RemovePersonalAccessToken',
    permission: 'user.write',
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params }) => ({
      details: await removePersonalAccessToken(ctx.storage, orgId, params.userId!, params.tokenId!, principal.userId),
    }),
  }),
];
