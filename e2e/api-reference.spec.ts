import { expect, test } from '@playwright/test';
import { signIn } from './support';

test('the API reference is one click away, and finds GenerateMachineSecret without leaving the server', async ({ page, baseURL }) => {
  // Everything the page loads must come from Tessera itself: no CDN, no fonts, no telemetry.
  const elsewhere: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(`${baseURL}/`) && !r.url().startsWith('data:')) elsewhere.push(r.url());
  });
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });

  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API reference' }).click();
  await expect(page).toHaveURL(/\/api-reference$/);
  // The renderer is a large chunk of its own, loaded with this page: give it longer on a busy machine.
  await expect(page.getByRole('heading', { name: 'Tessera API', level: 1 })).toBeVisible({ timeout: 30_000 });

  // As a reader looks for it: the Client secrets section in the reference's sidebar, then the call.
  const contents = page.getByRole('complementary', { name: 'Sidebar for Tessera API' });
  await contents.getByRole('button', { name: 'Open Group - Client secrets' }).click();
  await contents.getByRole('link', { name: /^GenerateMachineSecret/ }).click();
  const operation = page.getByRole('region', { name: 'GenerateMachineSecret' });
  await expect(operation.getByRole('heading', { name: 'GenerateMachineSecret' })).toBeVisible();
  await expect(operation.getByText('/management/v1/users/{userId}/secret', { exact: true })).toBeVisible();

  expect(elsewhere).toEqual([]);
  expect(refused).toEqual([]);
});
