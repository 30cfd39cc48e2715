import { expect, test, type Route } from '@playwright/test';
import { expectAccessible } from './axe';
import { signIn } from './support';

// Each page's code is a chunk of its own, fetched when its route is first met (apps/console/src/app/router.tsx).
const chunk = (name: string) => new RegExp(`/assets/${name}-[\\w-]+\\.js$`);

test('while the next page loads, the current one stays in place and a status says so', async ({ page }) => {
  await signIn(page);
  const main = page.getByRole('main');
  const before = await main.boundingBox();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(chunk('OperatorsPage'), async (route: Route) => {
    await held;
    await route.continue();
  });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operators' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Loading the page' })).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Service Users', level: 1 })).toBeVisible();
  expect(await main.boundingBox()).toEqual(before);

  release();
  await expect(page.getByRole('heading', { name: 'Operators', level: 1 })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Loading the page' })).toHaveCount(0);
  // The new page starts where the old one did; its height is its own content's.
  expect(await main.boundingBox()).toMatchObject({ x: before?.x, y: before?.y, width: before?.width });
});

test('a page whose code is gone (a redeploy since the tab opened) says so, keeps the navigation, and reloads', async ({ page }) => {
  await signIn(page);
  await page.route(chunk('OrganizationPage'), (route) => route.abort());
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organization' }).click();

  const alert = page.getByRole('alert').filter({ hasText: 'This page could not be loaded' });
  await expect(alert).toContainText('Reload to get the current version.');
  await expect(page).toHaveTitle('This page could not be loaded · Tessera');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await alert.hover(); // the pointer off the link it clicked, whose hover shade is not what is checked here
  await expectAccessible(page, 'a page that could not be loaded');

  await page.unroute(chunk('OrganizationPage'));
  await alert.getByRole('button', { name: 'Reload' }).click();
  await expect(page).toHaveTitle('Organization · Tessera');
});

test('when the console itself cannot load past sign-in, a fresh load says so instead of a blank page', async ({ page }) => {
  await signIn(page);
  await page.route(chunk('Layout'), (route) => route.abort());
  await page.goto('/service-users');

  const alert = page.getByRole('main').getByRole('alert').filter({ hasText: 'This page could not be loaded' });
  await expect(alert).toBeVisible();
  await expectAccessible(page, 'the console that could not be loaded');

  await page.unroute(chunk('Layout'));
  await alert.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByRole('heading', { name: 'Service Users', level: 1 })).toBeVisible();
});
