import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { signIn, uniqueName } from './support';

/** Creates a service user through the management API with the page's own session. */
async function createServiceUser(page: Page, userName: string, name: string): Promise<void> {
  const session = await page.request.get('/api/session');
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const res = await page.request.post('/management/v1/users/machine', {
    headers: { 'x-csrf-token': csrfToken },
    data: { userName, name },
  });
  expect(res.status()).toBe(200);
}

test('"+" grants a service user Org Owner; its roles can be edited and it can be removed again', async ({ page }) => {
  await signIn(page);
  const userName = uniqueName('deployer');
  const displayName = `Deploy Bot ${userName.slice(-6)}`;
  await createServiceUser(page, userName, displayName);

  await page.goto('/org');
  const managers = page.getByRole('region', { name: 'Managers' });
  await expect(managers.getByRole('table')).toBeVisible();
  await managers.getByRole('button', { name: 'Add Manager' }).click();

  const dialog = page.getByRole('dialog', { name: 'Add a Manager' });
  await expect(dialog).toBeVisible();
  const add = dialog.getByRole('button', { name: 'Add', exact: true });
  await expect(add).toBeDisabled();

  // The search field has the focus, but its list waits to be asked for: nothing covers the roles.
  const user = dialog.getByRole('combobox', { name: 'User' });
  const results = page.getByRole('listbox', { name: 'User' });
  await expect(user).toBeFocused();
  await expect(user).toHaveAttribute('aria-expanded', 'false');
  await expect(results).toBeHidden();
  await dialog.getByRole('checkbox', { name: 'Org Owner', exact: true }).click({ trial: true });

  // Server-side search by part of the user name, picked with the keyboard.
  await user.fill(userName.slice(0, -2));
  await expect(results.getByRole('option')).toHaveCount(1);
  await expect(results.getByRole('option')).toContainText(displayName);
  await expect(results.getByRole('option')).toContainText('Service User');
  await user.press('ArrowDown');
  await user.press('Enter');
  await expect(user).toHaveValue(`${displayName} (${userName})`);
  await expect(add).toBeDisabled(); // a user, but no role yet

  await dialog.getByRole('checkbox', { name: 'Org Owner', exact: true }).check();
  await expect(add).toBeEnabled();
  await add.click();

  await expect(dialog).toBeHidden();
  await expect(page.getByText('Manager added')).toBeVisible();
  const row = managers.getByRole('row', { name: new RegExp(displayName) });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Service User');
  await expect(row).toContainText('Org Owner');

  await row.getByRole('button', { name: `Edit roles of ${displayName}` }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Roles' });
  await expect(edit.getByRole('button', { name: 'Save' })).toBeDisabled();
  await edit.getByRole('checkbox', { name: 'Org Owner', exact: true }).uncheck();
  await expect(edit.getByRole('button', { name: 'Save' })).toBeDisabled(); // no role at all
  await edit.getByRole('checkbox', { name: 'Org Owner Viewer' }).check();
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(row.getByText('Org Owner Viewer')).toBeVisible();
  await expect(row.getByText('Org Owner', { exact: true })).toBeHidden();

  await row.getByRole('button', { name: `Remove ${displayName}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove Manager' });
  await expect(confirm).toContainText('will lose every manager role');
  await confirm.getByRole('button', { name: 'Remove' }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toBeHidden();
});

test('the organization shows its details and can be renamed', async ({ page }) => {
  await signIn(page);
  await page.goto('/org');
  const original = (await page.getByRole('heading', { level: 1 }).textContent())!;
  const details = page.getByRole('region', { name: 'Details' });
  await expect(details).toContainText('Primary Domain');
  await expect(details).toContainText('Active');
  await expect(details.locator('time')).toBeVisible();

  const renamed = uniqueName('Renamed');
  await page.getByRole('button', { name: 'Rename' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename Organization' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill('   ');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Name is required')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Name' }).fill(renamed);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: renamed })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Acting organization' })).toHaveValue(renamed);

  // Put the name back for the other specs sharing this server.
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByRole('dialog', { name: 'Rename Organization' }).getByRole('textbox', { name: 'Name' }).fill(original);
  await page.getByRole('dialog', { name: 'Rename Organization' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: original })).toBeVisible();
});

test('the instance owner creates an organization and switches between organizations', async ({ page }) => {
  await signIn(page);
  await page.goto('/org');
  const home = (await page.getByRole('heading', { level: 1 }).textContent())!;
  const name = uniqueName('Globex');

  await page.getByRole('button', { name: 'New Organization' }).click();
  const dialog = page.getByRole('dialog', { name: 'New Organization' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();

  const indicator = page.getByRole('combobox', { name: 'Acting organization' });
  await expect(indicator).toHaveValue(name);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Managers' })).toContainText('no managers yet');

  // The choice holds on other pages and across a reload.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Service Users' }).click();
  await expect(indicator).toHaveValue(name);
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Acting organization' })).toHaveValue(name);

  await page.getByRole('combobox', { name: 'Acting organization' }).click();
  await page.getByRole('option', { name: home, exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Acting organization' })).toHaveValue(home);
  await page.goto('/org');
  await expect(page.getByRole('heading', { level: 1, name: home })).toBeVisible();
});

test('instance roles show on the Organization page, and removing a manager who keeps one says what they keep', async ({ page }) => {
  await signIn(page);
  // The first administrator holds Instance Owner, which is no manager role of the organization.
  await page.goto('/org');
  const instance = page.getByRole('region', { name: 'Instance' });
  const admin = instance.getByRole('listitem').filter({ hasText: 'admin' });
  await expect(admin.getByText('Instance Owner', { exact: true })).toBeVisible();

  const { csrfToken } = (await (await page.request.get('/api/session')).json()) as { csrfToken: string };
  const headers = { 'x-csrf-token': csrfToken };
  const userName = uniqueName('viewer');
  const displayName = `Auditor ${userName.slice(-6)}`;
  const made = await page.request.post('/management/v1/users/machine', { headers, data: { userName, name: displayName } });
  const { userId } = (await made.json()) as { userId: string };
  expect((await page.request.post('/management/v1/orgs/me/members', { headers, data: { userId, roles: ['ORG_USER_MANAGER'] } })).status()).toBe(200);
  expect((await page.request.post('/admin/v1/members', { headers, data: { userId, roles: ['IAM_OWNER_VIEWER'] } })).status()).toBe(200);

  try {
    await page.reload();
    await expect(instance.getByRole('listitem').filter({ hasText: displayName })).toContainText('Instance Owner Viewer');
    const row = page.getByRole('region', { name: 'Managers' }).getByRole('row', { name: new RegExp(displayName) });
    await expect(row).toContainText('Org User Manager');
    await expect(row).toContainText('Instance Owner Viewer');

    await row.getByRole('button', { name: `Remove ${displayName}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove Manager' });
    await expect(confirm).toContainText('will lose the role Org User Manager in');
    await expect(confirm).toContainText('They keep Instance Owner Viewer, an instance role that still reaches every organization');
    await expect(confirm).not.toContainText('every manager role');
    await expectAccessible(page, 'the Remove Manager dialog for a person with an instance role');
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await expect(row).toBeHidden();
    await expect(instance.getByRole('listitem').filter({ hasText: displayName })).toBeVisible();
  } finally {
    await page.request.delete(`/admin/v1/members/${userId}`, { headers });
  }
});
