import type {
  AddApiAppRequest,
  AddApiAppResponse,
  AddAppKeyResponse,
  AddProjectResponse,
  AddProjectRoleRequest,
  DetailsResponse,
  ListAppsResponse,
  ListProjectChangesResponse,
  ListProjectRolesResponse,
  ListProjectsResponse,
  ProjectView,
  RegenerateApiClientSecretResponse,
} from '@tessera/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { ShownSecret } from '../service-users/components/ClientSecretDialog';

/** Every query key of this feature comes from here. */
export const projectKeys = {
  all: ['projects'] as const,
  list: () => [...projectKeys.all, 'list'] as const,
  details: () => [...projectKeys.all, 'detail'] as const,
  detail: (projectId: string) => [...projectKeys.details(), projectId] as const,
  roles: (projectId: string) => [...projectKeys.detail(projectId), 'roles'] as const,
  apps: (projectId: string) => [...projectKeys.detail(projectId), 'apps'] as const,
  changes: (projectId: string) => [...projectKeys.detail(projectId), 'changes'] as const,
};

const base = '/management/v1/projects';
/** Most projects, roles and applications one page lists: the server's largest page. */
const LIMIT = 1000;

export const projectsQuery = queryOptions({
  queryKey: projectKeys.list(),
  queryFn: () => api<ListProjectsResponse>('POST', `${base}/_search`, { query: { limit: LIMIT } }).then((r) => r.result),
});

export const projectQuery = (projectId: string) =>
  queryOptions({
    queryKey: projectKeys.detail(projectId),
    queryFn: () => api<{ project: ProjectView }>('GET', `${base}/${projectId}`).then((r) => r.project),
  });

export const projectRolesQuery = (projectId: string) =>
  queryOptions({
    queryKey: projectKeys.roles(projectId),
    queryFn: () =>
      api<ListProjectRolesResponse>('POST', `${base}/${projectId}/roles/_search`, { query: { limit: LIMIT } }).then((r) =>
        r.result.map((role) => ({ ...role, id: role.key })),
      ),
  });

export const appsQuery = (projectId: string) =>
  queryOptions({
    queryKey: projectKeys.apps(projectId),
    queryFn: () => api<ListAppsResponse>('POST', `${base}/${projectId}/apps/_search`, { query: { limit: LIMIT } }).then((r) => r.result),
  });

export const projectChangesQuery = (projectId: string) =>
  queryOptions({
    queryKey: projectKeys.changes(projectId),
    queryFn: () => api<ListProjectChangesResponse>('POST', `${base}/${projectId}/changes/_search`, { query: { limit: 50 } }).then((r) => r.result),
  });

export function useCreateProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api<AddProjectResponse>('POST', base, { name }),
    onSuccess: () => qc.invalidateQueries({ queryKey: projectKeys.list() }),
  });
}

/**
 * After a change inside one project: that project's queries (page, roles, apps, activity) and the
 * list. Grants name the project and its roles, so they may be stale too.
 */
function useInvalidateProject(projectId: string) {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: projectKeys.detail(projectId) }),
      qc.invalidateQueries({ queryKey: projectKeys.list() }),
      qc.invalidateQueries({ queryKey: grantKeys.all }),
    ]);
}

export function useRenameProject(projectId: string) {
  const invalidate = useInvalidateProject(projectId);
  return useMutation({
    mutationFn: (name: string) => api<DetailsResponse>('PUT', `${base}/${projectId}`, { name }),
    onSuccess: invalidate,
  });
}

/** The caller leaves the page first, then calls forgetProject(), so the page does not refetch a removed project. */
export function useRemoveProject(projectId: string) {
  const qc = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => api<DetailsResponse>('DELETE', `${base}/${projectId}`),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: projectKeys.list() }), qc.invalidateQueries({ queryKey: grantKeys.all })]),
  });
  const forgetProject = () => qc.removeQueries({ queryKey: projectKeys.detail(projectId) });
  return { ...mutation, forgetProject };
}

export function useAddRole(projectId: string) {
  const invalidate = useInvalidateProject(projectId);
  return useMutation({
    mutationFn: (body: AddProjectRoleRequest) => api<DetailsResponse>('POST', `${base}/${projectId}/roles`, body),
    onSuccess: invalidate,
  });
}

export function useRemoveRole(projectId: string) {
  const invalidate = useInvalidateProject(projectId);
  return useMutation({
    mutationFn: (roleKey: string) => api<DetailsResponse>('DELETE', `${base}/${projectId}/roles/${encodeURIComponent(roleKey)}`),
    onSuccess: invalidate,
  });
}

/** What a new key of an application gives once: its id and the key file's JSON text. */
export interface NewAppKey {
  keyId: string;
  file: string;
}

export interface AddAppOptions {
  /** A Basic app's ClientID and ClientSecret, once. */
  onSecret: (secret: ShownSecret) => void;
  /** A Private Key JWT app's first key file, once. */
  onKey: (key: NewAppKey) => void;
}

const addKey = async (projectId: string, appId: string): Promise<NewAppKey> => {
  const r = await api<AddAppKeyResponse>('POST', `${base}/${projectId}/apps/${appId}/keys`, { type: 'KEY_TYPE_JSON' });
  return { keyId: r.id, file: atob(r.keyDetails) };
};

/**
 * Adds an API application and hands its one-time credential straight to the callbacks: for Basic
 * the secret, for Private Key JWT a first key made right away. The mutation resolves to no
 * credential, so neither enters TanStack's cache (as with a service user's secret); only, when the
 * application was made but its first key was not, the key's error, so that Create is not pressed twice.
 */
export function useAddApp(projectId: string, { onSecret, onKey }: AddAppOptions) {
  const invalidate = useInvalidateProject(projectId);
  return useMutation({
    mutationFn: async (body: AddApiAppRequest): Promise<{ keyError?: unknown }> => {
      const app = await api<AddApiAppResponse>('POST', `${base}/${projectId}/apps/api`, body);
      if (app.clientSecret) onSecret({ clientId: app.clientId, clientSecret: app.clientSecret });
      else {
        try {
          onKey(await addKey(projectId, app.appId));
        } catch (keyError) {
          return { keyError };
        }
      }
      return {};
    },
    gcTime: 0,
    onSettled: invalidate,
  });
}

/** A new key for a Private Key JWT application, handed to onKey only. */
export function useAddAppKey(projectId: string, onKey: (key: NewAppKey) => void) {
  const invalidate = useInvalidateProject(projectId);
  return useMutation({
    mutationFn: async (appId: string): Promise<void> => onKey(await addKey(projectId, appId)),
    gcTime: 0,
    onSuccess: invalidate,
  });
}

/** A new secret for a Basic application; the previous one stops working at once. */
export function useRegenerateAppSecret(projectId: string, onSecret: (secret: ShownSecret) => void) {
  const invalidate = useInvalidateProject(projectId);
  return useMutation({
    mutationFn: async ({ appId, clientId }: { appId: string; clientId: string }): Promise<void> => {
      const r = await api<RegenerateApiClientSecretResponse>('POST', `${base}/${projectId}/apps/${appId}/api_config/_generate_client_secret`, {});
      onSecret({ clientId, clientSecret: r.clientSecret });
    },
    gcTime: 0,
    onSuccess: invalidate,
  });
}

export function useRemoveApp(projectId: string) {
  const invalidate = useInvalidateProject(projectId);
  return useMutation({
    mutationFn: (appId: string) => api<DetailsResponse>('DELETE', `${base}/${projectId}/apps/${appId}`),
    onSuccess: invalidate,
  });
}

/** Grants' keys live here too, so that project changes can mark them stale; grants-api.ts uses them. */
export const grantKeys = {
  all: ['user-grants'] as const,
  ofUser: (userId: string) => [...grantKeys.all, 'user', userId] as const,
};
