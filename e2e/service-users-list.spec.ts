import { expect, test } from '@playwright/test';
import { expectAccessible } from './axe';
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

test('a column header sorts the list and again turns it around; the state filter narrows it; both live in the address', async ({ page }) => {
  await signIn(page);
  const prefix = uniqueName('sorted');
  const { csrfToken } = (await (await page.request.get('/api/session')).json()) as { csrfToken: string };
  const headers = { 'x-csrf-token': csrfToken };
  // Made b, a, c: newest first is c, a, b; by display name (Alpha, Bravo, Charlie) a, c, b.
  const ids: Record<string, string> = {};
  for (const [suffix, name] of [
    ['b', 'Charlie'],
    ['a', 'Alpha'],
    ['c', 'Bravo'],
  ] as const) {
    const made = await page.request.post('/management/v1/users/machine', { headers, data: { userName: `${prefix}-${suffix}`, name } });
    expect(made.status()).toBe(200);
    ids[suffix] = ((await made.json()) as { userId: string }).userId;
  }
  expect((await page.request.post(`/management/v1/users/${ids.a}/_deactivate`, { headers, data: {} })).status()).toBe(200);

  await page.goto(`/service-users?q=${prefix}`);
  const table = page.getByRole('table', { name: 'Service users' });
  const names = table.getByRole('row').getByRole('link');
  const header = (name: string) => table.getByRole('columnheader', { name });
  await expect(names).toHaveText([`${prefix}-c`, `${prefix}-a`, `${prefix}-b`]);
  await expect(header('Created')).toHaveAttribute('aria-sort', 'descending');
  await expect(header('User Name')).toHaveAttribute('aria-sort', 'none');

  await table.getByRole('button', { name: 'User Name' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?q=${prefix}&sort=userName&asc=true$`));
  await expect(names).toHaveText([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
  await expect(header('User Name')).toHaveAttribute('aria-sort', 'ascending');
  await expect(header('Created')).toHaveAttribute('aria-sort', 'none');

  await table.getByRole('button', { name: 'User Name' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?q=${prefix}&sort=userName$`));
  await expect(names).toHaveText([`${prefix}-c`, `${prefix}-b`, `${prefix}-a`]);
  await expect(header('User Name')).toHaveAttribute('aria-sort', 'descending');

  await table.getByRole('button', { name: 'Display Name' }).click();
  await expect(names).toHaveText([`${prefix}-a`, `${prefix}-c`, `${prefix}-b`]);

  await page.getByRole('radiogroup', { name: 'State' }).getByText('Active', { exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`\\?q=${prefix}&sort=displayName&asc=true&state=active$`));
  await expect(names).toHaveText([`${prefix}-c`, `${prefix}-b`]);
  await expectAccessible(page, 'the sorted and filtered Service Users list');

  // A shared link, a reload and Back all show the same list.
  await page.reload();
  await expect(names).toHaveText([`${prefix}-c`, `${prefix}-b`]);
  await expect(page.getByRole('radio', { name: 'Active', exact: true })).toBeChecked();
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`\\?q=${prefix}&sort=displayName&asc=true$`));
  await expect(names).toHaveText([`${prefix}-a`, `${prefix}-c`, `${prefix}-b`]);
  await expect(page.getByRole('radio', { name: 'All' })).toBeChecked();

  const fresh = await page.context().newPage();
  await fresh.goto(`/service-users?q=${prefix}&state=inactive`);
  await expect(fresh.getByRole('table', { name: 'Service users' }).getByRole('row').getByRole('link')).toHaveText([`${prefix}-a`]);
  await fresh.close();
});
