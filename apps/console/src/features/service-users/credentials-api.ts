import type {
  AddMachineKeyRequest,
  AddMachineKeyResponse,
  AddPersonalAccessTokenRequest,
  AddPersonalAccessTokenResponse,
  DetailsResponse,
  ListMachineKeysResponse,
  ListMachineSecretsResponse,
  ListPersonalAccessTokensResponse,
  MachineSecretView,
} from '@tessera/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { serviceUserKeys } from './api';

/** A service user's client secrets, keys and personal access tokens: the ways its machines sign in. */
export const credentialKeys = {
  secrets: (userId: string) => [...serviceUserKeys.detail(userId), 'secrets'] as const,
  keys: (userId: string) => [...serviceUserKeys.detail(userId), 'keys'] as const,
  pats: (userId: string) => [...serviceUserKeys.detail(userId), 'pats'] as const,
};

type CredentialKind = keyof typeof credentialKeys;

const base = (userId: string) => `/management/v1/users/${userId}`;

/** The secrets with their use; the server writes this node's counts first, so the figures are current. */
export const secretsQuery = (userId: string) =>
  queryOptions({
    queryKey: credentialKeys.secrets(userId),
    queryFn: () => api<ListMachineSecretsResponse>('POST', `${base(userId)}/secrets/_search`, {}).then((r) => r.result),
  });

export const machineKeysQuery = (userId: string) =>
  queryOptions({
    queryKey: credentialKeys.keys(userId),
    queryFn: () => api<ListMachineKeysResponse>('POST', `${base(userId)}/keys/_search`, { query: { limit: 100 } }).then((r) => r.result),
  });

export const patsQuery = (userId: string) =>
  queryOptions({
    queryKey: credentialKeys.pats(userId),
    queryFn: () => api<ListPersonalAccessTokensResponse>('POST', `${base(userId)}/pats/_search`, { query: { limit: 100 } }).then((r) => r.result),
  });

/** After a change to a credential: its list and the user's activity may be stale. */
function useInvalidate(userId: string, kind: CredentialKind) {
  const qc = useQueryClient();
  return () =>
    Promise.all([qc.invalidateQueries({ queryKey: credentialKeys[kind](userId) }), qc.invalidateQueries({ queryKey: serviceUserKeys.changes(userId) })]);
}

/** What a new key gives once: its id, and the key file (absent for an uploaded public key). */
export interface NewKey {
  keyId: string;
  /** The key file's JSON text. */
  file?: string;
}

/**
 * Adds a key and hands it straight to `onKey`; the mutation resolves to nothing, so the private
 * key never enters TanStack's cache (as with the client secret).
 */
export function useAddMachineKey(userId: string, onKey: (key: NewKey) => void) {
  const invalidate = useInvalidate(userId, 'keys');
  return useMutation({
    mutationFn: async (body: AddMachineKeyRequest): Promise<void> => {
      const r = await api<AddMachineKeyResponse>('POST', `${base(userId)}/keys`, body);
      onKey({ keyId: r.keyId, file: r.keyDetails === undefined ? undefined : atob(r.keyDetails) });
    },
    gcTime: 0,
    onSuccess: invalidate,
  });
}

/** Adds a personal access token and hands it to `onToken` only (see useAddMachineKey). */
export function useAddPat(userId: string, onToken: (token: Pick<AddPersonalAccessTokenResponse, 'tokenId' | 'token'>) => void) {
  const invalidate = useInvalidate(userId, 'pats');
  return useMutation({
    mutationFn: async (body: AddPersonalAccessTokenRequest): Promise<void> => {
      const { tokenId, token } = await api<AddPersonalAccessTokenResponse>('POST', `${base(userId)}/pats`, body);
      onToken({ tokenId, token });
    },
    gcTime: 0,
    onSuccess: invalidate,
  });
}

/** Deletes one client secret ('secrets'), key ('keys') or personal access token ('pats') by id. */
export function useRemoveCredential(userId: string, kind: CredentialKind) {
  const qc = useQueryClient();
  const invalidate = useInvalidate(userId, kind);
  return useMutation({
    mutationFn: (id: string) => api<DetailsResponse>('DELETE', `${base(userId)}/${kind}/${id}`),
    // A secret's removal may leave the user without one: then the whole page (every query under the
    // user's key) and the lists are stale, not only the secrets.
    onSuccess: () =>
      kind === 'secrets'
        ? Promise.all([qc.invalidateQueries({ queryKey: serviceUserKeys.detail(userId) }), qc.invalidateQueries({ queryKey: serviceUserKeys.lists() })])
        : invalidate(),
  });
}

/** An expiration date from a date field (yyyy-mm-dd, the end of that day in UTC), or none. */
export function expirationFromDay(day: string): string | undefined {
  return day ? `${day}T23:59:59Z` : undefined;
}

/** ZITADEL's "no expiration" date, shown as such. */
export const isNeverExpiring = (iso: string) => iso.startsWith('9999-');

/** Whether a secret still authenticates; expired and revoked ones stay listed until the next rotation. */
export const isValidSecret = (s: MachineSecretView) => s.state === 'SECRET_STATE_ACTIVE' || s.state === 'SECRET_STATE_EXPIRING';
