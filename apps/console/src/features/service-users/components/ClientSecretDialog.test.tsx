import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { MachineUserView } from '@tessera/contracts';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UserActionsMenu } from './UserActionsMenu';

const SECRET = 'Zq8kYv3RmT0pWn6sXc1bLd9hFg4jKa2eUo7iNy5tQr0wEm3zVx8uCb6nMl1oPs4A';
const DETAILS = { sequence: '9', changeDate: '2026-01-01T00:00:00Z', resourceOwner: '1' };

const user = {
  id: '7',
  userName: 'billing-sync',
  state: 'USER_STATE_ACTIVE',
  machine: { name: 'Billing sync', description: '', hasSecret: false, accessTokenType: 'ACCESS_TOKEN_TYPE_BEARER' },
} as MachineUserView;

let clipboard: string[];

beforeEach(() => {
  clipboard = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (url.endsWith('/secrets/_search')) return new Response(JSON.stringify({ details: { totalResult: '0' }, result: [] }), { status: 200 });
      const answer = init?.method === 'PUT' ? { clientId: 'billing-sync', clientSecret: SECRET, secretId: '9', details: DETAILS } : { details: DETAILS };
      return new Response(JSON.stringify(answer), { status: 200 });
    }),
  );
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: async (text: string) => void clipboard.push(text) },
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

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
  return qc;
}

const actions = () => screen.getByRole('button', { name: 'Actions' });

async function generate() {
  fireEvent.click(actions());
  fireEvent.click(await screen.findByRole('menuitem', { name: 'Generate Client Secret' }));
  return screen.findByRole('dialog', { name: 'Client Secret' });
}

const pressEscape = () => fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });

describe('the Client Secret dialog', () => {
  it('asks before Escape throws away a secret nobody copied, and Go back keeps it', async () => {
    renderMenu();
    const dialog = await generate();
    pressEscape();
    const ask = await screen.findByRole('dialog', { name: 'Close without copying?' });
    expect(ask.textContent).toContain('The secret is shown only once.');
    fireEvent.click(within(ask).getByRole('button', { name: 'Go back' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Close without copying?' })).toBeNull());
    expect(within(dialog).getByRole<HTMLInputElement>('textbox', { name: 'ClientSecret' }).value).toBe(SECRET);
  });

  it('asks before Close too; Close anyway closes, and focus returns to Actions', async () => {
    renderMenu();
    const dialog = await generate();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    const ask = await screen.findByRole('dialog', { name: 'Close without copying?' });
    fireEvent.click(within(ask).getByRole('button', { name: 'Close anyway' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(actions()));
  });

  it('closes at once once the secret was copied', async () => {
    renderMenu();
    const dialog = await generate();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Copy ClientSecret' }));
    await waitFor(() => expect(clipboard).toEqual([SECRET]));
    pressEscape();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(actions()));
  });

  it("says how to use it: the token endpoint, the guide's curl without the secret, and a .env with it", async () => {
    renderMenu();
    const dialog = await generate();
    const origin = window.location.origin;
    const use = within(within(dialog).getByRole('region', { name: 'Use it' }));
    expect(use.getByRole<HTMLInputElement>('textbox', { name: 'Token endpoint' }).value).toBe(`${origin}/oauth/v2/token`);
    const curl = use.getByRole<HTMLTextAreaElement>('textbox', { name: 'Token request' }).value;
    expect(curl).toBe(
      [
        'curl --request POST',
        `  --url ${origin}/oauth/v2/token`,
        "  --header 'Content-Type: application/x-www-form-urlencoded'",
        '  --user "billing-sync:$CLIENT_SECRET"',
        '  --data grant_type=client_credentials',
        "  --data scope='openid profile email urn:zitadel:iam:org:project:id:zitadel:aud'",
      ].join(' \\\n'),
    );
    fireEvent.click(use.getByRole('button', { name: 'Copy curl command' }));
    await waitFor(() => expect(clipboard).toEqual([curl]));
    expect(clipboard.join()).not.toContain(SECRET);

    // The curl command alone does not save the secret; the .env does.
    pressEscape();
    fireEvent.click(within(await screen.findByRole('dialog', { name: 'Close without copying?' })).getByRole('button', { name: 'Go back' }));
    fireEvent.click(use.getByRole('button', { name: 'Copy as .env' }));
    await waitFor(() => expect(clipboard[1]).toBe(`CLIENT_ID=billing-sync\nCLIENT_SECRET=${SECRET}\nTOKEN_URL=${origin}/oauth/v2/token`));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('keeps the secret out of the address, the query and mutation caches and the console', async () => {
    const logged = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level));
    const qc = renderMenu();
    await generate();
    const cached = JSON.stringify([
      qc
        .getQueryCache()
        .getAll()
        .map((q) => q.state),
      qc
        .getMutationCache()
        .getAll()
        .map((m) => m.state),
    ]);
    expect(cached).not.toContain(SECRET);
    expect(window.location.href).not.toContain(SECRET);
    expect(JSON.stringify(logged.map((spy) => spy.mock.calls))).not.toContain(SECRET);
  });
});
