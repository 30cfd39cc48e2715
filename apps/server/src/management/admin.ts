import { listOrgsResponseSchema, listOrgsSchema } from '@tessera/contracts';
import type { Router } from 'express';
import type { AppContext } from '../context.js';
import { searchOrgs } from '../domain/orgs/queries.js';
import { endpoint, type Endpoint } from './endpoint.js';
import { apiRouter } from './router.js';

/** /admin/v1: ZITADEL's instance-level API. Every endpoint here is instance-wide. */
export const adminEndpoints: readonly Endpoint[] = [
  endpoint({
    method: 'post',
    path: '/orgs/_search',
    summary: 'ListOrgs',
    permission: 'org.read',
    scope: 'instance',
    body: listOrgsSchema,
    response: listOrgsResponseSchema,
    handler: ({ ctx, body }) => searchOrgs(ctx.storage, body),
  }),
];

export function adminRouter(ctx: AppContext): Router {
  return apiRouter(ctx, adminEndpoints);
}
