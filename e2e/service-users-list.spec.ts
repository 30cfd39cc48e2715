import { expect, test } from '@playwright/test';
import { signIn, uniqueName } from './support';

test('the list keeps its search and page in the address: Back from a user and a reload come back to them', async ({ page }) => {
  await signIn(page);
  const prefix = uniqueName('paged');
  const { csrfToken } = (await (await page.request.get('/api/session')).json()) as { csrfToken: string };
  for (let i = 1; i <= 21; i++) {
    const made = await page.request.post('/management/v1/users/machine', {
      headers: { 'x-csrf-token': csrfToken },
      data: { userName: `${prefix}-${String(i).padStart(2, '0')}`, name: `Paged ${i}` },
    });
    expect(made.status()).toBe(200);
  }

  await page.goto('/service-users');
  const search = page.getByRole('textbox', { name: 'Search' });
  const table = page.getByRole('table', { name: 'Service users' });
  const range = page.getByText(/^\d+–\d+ of \d+$/);
  await search.fill(prefix);
  await expect(page).toHaveURL(new RegExp(`/service-users\\?q=${prefix}$`));
  await expect(range).toHaveText('1–20 of 21');

  await page.getByRole('button', { name: 'Page 2' }).click();
  await expect(page).toHaveURL(new RegExp(`/service-users\\?q=${prefix}&page=2$`));
  await expect(range).toHaveText('21–21 of 21');
  await expect(table.getByRole('row')).toHaveCount(2);
  const oldest = `${prefix}-01`; // newest first: the first one made is the last
  await table.getByRole('link', { name: oldest }).click();
  await expect(page.getByRole('heading', { name: 'Paged 1', level: 1 })).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/service-users\\?q=${prefix}&page=2$`));
  await expect(search).toHaveValue(prefix);
  await expect(range).toHaveText('21–21 of 21');
  await expect(table.getByRole('link', { name: oldest })).toBeVisible();

  await page.reload();
  await expect(search).toHaveValue(prefix);
  await expect(range).toHaveText('21–21 of 21');

  // A page is a step back in the history; the search it came from stays.
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/service-users\\?q=${prefix}$`));
  await expect(search).toHaveValue(prefix);
  await expect(range).toHaveText('1–20 of 21');

  // The menu's Service Users starts over.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Service Users' }).click();
  await expect(page).toHaveURL(/\/service-users$/);
  await expect(search).toHaveValue('');
});
