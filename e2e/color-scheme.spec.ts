import { expect, test, type Page } from '@playwright/test';
import { signIn } from './support';

const scheme = (page: Page) => page.locator('html');

test.describe('on a system set to dark', () => {
  test.use({ colorScheme: 'dark' });

  test('the console is dark, and the header switches it to light for good', async ({ page }) => {
    await page.goto('/signin');
    await expect(scheme(page)).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await signIn(page);
    await expect(scheme(page)).toHaveAttribute('data-mantine-color-scheme', 'dark');

    const header = page.getByRole('banner');
    await header.getByRole('button', { name: 'Switch to light theme' }).click();
    await expect(scheme(page)).toHaveAttribute('data-mantine-color-scheme', 'light');
    await expect(header.getByRole('button', { name: 'Switch to dark theme' })).toBeVisible();

    await page.reload();
    await expect(header.getByRole('button', { name: 'Switch to dark theme' })).toBeVisible();
    await expect(scheme(page)).toHaveAttribute('data-mantine-color-scheme', 'light');
  });
});

test.describe('on a system set to light', () => {
  test.use({ colorScheme: 'light' });

  test('the console is light, and dark once chosen, across a reload', async ({ page }) => {
    await signIn(page);
    await expect(scheme(page)).toHaveAttribute('data-mantine-color-scheme', 'light');
    await page.getByRole('banner').getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect(scheme(page)).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.reload();
    await expect(page.getByRole('banner').getByRole('button', { name: 'Switch to light theme' })).toBeVisible();
    await expect(scheme(page)).toHaveAttribute('data-mantine-color-scheme', 'dark');
  });
});
