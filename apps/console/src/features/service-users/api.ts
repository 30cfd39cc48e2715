import type {
  AddMachineUserRequest,
  DetailsResponse,
  ListUserChangesResponse,
  ListUsersRequest,
  ListUsersResponse,
  MachineSecretOptions,
  MachineSecretResponse,
  MachineUserView,
  UpdateMachineRequest,
} from '@tessera/contracts';
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { SORT_COLUMNS, STATE_FILTERS, type ListOrder, type StateFilter } from './list-params';

export interface ListParams {
  search: string;
  page: number;
  pageSize: number;
  order?: ListOrder;
  state?: StateFilter | null;
}

/** Every query key of this feature comes from here. */
export const serviceUserKeys = {
  all: ['service-users'] as const,
  lists: () => [...serviceUserKeys.all, 'list'] as const,
  list: (params: ListParams) => [...serviceUserKeys.lists(), params] as const,
  details: () => [...serviceUserKeys.all, 'detail'] as const,
  detail: (userId: string) => [...serviceUserKeys.details(), userId] as const,
  changes: (userId: string) => [...serviceUserKeys.detail(userId), 'changes'] as const,
};

const base = '/management/v1/users';
const CONTAINS = 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE' as const;

/** The list the console shows: service users, newest first unless told, matching the search on either name. */
export function listRequest({ search, page, pageSize, order = { sort: 'created', asc: false }, state }: ListParams): ListUsersRequest {
  const term = search.trim();
  return {
    query: { offset: (page - 1) * pageSize, limit: pageSize, asc: order.asc },
    sortingColumn: SORT_COLUMNS[order.sort],
    queries: [
      { typeQuery: { type: 'TYPE_MACHINE' as const } },
      ...(state ? [{ stateQuery: { state: STATE_FILTERS[state] } }] : []),
      ...(term
        ? [{ orQuery: { queries: [{ userNameQuery: { userName: term, method: CONTAINS } }, { displayNameQuery: { displayName: term, method: CONTAINS } }] } }]
        : []),
    ],
  };
}

export const serviceUsersQuery = (params: ListParams) =>
  queryOptions({
    queryKey: serviceUserKeys.list(params),
    queryFn: () => api<ListUsersResponse>('POST', `${base}/_search`, listRequest(params)),
    // While the next page or search loads, the table keeps showing the last answer.
    placeholderData: keepPreviousData,
  });

export const serviceUserQuery = (userId: string) =>
  queryOptions({
    queryKey: serviceUserKeys.detail(userId),
    queryFn: () => api<{ user: MachineUserView }>('GET', `${base}/${userId}`).then((r) => r.user),
  });

export const userChangesQuery = (userId: string) =>
  queryOptions({
    queryKey: serviceUserKeys.changes(userId),
    queryFn: () => api<ListUserChangesResponse>('POST', `${base}/${userId}/changes/_search`, { query: { limit: 50 } }).then((r) => r.result),
  });

/** After any change to one user: its page, its activity and every list may be stale. */
function useInvalidate() {
  const qc = useQueryClient();
  return (userId: string) =>
    Promise.all([qc.invalidateQueries({ queryKey: serviceUserKeys.detail(userId) }), qc.invalidateQueries({ queryKey: serviceUserKeys.lists() })]);
}

export function useCreateServiceUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AddMachineUserRequest) => api<{ userId: string } & DetailsResponse>('POST', `${base}/machine`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: serviceUserKeys.lists() }),
  });
}

export function useUpdateServiceUser(userId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: UpdateMachineRequest) => api<DetailsResponse>('PUT', `${base}/${userId}/machine`, body),
    onSuccess: () => invalidate(userId),
  });
}

export type UserAction = 'deactivate' | 'reactivate' | 'removeSecret' | 'revokeTokens' | 'delete';

/** One of the Actions menu's writes; removing the secret says whether the tokens go with it. */
export type UserActionRequest = { action: Exclude<UserAction, 'removeSecret'> } | { action: 'removeSecret'; revokeTokens: boolean };

function actionRequest(userId: string, r: UserActionRequest): [string, string, unknown?] {
  switch (r.action) {
    case 'deactivate':
      return ['POST', `${base}/${userId}/_deactivate`];
    case 'reactivate':
      return ['POST', `${base}/${userId}/_reactivate`];
    case 'removeSecret':
      return ['DELETE', `${base}/${userId}/secret`, { revokeTokens: r.revokeTokens } satisfies MachineSecretOptions];
    case 'revokeTokens':
      return ['POST', `${base}/${userId}/tokens/_revoke`];
    case 'delete':
      return ['DELETE', `${base}/${userId}`];
  }
}

/**
 * The Actions menu's writes that answer only {details}. After a delete the caller leaves the page
 * and then calls forgetUser(): dropping the cached user while its page still shows would refetch it.
 */
export function useUserAction(userId: string) {
  const qc = useQueryClient();
  const invalidate = useInvalidate();
  const mutation = useMutation({
    mutationFn: (request: UserActionRequest) => {
      const [method, path, body] = actionRequest(userId, request);
      return api<DetailsResponse>(method, path, body);
    },
    onSuccess: (_data, { action }) => (action === 'delete' ? qc.invalidateQueries({ queryKey: serviceUserKeys.lists() }) : invalidate(userId)),
  });
  const forgetUser = () => qc.removeQueries({ queryKey: serviceUserKeys.detail(userId) });
  return { ...mutation, forgetUser };
}

/**
 * Generates a client secret and hands it straight to `onSecret`. The mutation itself resolves to
 * nothing, so the plaintext never enters TanStack's mutation cache; gcTime 0 drops even the empty
 * record at once. Only the caller's component state holds the secret, until its dialog closes.
 */
export function useGenerateSecret(userId: string, onSecret: (secret: Pick<MachineSecretResponse, 'clientId' | 'clientSecret'>) => void) {
  const invalidate = useInvalidate();
  return useMutation({
    // options: none when there was no secret to replace (ZITADEL's request, no body).
    mutationFn: async (options?: MachineSecretOptions): Promise<void> => {
      const { clientId, clientSecret } = await api<MachineSecretResponse>('PUT', `${base}/${userId}/secret`, options);
      onSecret({ clientId, clientSecret });
    },
    gcTime: 0,
    onSuccess: () => invalidate(userId),
  });
}
