import type { DetailsResponse, LoginRequest, UpdateMyPasswordRequest, Whoami } from '@tessera/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiRequestError, setCsrfToken } from '../../lib/api';

export const sessionKeys = {
  all: ['session'] as const,
};

/** The signed-in operator, or null when there is none. */
export const whoamiQuery = queryOptions({
  queryKey: sessionKeys.all,
  queryFn: async (): Promise<Whoami | null> => {
    try {
      const me = await api<Whoami>('GET', '/api/session');
      setCsrfToken(me.csrfToken);
      return me;
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 401) {
        setCsrfToken(undefined);
        return null;
      }
      throw err;
    }
  },
  staleTime: 60_000,
  retry: false,
});

export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginRequest) => api<Whoami>('POST', '/api/session', body),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      qc.clear();
      qc.setQueryData(sessionKeys.all, me);
    },
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('DELETE', '/api/session'),
    onSettled: () => {
      setCsrfToken(undefined);
      qc.clear();
      qc.setQueryData(sessionKeys.all, null);
    },
  });
}

/** UpdateMyPassword; the session goes on (every other one of this user ends) and no longer asks for a change. */
export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateMyPasswordRequest) => api<DetailsResponse>('PUT', '/auth/v1/users/me/password', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}
