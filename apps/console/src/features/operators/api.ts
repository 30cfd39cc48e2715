import type {
  AddHumanUserRequest,
  AddHumanUserResponse,
  DetailsResponse,
  InstanceMemberView,
  ListInstanceMembersResponse,
  ListUsersResponse,
  MachineUserView,
} from '@tessera/contracts';
import { INSTANCE_OWNER_ROLE } from '@tessera/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

/** Every query key of this feature comes from here. */
export const operatorKeys = {
  all: ['operators'] as const,
  list: (orgId: string) => [...operatorKeys.all, 'list', orgId] as const,
  instanceMembers: () => [...operatorKeys.all, 'instance-members'] as const,
};

/** The organization's human users: the people who sign in to this console. */
export const operatorsQuery = (orgId: string) =>
  queryOptions({
    queryKey: operatorKeys.list(orgId),
    queryFn: () =>
      api<ListUsersResponse>('POST', '/management/v1/users/_search', {
        query: { limit: 1000, asc: true },
        sortingColumn: 'USER_FIELD_NAME_USER_NAME',
        queries: [{ typeQuery: { type: 'TYPE_HUMAN' } }],
      }).then((r) => r.result),
  });

/** Who holds an instance role (the instance's administrators), by user id. */
export const instanceMembersQuery = queryOptions({
  queryKey: operatorKeys.instanceMembers(),
  queryFn: () =>
    api<ListInstanceMembersResponse>('POST', '/admin/v1/members/_search', { query: { limit: 1000 } }).then((r) => new Map(r.result.map((m) => [m.userId, m]))),
});

export function useCreateOperator() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AddHumanUserRequest) => api<AddHumanUserResponse>('POST', '/management/v1/users/human', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: operatorKeys.all }),
  });
}

export type OperatorAction = 'makeOwner' | 'removeOwner' | 'deactivate' | 'reactivate' | 'delete';

/** The request an action sends: instance roles through the admin API, the rest as for any user. */
function actionRequest(action: OperatorAction, user: MachineUserView, member: InstanceMemberView | undefined): [string, string, unknown?] {
  const others = (member?.roles ?? []).filter((r) => r !== INSTANCE_OWNER_ROLE);
  switch (action) {
    case 'makeOwner':
      return member
        ? ['PUT', `/admin/v1/members/${user.id}`, { roles: [...others, INSTANCE_OWNER_ROLE] }]
        : ['POST', '/admin/v1/members', { userId: user.id, roles: [INSTANCE_OWNER_ROLE] }];
    case 'removeOwner':
      return others.length ? ['PUT', `/admin/v1/members/${user.id}`, { roles: others }] : ['DELETE', `/admin/v1/members/${user.id}`];
    case 'deactivate':
      return ['POST', `/management/v1/users/${user.id}/_deactivate`];
    case 'reactivate':
      return ['POST', `/management/v1/users/${user.id}/_reactivate`];
    case 'delete':
      return ['DELETE', `/management/v1/users/${user.id}`];
  }
}

export function useOperatorAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, user, member }: { action: OperatorAction; user: MachineUserView; member?: InstanceMemberView }) =>
      api<DetailsResponse>(...actionRequest(action, user, member)),
    onSuccess: () => qc.invalidateQueries({ queryKey: operatorKeys.all }),
  });
}
