import type { OrgView } from '@tessera/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api';

export const orgKeys = {
  all: ['org'] as const,
  me: () => [...orgKeys.all, 'me'] as const,
};

export const myOrgQuery = queryOptions({
  queryKey: orgKeys.me(),
  queryFn: () => api<{ org: OrgView }>('GET', '/management/v1/orgs/me').then((r) => r.org),
});
