import { expect, type Page } from '@playwright/test';

export const ADMIN = { username: 'admin', password: process.env.TESSERA_E2E_ADMIN_PASSWORD! };

export async function signIn(page: Page, user = ADMIN): Promise<void> {
  await page.goto('/signin');
  await page.getByRole('textbox', { name: 'Username' }).fill(user.username);
  await page.getByRole('textbox', { name: 'Password' }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** A username no other test (or earlier run on the same server) has used. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

export interface Machine {
  userId: string;
  clientId: string;
  clientSecret: string;
}

/** A service user with a secret and the Org Owner role, made through the API with the page's own session. */
export async function machine(page: Page, prefix: string): Promise<Machine> {
  const { csrfToken } = (await (await page.request.get('/api/session')).json()) as { csrfToken: string };
  const headers = { 'x-csrf-token': csrfToken };
  const made = await page.request.post('/management/v1/users/machine', { headers, data: { userName: uniqueName(prefix), name: prefix } });
  expect(made.status()).toBe(200);
  const { userId } = (await made.json()) as { userId: string };
  const secret = await page.request.put(`/management/v1/users/${userId}/secret`, { headers });
  const { clientId, clientSecret } = (await secret.json()) as { clientId: string; clientSecret: string };
  const member = await page.request.post('/management/v1/orgs/me/members', { headers, data: { userId, roles: ['ORG_OWNER'] } });
  expect(member.status()).toBe(200);
  return { userId, clientId, clientSecret };
}

/** HTTP Basic client credentials, as the guide's curl sends them. */
export const basic = (m: Pick<Machine, 'clientId' | 'clientSecret'>) => `Basic ${Buffer.from(`${m.clientId}:${m.clientSecret}`).toString('base64')}`;
