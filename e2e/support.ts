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
