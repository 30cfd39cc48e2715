import { expect, test } from '@playwright/test';
import { expectAccessible } from './axe';
import { machine, signIn } from './support';

test('leaving a service user with unsaved edits asks first: Stay keeps the edit, Leave goes', async ({ page }) => {
  await signIn(page);
  const { userId } = await machine(page, 'unsaved');
  await page.goto(`/service-users/${userId}`);
  const settings = page.getByRole('form', { name: 'Settings' });
  const displayName = settings.getByRole('textbox', { name: 'Display Name' });
  await displayName.fill('Renamed but not saved');

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Operators' }).click();
  const ask = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(ask).toBeVisible();
  await expect(ask).toContainText('If you leave, they are lost.');
  await expectAccessible(page, 'the unsaved changes dialog');

  await ask.getByRole('button', { name: 'Stay' }).click();
  await expect(ask).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/service-users/${userId}$`));
  await expect(displayName).toHaveValue('Renamed but not saved');

  await nav.getByRole('link', { name: 'Operators' }).click();
  await ask.getByRole('button', { name: 'Leave' }).click();
  await expect(page).toHaveURL(/\/operators$/);
  await expect(page.getByRole('heading', { name: 'Operators', level: 1 })).toBeVisible();

  // Saved edits, or none, leave without a question.
  await page.goto(`/service-users/${userId}`);
  await displayName.fill('Renamed and saved');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Changes saved')).toBeVisible();
  await nav.getByRole('link', { name: 'Operators' }).click();
  await expect(page).toHaveURL(/\/operators$/);
});

test('a half-filled New Service User form asks before a link leaves it, and closing the tab gets the browser’s question', async ({ page }) => {
  await signIn(page);
  await page.goto('/service-users/new');
  await page.getByRole('textbox', { name: 'Username' }).fill('half-typed');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organization' }).click();
  const ask = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Stay' }).click();
  await expect(page.getByRole('textbox', { name: 'Username' })).toHaveValue('half-typed');

  // Closing the tab (or reloading) asks through the browser; dismissing it keeps the page.
  const question = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const dialog = await question;
  expect(dialog.type()).toBe('beforeunload');
  await dialog.dismiss();
  await expect(page.getByRole('textbox', { name: 'Username' })).toHaveValue('half-typed');

  // Cancel is the choice to drop it: no question.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(/\/service-users$/);
});
