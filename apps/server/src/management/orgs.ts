import { getOrg } from '../domain/orgs/queries.js';
import { endpoint, type Endpoint } from './endpoint.js';

export const orgEndpoints: Endpoint[] = [
  endpoint({
    method: 'get',
    path: '/orgs/me',
    permission: 'org.read',
    handler: ({ ctx, orgId }) => ({ org: getOrg(ctx.db, orgId) }),
  }),
];
