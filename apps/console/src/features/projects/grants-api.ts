import type { AddUserGrantResponse, DetailsResponse, ListUserGrantsResponse } from '@tessera/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { serviceUserKeys } from '../service-users/api';
import { grantKeys } from './api';

/** A user's grants (ZITADEL's authorizations): which roles of which project it holds. */
export const userGrantsQuery = (userId: string) =>
  queryOptions({
    queryKey: grantKeys.ofUser(userId),
    queryFn: () =>
      api<ListUserGrantsResponse>('POST', '/management/v1/users/grants/_search', { query: { limit: 1000 }, queries: [{ userIdQuery: { userId } }] }).then(
        (r) => r.result,
      ),
  });

const base = (userId: string) => `/management/v1/users/${userId}/grants`;

/** After a change to a user's grants: its grants and its activity. */
function useInvalidate(userId: string) {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: grantKeys.ofUser(userId) }), qc.invalidateQueries({ queryKey: serviceUserKeys.changes(userId) })]);
}

export function useAddGrant(userId: string) {
  const invalidate = useInvalidate(userId);
  return useMutation({
    mutationFn: (body: { projectId: string; roleKeys: string[] }) => api<AddUserGrantResponse>('POST', base(userId), body),
    onSuccess: invalidate,
  });
}

export function useUpdateGrant(userId: string) {
  const invalidate = useInvalidate(userId);
  return useMutation({
    mutationFn: ({ grantId, roleKeys }: { grantId: string; roleKeys: string[] }) => api<DetailsResponse>('PUT', `${base(userId)}/${grantId}`, { roleKeys }),
    onSuccess: invalidate,
  });
}

export function useRemoveGrant(userId: string) {
  const invalidate = useInvalidate(userId);
  return useMutation({
    mutationFn: (grantId: string) => api<DetailsResponse>('DELETE', `${base(userId)}/${grantId}`),
    onSuccess: invalidate,
  });
}
