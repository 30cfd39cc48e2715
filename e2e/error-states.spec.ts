import { expect, test } from '@playwright/test';
import { signIn } from './support';

test('a service user that does not exist gets a page that says so, and the way back to the list', async ({ page }) => {
  await signIn(page);
  await page.goto('/service-users/123456789012345678');
  await expect(page.getByRole('heading', { name: 'Service user not found', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Service user not found · Service Users · Tessera');
  // Asking again would find nothing again.
  await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Back to Service Users' }).click();
  await expect(page).toHaveURL(/\/service-users$/);
  await expect(page.getByRole('heading', { name: 'Service Users', level: 1 })).toBeVisible();
});

test('a server error is said in words, with the request id to quote, and can be tried again', async ({ page }) => {
  await signIn(page);
  let failing = true;
  await page.route('**/management/v1/users/123456789012345678', (route) =>
    failing
      ? route.fulfill({
          status: 503,
          headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-e2e-503' },
          body: JSON.stringify({ code: 14, message: 'The database is not reachable right now.', details: [] }),
        })
      : route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ code: 5, message: 'User not found', details: [] }) }),
  );
  await page.goto('/service-users/123456789012345678');
  const alert = page.getByRole('alert').filter({ hasText: 'This page could not be loaded' });
  await expect(alert).toContainText('The database is not reachable right now.', { timeout: 20_000 });
  await expect(alert.getByText('req-e2e-503')).toBeVisible();
  failing = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'Service user not found', level: 1 })).toBeVisible();
});
