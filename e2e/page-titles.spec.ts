import { expect, test } from '@playwright/test';
import { signIn, uniqueName } from './support';

test('every page names itself in the title, the service user by its name once loaded', async ({ page }) => {
  await page.goto('/signin');
  await expect(page).toHaveTitle('Sign in · Tessera');
  await signIn(page);

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Service Users' }).click();
  await expect(page).toHaveTitle('Service Users · Tessera');

  const userName = uniqueName('billing-sync');
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await expect(page).toHaveTitle('New Service User · Service Users · Tessera');
  await page.getByRole('textbox', { name: 'Username' }).fill(userName);
  await page.getByRole('textbox', { name: 'Display Name' }).fill('Billing sync');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { name: 'Billing sync', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(`${userName} · Service Users · Tessera`);

  await nav.getByRole('link', { name: 'Organization' }).click();
  await expect(page).toHaveTitle('Organization · Tessera');
  await nav.getByRole('link', { name: 'Operators' }).click();
  await expect(page).toHaveTitle('Operators · Tessera');
  await nav.getByRole('link', { name: 'API reference' }).click();
  await expect(page).toHaveTitle('API reference · Tessera');

  await page.goto('/no/such/page');
  await expect(page).toHaveTitle('Page not found · Tessera');
});
