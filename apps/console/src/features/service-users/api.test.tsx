import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listRequest, serviceUserQuery, useGenerateSecret } from './api';

const SECRET = 'Zq8kYv3RmT0pWn6sXc1bLd9hFg4jKa2eUo7iNy5tQr0wEm3zVx8uCb6nMl1oPs4A';

afterEach(() => vi.unstubAllGlobals());

function respond(routes: Record<string, unknown>) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const body = routes[`${init?.method ?? 'GET'} ${url}`];
      return new Response(JSON.stringify(body), { status: body === undefined ? 404 : 200 });
    }),
  );
}

describe('useGenerateSecret', () => {
  it('hands the secret to the component and leaves it in no query or mutation cache', async () => {
    respond({
      'PUT /management/v1/users/7/secret': { clientId: 'svc', clientSecret: SECRET, details: { sequence: '9', changeDate: 'x', resourceOwner: '1' } },
      'GET /management/v1/users/7': { user: { id: '7', userName: 'svc', machine: { hasSecret: true } } },
    });
    const qc = new QueryClient();
    await qc.prefetchQuery(serviceUserQuery('7')); // a cached detail page, refreshed after generating
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
    const shown = vi.fn();
    const { result } = renderHook(() => useGenerateSecret('7', shown), { wrapper });

    await act(() => result.current.mutateAsync());
    expect(shown).toHaveBeenCalledWith({ clientId: 'svc', clientSecret: SECRET });
    expect(result.current.data).toBeUndefined();

    const cached = () =>
      JSON.stringify([
        qc
          .getQueryCache()
          .getAll()
          .map((q) => q.state),
        qc
          .getMutationCache()
          .getAll()
          .map((m) => m.state),
      ]);
    expect(cached()).not.toContain(SECRET);
    await waitFor(() => expect(qc.getQueryData(serviceUserQuery('7').queryKey)).toMatchObject({ machine: { hasSecret: true } }));
    expect(cached()).not.toContain(SECRET);
  });
});

describe('listRequest', () => {
  it('asks for one page of service users, matching the term on either name', () => {
    expect(listRequest({ search: '  ci ', page: 3, pageSize: 20 })).toEqual({
      query: { offset: 40, limit: 20, asc: false },
      sortingColumn: 'USER_FIELD_NAME_CREATION_DATE',
      queries: [
        { typeQuery: { type: 'TYPE_MACHINE' } },
        {
          orQuery: {
            queries: [
              { userNameQuery: { userName: 'ci', method: 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE' } },
              { displayNameQuery: { displayName: 'ci', method: 'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE' } },
            ],
          },
        },
      ],
    });
    expect(listRequest({ search: ' ', page: 1, pageSize: 20 }).queries).toEqual([{ typeQuery: { type: 'TYPE_MACHINE' } }]);
  });

  it("asks for the order and state chosen, in ZITADEL's sortingColumn, asc and stateQuery", () => {
    const request = listRequest({ search: '', page: 1, pageSize: 20, order: { sort: 'displayName', asc: true }, state: 'inactive' });
    expect(request).toMatchObject({ query: { asc: true }, sortingColumn: 'USER_FIELD_NAME_DISPLAY_NAME' });
    expect(request.queries).toEqual([{ typeQuery: { type: 'TYPE_MACHINE' } }, { stateQuery: { state: 'USER_STATE_INACTIVE' } }]);
  });
});
