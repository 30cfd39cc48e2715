import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ORG_ROLE_KEYS } from '@tessera/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActingOrgProvider } from '../../../app/acting-org';
import { AddManagerModal } from './AddManagerModal';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ANSWERS: Record<string, unknown> = {
  'GET /api/session': { userId: '2', userName: 'admin', displayName: 'Admin', orgId: '1', orgName: 'Tessera', instanceOwner: true, csrfToken: 'c' },
  'POST /management/v1/orgs/members/roles/_search': { result: ORG_ROLE_KEYS },
  'POST /management/v1/users/_search': { details: { totalResult: '0' }, result: [] },
};

function renderDialog() {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const body = ANSWERS[`${init?.method ?? 'GET'} ${url}`];
      return new Response(JSON.stringify(body ?? {}), { status: body === undefined ? 404 : 200 });
    }),
  );
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider>
      <QueryClientProvider client={qc}>
        <ActingOrgProvider homeOrgId="1">
          <AddManagerModal opened onClose={() => {}} memberIds={new Set()} />
        </ActingOrgProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const description = (el: HTMLElement) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

describe('Add a Manager', () => {
  it("says that a User Manager can take over any service user, an Org Owner's included, through its secret", async () => {
    renderDialog();
    const dialog = await screen.findByRole('dialog', { name: 'Add a Manager' });
    const userManager = await screen.findByRole('checkbox', { name: 'Org User Manager' });
    expect(dialog.contains(userManager)).toBe(true);
    expect(description(userManager)).toMatch(/can replace any service user's client secret, including an Org Owner's, and so act as that user/i);
  });

  it('focuses the user search on opening without opening its list over the roles; typing opens it', async () => {
    renderDialog();
    await screen.findByRole('dialog', { name: 'Add a Manager' });
    const user = screen.getByRole('combobox', { name: 'User' });
    await waitFor(() => expect(document.activeElement).toBe(user));
    await screen.findByRole('checkbox', { name: 'Org Owner' });
    expect(user.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('listbox')).toBeNull();

    fireEvent.change(user, { target: { value: 'dep' } });
    await waitFor(() => expect(user.getAttribute('aria-expanded')).toBe('true'));
  });
});
