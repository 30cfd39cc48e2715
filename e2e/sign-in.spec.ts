import { expect, test } from '@playwright/test';
import { ADMIN, signIn } from './support';

test('signs in with the configured administrator, keeps the session on reload, signs out', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin$/);
  await signIn(page);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organization' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Service Users' })).toBeVisible();
  await expect(page.getByLabel('Signed in as')).toContainText('admin');

  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto('/service-users');
  await expect(page).toHaveURL(/\/signin$/);
});

test('a wrong password shows one generic message', async ({ page }) => {
  await page.goto('/signin');
  await page.getByRole('textbox', { name: 'Username' }).fill(ADMIN.username);
  await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Username or password is incorrect.');
});

test('an unknown page says so', async ({ page }) => {
  await signIn(page);
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
