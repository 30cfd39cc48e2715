import type {
  AddOrgMemberRequest,
  AddOrgResponse,
  InstanceMemberView,
  ListInstanceMembersResponse,
  ListOrgMemberRolesResponse,
  ListOrgMembersResponse,
  ListOrgsResponse,
  ListUsersRequest,
  MachineUserView,
  ObjectDetails,
  OrgView,
} from '@tessera/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiRequestError } from '../../lib/api';
import { useActingOrg } from '../../app/acting-org';

/** Every key carries the acting organization, so one organization's data never shows in another's page. */
export const orgKeys = {
  all: ['org'] as const,
  scope: (orgId: string) => [...orgKeys.all, orgId] as const,
  me: (orgId: string) => [...orgKeys.scope(orgId), 'me'] as const,
  members: (orgId: string) => [...orgKeys.scope(orgId), 'members'] as const,
  myRoles: (orgId: string, userId: string) => [...orgKeys.scope(orgId), 'my-roles', userId] as const,
  memberRoles: (orgId: string) => [...orgKeys.scope(orgId), 'member-roles'] as const,
  userSearch: (orgId: string, text: string) => [...orgKeys.scope(orgId), 'user-search', text] as const,
  /** Instance-wide: every organization (instance owner only). */
  list: () => [...orgKeys.all, 'list'] as const,
  /** Instance-wide: who holds an instance role (ZITADEL's IAM members). */
  instanceMembers: () => [...orgKeys.all, 'instance-members'] as const,
};

const M = '/management/v1';

export const myOrgQuery = (orgId: string) =>
  queryOptions({
    queryKey: orgKeys.me(orgId),
    queryFn: () => api<{ org: OrgView }>('GET', `${M}/orgs/me`).then((r) => r.org),
  });

export const membersQuery = (orgId: string) =>
  queryOptions({
    queryKey: orgKeys.members(orgId),
    queryFn: () => api<ListOrgMembersResponse>('POST', `${M}/orgs/me/members/_search`, { query: { asc: true, limit: 1000 } }),
  });

/**
 * The signed-in user's own roles in the acting organization. A 403 means it may not read
 * managers, and so holds no role that could change the organization or its managers either.
 */
export const myRolesQuery = (orgId: string, userId: string) =>
  queryOptions({
    queryKey: orgKeys.myRoles(orgId, userId),
    queryFn: async (): Promise<string[]> => {
      try {
        const res = await api<ListOrgMembersResponse>('POST', `${M}/orgs/me/members/_search`, {
          queries: [{ userIdQuery: { userId } }],
        });
        return res.result[0]?.roles ?? [];
      } catch (err) {
        if (err instanceof ApiRequestError && err.status === 403) return [];
        throw err;
      }
    },
  });

/**
 * The instance's administrators, whose roles hold in every organization. null when the signed-in
 * user may not read them (a 403): the page then shows only what it can.
 */
export const instanceMembersQuery = queryOptions({
  queryKey: orgKeys.instanceMembers(),
  queryFn: async (): Promise<InstanceMemberView[] | null> => {
    try {
      return (await api<ListInstanceMembersResponse>('POST', '/admin/v1/members/_search', { query: { asc: true, limit: 1000 } })).result;
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 403) return null;
      throw err;
    }
  },
});

export const memberRolesQuery = (orgId: string) =>
  queryOptions({
    queryKey: orgKeys.memberRoles(orgId),
    queryFn: () => api<ListOrgMemberRolesResponse>('POST', `${M}/orgs/members/roles/_search`, {}).then((r) => r.result),
    staleTime: Infinity,
  });

const SEARCH_LIMIT = 20;

/** Server-side search over user name and display name, humans and service users alike. */
export const userSearchQuery = (orgId: string, text: string) =>
  queryOptions({
    queryKey: orgKeys.userSearch(orgId, text),
    queryFn: () => {
      const method = 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE' as const;
      const body: ListUsersRequest = {
        query: { limit: SEARCH_LIMIT, asc: true },
        sortingColumn: 'USER_FIELD_NAME_USER_NAME',
        queries: text ? [{ orQuery: { queries: [{ userNameQuery: { userName: text, method } }, { displayNameQuery: { displayName: text, method } }] } }] : [],
      };
      return api<{ result: MachineUserView[] }>('POST', `${M}/users/_search`, body).then((r) => r.result);
    },
    placeholderData: (previous) => previous,
  });

export const orgListQuery = queryOptions({
  queryKey: orgKeys.list(),
  queryFn: () =>
    api<ListOrgsResponse>('POST', '/admin/v1/orgs/_search', {
      query: { limit: 1000, asc: true },
      sortingColumn: 'ORG_FIELD_NAME_NAME',
    }).then((r) => r.result),
});

export function useRenameOrg() {
  const qc = useQueryClient();
  const { orgId } = useActingOrg();
  return useMutation({
    mutationFn: (name: string) => api<{ details: ObjectDetails }>('PUT', `${M}/orgs/me`, { name }),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: orgKeys.me(orgId) }), qc.invalidateQueries({ queryKey: orgKeys.list() })]),
  });
}

export function useCreateOrg() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api<AddOrgResponse>('POST', `${M}/orgs`, { name }),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.list() }),
  });
}

/** Member changes refresh the list and the caller's own roles (it may have changed itself). */
function useMemberMutation<V>(fn: (vars: V) => Promise<unknown>) {
  const qc = useQueryClient();
  const { orgId } = useActingOrg();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.scope(orgId) }),
  });
}

export const useAddMember = () => useMemberMutation((body: AddOrgMemberRequest) => api<{ details: ObjectDetails }>('POST', `${M}/orgs/me/members`, body));

export const useUpdateMember = () =>
  useMemberMutation(({ userId, roles }: { userId: string; roles: string[] }) =>
    api<{ details: ObjectDetails }>('PUT', `${M}/orgs/me/members/${encodeURIComponent(userId)}`, { roles }),
  );

export const useRemoveMember = () =>
  useMemberMutation((userId: string) => api<{ details: ObjectDetails }>('DELETE', `${M}/orgs/me/members/${encodeURIComponent(userId)}`));
