import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { MachineUserView } from '@tessera/contracts';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserActionsMenu } from './UserActionsMenu';

const SECRET = 'Zq8kYv3RmT0pWn6sXc1bLd9hFg4jKa2eUo7iNy5tQr0wEm3zVx8uCb6nMl1oPs4A';
const DETAILS = { sequence: '9', changeDate: '2026-01-01T00:00:00Z', resourceOwner: '1' };

const user = {
  id: '7',
  userName: 'ci-bot',
  state: 'USER_STATE_ACTIVE',
  machine: { name: 'CI bot', description: '', hasSecret: true, accessTokenType: 'ACCESS_TOKEN_TYPE_BEARER' },
} as MachineUserView;

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** Records every request the menu sends, answering as the server would. */
function server() {
  const sent: { method: string; url: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      sent.push({ method, url, body: init?.body === undefined ? undefined : JSON.parse(String(init.body)) });
      const body = method === 'PUT' ? { clientId: 'ci-bot', clientSecret: SECRET, details: DETAILS } : { details: DETAILS };
      return new Response(JSON.stringify(body), { status: 200 });
    }),
  );
  return sent;
}

function renderMenu() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider>
      <QueryClientProvider client={qc}>
        <MemoryRouter>
          <UserActionsMenu user={user} />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

async function choose(item: string, dialogName: string) {
  fireEvent.click(screen.getByRole('button', { name: 'Actions' }));
  fireEvent.click(await screen.findByRole('menuitem', { name: item }));
  return screen.findByRole('dialog', { name: dialogName });
}

const box = () => screen.getByRole<HTMLInputElement>('checkbox', { name: 'Also revoke the tokens issued so far' });
const description = (el: HTMLElement) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

describe('Remove Client Secret', () => {
  it('offers to revoke the tokens too, checked by default, and says what happens either way', async () => {
    const sent = server();
    renderMenu();
    await choose('Remove Client Secret', 'Remove the client secret?');
    expect(box().checked).toBe(true);
    expect(description(box())).toContain('Every access token ci-bot got so far stops working at once');
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(sent).toContainEqual({ method: 'DELETE', url: '/management/v1/users/7/secret', body: { revokeTokens: true } }));
  });

  it('leaves the tokens alone when the box is cleared', async () => {
    const sent = server();
    renderMenu();
    await choose('Remove Client Secret', 'Remove the client secret?');
    fireEvent.click(box());
    expect(box().checked).toBe(false);
    expect(description(box())).toContain('keep working until they expire');
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(sent).toContainEqual({ method: 'DELETE', url: '/management/v1/users/7/secret', body: { revokeTokens: false } }));
  });
});

describe('Generate Client Secret over an existing one', () => {
  it("keeps the tokens by default, as ZITADEL does, and revokes them when asked", async () => {
    const sent = server();
    renderMenu();
    await choose('Generate Client Secret', 'Generate a new client secret?');
    expect(box().checked).toBe(false);
    expect(description(box())).toContain('Check this if the secret may have leaked');
    fireEvent.click(box());
    expect(description(box())).toContain('stops working at once');
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    await screen.findByRole('dialog', { name: 'Client Secret' });
    expect(sent).toContainEqual({ method: 'PUT', url: '/management/v1/users/7/secret', body: { revokeTokens: true } });
  });
});
