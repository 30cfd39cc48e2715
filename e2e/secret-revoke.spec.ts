import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { basic, machine, signIn, type Machine } from './support';

// A leaked client secret: removing or replacing it can take the tokens it already got with it.
const SCOPE = 'openid urn:zitadel:iam:org:project:id:zitadel:aud';
const REVOKE = 'Also revoke the tokens issued so far';

async function tokenFor(request: APIRequestContext, m: Pick<Machine, 'clientId' | 'clientSecret'>): Promise<string> {
  const res = await request.post('/oauth/v2/token', {
    headers: { Authorization: basic(m) },
    form: { grant_type: 'client_credentials', scope: SCOPE },
  });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const orgsMe = async (request: APIRequestContext, token: string) =>
  (await request.get('/management/v1/orgs/me', { headers: { Authorization: `Bearer ${token}` } })).status();

async function open(page: Page, m: Machine, item: string, dialogName: string) {
  await page.goto(`/service-users/${m.userId}`);
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: item }).click();
  return page.getByRole('dialog', { name: dialogName });
}

test('Remove Client Secret revokes the tokens issued so far unless the box is cleared', async ({ page, request }) => {
  await signIn(page);
  const leaked = await machine(page, 'leaked');
  const retired = await machine(page, 'retired');
  const leakedToken = await tokenFor(request, leaked);
  const retiredToken = await tokenFor(request, retired);
  expect(await orgsMe(request, leakedToken)).toBe(200);

  await test.step('checked (the default): the token is refused afterwards', async () => {
    const dialog = await open(page, leaked, 'Remove Client Secret', 'Remove the client secret?');
    const box = dialog.getByRole('checkbox', { name: REVOKE });
    await expect(box).toBeChecked();
    await expect(box).toHaveAccessibleDescription(/stops working at once/);
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('definition').filter({ hasText: /^Not set$/ })).toBeVisible();
    expect(await orgsMe(request, leakedToken)).toBe(401);
  });

  await test.step('cleared: the token keeps working, the secret is gone', async () => {
    const dialog = await open(page, retired, 'Remove Client Secret', 'Remove the client secret?');
    const box = dialog.getByRole('checkbox', { name: REVOKE });
    await box.uncheck();
    await expect(box).toHaveAccessibleDescription(/keep working until they expire/);
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('definition').filter({ hasText: /^Not set$/ })).toBeVisible();
    expect(await orgsMe(request, retiredToken)).toBe(200);
    const refused = await request.post('/oauth/v2/token', {
      headers: { Authorization: basic(retired) },
      form: { grant_type: 'client_credentials' },
    });
    expect(refused.status()).toBe(401);
  });
});

test('Generate Client Secret over a leaked one: unchecked by default, and checked it revokes the old tokens', async ({ page, request }) => {
  await signIn(page);
  const leaked = await machine(page, 'rotated');
  const oldToken = await tokenFor(request, leaked);

  const dialog = await open(page, leaked, 'Generate Client Secret', 'Generate a new client secret?');
  const box = dialog.getByRole('checkbox', { name: REVOKE });
  await expect(box).not.toBeChecked();
  await expect(box).toHaveAccessibleDescription(/keep working until they expire/);
  await box.check();
  await dialog.getByRole('button', { name: 'Generate' }).click();
  const shown = page.getByRole('dialog', { name: 'Client Secret', exact: true });
  const clientSecret = await shown.getByRole('textbox', { name: 'ClientSecret' }).inputValue();
  await shown.getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByRole('dialog', { name: 'Close without copying?' }).getByRole('button', { name: 'Close anyway' }).click();
  await expect(shown).toBeHidden();

  expect(await orgsMe(request, oldToken)).toBe(401);
  expect(await orgsMe(request, await tokenFor(request, { clientId: leaked.clientId, clientSecret }))).toBe(200);
});
