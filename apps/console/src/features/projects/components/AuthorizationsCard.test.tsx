import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActingOrgProvider } from '../../../app/acting-org';
import { AuthorizationsCard } from './AuthorizationsCard';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const DETAILS = { sequence: '1', changeDate: '2026-01-01T00:00:00Z', resourceOwner: '1' };
const GRANT = {
  id: '70',
  details: DETAILS,
  roleKeys: ['reader', 'writer'],
  state: 'USER_GRANT_STATE_ACTIVE',
  userId: '7',
  userName: 'invoice-reader',
  displayName: 'Invoice reader',
  preferredLoginName: 'invoice-reader',
  userType: 'TYPE_MACHINE',
  orgId: '1',
  orgName: 'Tessera',
  orgDomain: 'tessera.localhost',
  projectId: '50',
  projectName: 'billing-api',
};

/** The card as an operator holding `roles` in the organization sees it. */
function renderCard(roles: string[]) {
  const answers: Record<string, unknown> = {
    'GET /api/session': { userId: '2', userName: 'op', displayName: 'Op', orgId: '1', orgName: 'Tessera', instanceOwner: false, csrfToken: 'c' },
    'POST /management/v1/orgs/me/members/_search': { details: { totalResult: '1' }, result: [{ userId: '2', roles, details: DETAILS }] },
    'POST /management/v1/users/grants/_search': { details: { totalResult: '1' }, result: [GRANT] },
  };
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const body = answers[`${init?.method ?? 'GET'} ${url}`];
    return new Response(JSON.stringify(body ?? {}), { status: body === undefined ? 404 : 200 });
  });
  vi.stubGlobal('fetch', fetch);
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider>
      <QueryClientProvider client={qc}>
        <ActingOrgProvider homeOrgId="1">
          <MemoryRouter>
            <AuthorizationsCard userId="7" />
          </MemoryRouter>
        </ActingOrgProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return fetch;
}

describe('AuthorizationsCard', () => {
  it("offers an Org Owner New Authorization, Edit roles and Delete on each grant, which lists its project's role keys", async () => {
    renderCard(['ORG_OWNER']);
    const row = (await screen.findByRole('table', { name: 'Authorizations' })).querySelector('tbody tr') as HTMLElement;
    expect(within(row).getByRole('link', { name: 'billing-api' }).getAttribute('href')).toBe('/projects/50');
    expect(row.textContent).toContain('reader');
    expect(row.textContent).toContain('writer');
    expect(await screen.findByRole('button', { name: 'New Authorization' })).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Edit roles of billing-api' })).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Delete authorization for billing-api' })).toBeTruthy();
  });

  it('shows an Org Owner Viewer the grants but nothing to change them with', async () => {
    renderCard(['ORG_OWNER_VIEWER']);
    const table = await screen.findByRole('table', { name: 'Authorizations' });
    expect(table.textContent).toContain('billing-api');
    expect(screen.queryByRole('button', { name: 'New Authorization' })).toBeNull();
    expect(within(table).queryAllByRole('button')).toEqual([]);
  });

  it('is not there for a role that may not read grants', async () => {
    const fetch = renderCard(['ORG_PROJECT_CREATOR']);
    // Once the operator's roles are known, the card stays away and the grants are never asked for.
    await waitFor(() => expect(fetch.mock.calls.map(([url]) => url)).toContain('/management/v1/orgs/me/members/_search'));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole('heading', { name: 'Authorizations' })).toBeNull();
    expect(fetch.mock.calls.map(([url]) => url)).not.toContain('/management/v1/users/grants/_search');
  });
});
