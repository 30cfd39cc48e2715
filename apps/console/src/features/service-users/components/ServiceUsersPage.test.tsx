import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServiceUsersPage } from './ServiceUsersPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The list page at `url`, with the server answering `total` users and `result` on the page asked for (none by default). */
function renderAt(url: string, total: number, { result = [] as object[], capped = false } = {}) {
  const asked: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init?: RequestInit) => {
      asked.push(JSON.parse(init!.body as string));
      const details = { totalResult: String(total), ...(capped ? { totalResultCapped: true } : {}) };
      return new Response(JSON.stringify({ details, result }), { status: 200 });
    }),
  );
  const router = createMemoryRouter([{ path: '/service-users', element: <ServiceUsersPage /> }], { initialEntries: [url] });
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { router, asked };
}

describe('the Service Users list, from its address', () => {
  it('asks for the search and page the address holds, and shows the search in the field', async () => {
    const { asked } = renderAt('/service-users?q=billing&page=3', 0);
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Search' }).value).toBe('billing');
    await waitFor(() => expect(asked[0]).toMatchObject({ query: { offset: 40, limit: 20 } }));
    expect(JSON.stringify(asked[0])).toContain('"userName":"billing"');
  });

  it('says when a page is past the end of the list, and goes back to page 1', async () => {
    const { router } = renderAt('/service-users?q=bot&page=9', 3);
    await screen.findByText('There is no page 9 of this list.');
    fireEvent.click(screen.getByRole('button', { name: 'Go to page 1' }));
    await waitFor(() => expect(router.state.location.search).toBe('?q=bot'));
  });

  it('asks for the order and state the address holds, and a new state filter starts again from page 1', async () => {
    const { asked, router } = renderAt('/service-users?sort=userName&asc=true&state=inactive&page=2', 0);
    await waitFor(() => expect(asked[0]).toMatchObject({ query: { offset: 20, asc: true }, sortingColumn: 'USER_FIELD_NAME_USER_NAME' }));
    expect(JSON.stringify(asked[0])).toContain('"stateQuery":{"state":"USER_STATE_INACTIVE"}');
    expect(screen.getByRole<HTMLInputElement>('radio', { name: 'Inactive' }).checked).toBe(true);

    fireEvent.click(screen.getByRole('radio', { name: 'Active' }));
    await waitFor(() => expect(router.state.location.search).toBe('?sort=userName&asc=true&state=active'));
    fireEvent.click(screen.getByRole('radio', { name: 'All' }));
    await waitFor(() => expect(router.state.location.search).toBe('?sort=userName&asc=true'));
  });

  it('ignores an order or state it does not know, and lists newest first', async () => {
    const { asked } = renderAt('/service-users?sort=password&state=sleeping', 0);
    await waitFor(() => expect(asked[0]).toMatchObject({ query: { asc: false }, sortingColumn: 'USER_FIELD_NAME_CREATION_DATE' }));
    expect(JSON.stringify(asked[0])).not.toContain('stateQuery');
    expect(screen.getByRole<HTMLInputElement>('radio', { name: 'All' }).checked).toBe(true);
  });

  it('says "more than" when the server counted a broad search only up to its cap', async () => {
    const user = (i: number) => ({
      id: String(i),
      details: { sequence: '1', creationDate: '2026-01-01T00:00:00.000Z', changeDate: '2026-01-01T00:00:00.000Z', resourceOwner: '1' },
      state: 'USER_STATE_ACTIVE',
      userName: `fleet-${i}`,
      loginNames: [],
      preferredLoginName: `fleet-${i}`,
      machine: { name: `Fleet ${i}`, description: '', hasSecret: false, accessTokenType: 'ACCESS_TOKEN_TYPE_BEARER' },
    });
    renderAt('/service-users?q=fleet', 10_000, { result: Array.from({ length: 20 }, (_, i) => user(i)), capped: true });
    expect(await screen.findByText('1–20 of more than 10,000')).toBeTruthy();
  });
});
