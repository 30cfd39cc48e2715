import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { USERNAME_PATTERN } from '@tessera/contracts';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NewServiceUserPage } from './NewServiceUserPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// happy-dom has no document.fonts, which the Description field's autosize listens to.
if (!('fonts' in document)) Object.defineProperty(document, 'fonts', { value: new EventTarget() });

function renderForm() {
  const fetch = vi.fn(async () => new Response('{}', { status: 500 }));
  vi.stubGlobal('fetch', fetch);
  const router = createMemoryRouter([{ path: '/service-users/new', element: <NewServiceUserPage /> }], { initialEntries: ['/service-users/new'] });
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return fetch;
}

const userName = () => screen.getByRole<HTMLInputElement>('textbox', { name: 'Username' });
const hint = () => document.getElementById(userName().getAttribute('aria-describedby')!.split(' ')[0]!)!.textContent;

describe('the New Service User form’s username hint', () => {
  it('names exactly the characters the server accepts, and not "letters" loosely', () => {
    renderForm();
    expect(hint()).toBe('Also the ClientID. 2–200 characters: A–Z, a–z, 0–9 and . _ @ -, starting with a letter or digit. No spaces or accented letters.');
    // Every character the hint lists passes the server's rule; a letter it does not list does not.
    for (const c of 'AZaz09._@-') expect(USERNAME_PATTERN.test(`a${c}`)).toBe(true);
    for (const c of ['é', 'ß', 'Ж', ' ', '+', '/']) expect(USERNAME_PATTERN.test(`a${c}`)).toBe(false);
  });

  it('refuses what the server would refuse before asking it', () => {
    const fetch = renderForm();
    for (const [value, error] of [
      ['zoë-bot', 'Username may contain only A–Z, a–z, 0–9 and . _ @ - and must start with a letter or digit'],
      ['-bot', 'Username may contain only A–Z, a–z, 0–9 and . _ @ - and must start with a letter or digit'],
      ['x', 'Username must be at least 2 characters'],
      ['x'.repeat(201), 'Username must be at most 200 characters'],
    ]) {
      fireEvent.change(userName(), { target: { value } });
      fireEvent.click(screen.getByRole('button', { name: 'Create' }));
      expect(screen.getByText(error!)).toBeTruthy();
    }
    expect(fetch).not.toHaveBeenCalled();
  });
});
