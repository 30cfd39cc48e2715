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

const secret = (id: string, state = 'SECRET_STATE_ACTIVE') => ({
  id,
  hint: id.padStart(4, 'x'),
  creationDate: DETAILS.changeDate,
  expirationDate: '9999-12-31T23:59:59Z',
  state,
  usesLast24h: '0',
});

/** Records every request the menu sends, answering as the server would; the user holds `secrets`. */
function server(secrets = [secret('1')]) {
  const sent: { method: string; url: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      const body = init?.body === undefined ? undefined : JSON.parse(init.body as string); // api() sends JSON text
      if (url.endsWith('/secrets/_search')) {
        return new Response(JSON.stringify({ details: { totalResult: String(secrets.length) }, result: secrets }), { status: 200 });
      }
      sent.push({ method, url, body });
      const answer = method === 'PUT' ? { clientId: 'ci-bot', clientSecret: SECRET, secretId: '9', details: DETAILS } : { details: DETAILS };
      return new Response(JSON.stringify(answer), { status: 200 });
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

const keep = (label: string) => screen.getByRole<HTMLInputElement>('radio', { name: label });
const keepGroup = () => screen.getByRole('radiogroup', { name: 'Keep the current secret valid for' });

describe('Generate Client Secret over an existing one', () => {
  it('revokes the current secret by default, as ZITADEL does, and keeps it for the chosen time when asked', async () => {
    const sent = server();
    renderMenu();
    await choose('Generate Client Secret', 'Generate a new client secret?');
    expect(keep('Revoke it now').checked).toBe(true);
    expect(description(keepGroup())).toContain('stops working the moment a new one is generated');
    fireEvent.click(keep('24 hours'));
    expect(description(keepGroup())).toContain('keeps working for 24 hours beside the new one');
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    await screen.findByRole('dialog', { name: 'Client Secret' });
    expect(sent).toContainEqual({ method: 'PUT', url: '/management/v1/users/7/secret', body: { revokeTokens: false, keepPreviousFor: '86400s' } });
  });

  it('cannot keep more than 3 valid secrets, and says why', async () => {
    server([secret('1'), secret('2', 'SECRET_STATE_EXPIRING'), secret('3', 'SECRET_STATE_EXPIRING'), secret('4', 'SECRET_STATE_EXPIRED')]);
    renderMenu();
    await choose('Generate Client Secret', 'Generate a new client secret?');
    await waitFor(() => expect(keep('1 hour').disabled).toBe(true));
    expect(keep('7 days').disabled).toBe(true);
    expect(keep('Revoke it now').disabled).toBe(false);
    expect(description(keepGroup())).toContain('has 3 valid client secrets, the most it may hold');
  });

  it('keeps the tokens by default, as ZITADEL does, and revokes them when asked', async () => {
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
