import { expect, test } from '@playwright/test';
import { ADMIN, signIn, uniqueName } from './support';

test('the first Tab offers "Skip to main content", shown only while focused, and it lands in the page', async ({ page }) => {
  await signIn(page);
  await page.goto('/service-users');
  await expect(page.getByRole('heading', { name: 'Service Users', level: 1 })).toBeVisible();
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  const onScreen = async () => ((await skip.boundingBox())?.y ?? -1) >= 0;
  expect(await onScreen()).toBe(false);

  await page.keyboard.press('Tab');
  await expect(skip).toBeFocused();
  expect(await onScreen()).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  await expect(page).toHaveURL(/\/service-users$/);
  expect(await onScreen()).toBe(false);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'New', exact: true })).toBeFocused();
});

test('a failed sign-in moves focus to the message, then on to Username', async ({ page }) => {
  await page.goto('/signin');
  await page.getByRole('textbox', { name: 'Username' }).fill(ADMIN.username);
  await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
  await page.keyboard.press('Enter');
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText('Username or password is incorrect.');
  await expect(alert).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('textbox', { name: 'Username' })).toBeFocused();
});

test('an invalid New service user moves focus to the first field in error', async ({ page }) => {
  await signIn(page);
  await page.goto('/service-users/new');
  const userName = page.getByRole('textbox', { name: 'Username' });
  const displayName = page.getByRole('textbox', { name: 'Display Name' });

  await userName.fill(uniqueName('focus'));
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(displayName).toBeFocused();
  await expect(displayName).toHaveAttribute('aria-invalid', 'true');

  await userName.fill('a b');
  await displayName.fill('Focus probe');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(userName).toBeFocused();
  await expect(userName).toHaveAccessibleDescription(/may contain only A–Z, a–z, 0–9/);
});
