import { expect, test, type Page } from '@playwright/test';
import { ADMIN, signIn, uniqueName } from './support';

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Tessera' })).toBeVisible();
}

/** The change-password form, wherever it is shown: the forced page or the header's dialog. */
async function changePassword(page: Page, current: string, next: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Change password' });
  await form.getByRole('textbox', { name: 'Current password', exact: true }).fill(current);
  await form.getByRole('textbox', { name: 'New password', exact: true }).fill(next);
  await form.getByRole('textbox', { name: 'Confirm new password', exact: true }).fill(next);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Password changed' })).toBeVisible();
}

test('a second operator is created, changes the initial password at the first sign-in, and works as Org Owner', async ({ page }) => {
  const userName = uniqueName('operator');
  const displayName = `Second Operator ${userName.slice(-6)}`;
  let initialPassword = '';

  await test.step('the administrator creates the operator and gets the initial password once', async () => {
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operators' }).click();
    await expect(page.getByRole('heading', { name: 'Operators', level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'New operator' }).click();
    const dialog = page.getByRole('dialog', { name: 'New operator' });
    await dialog.getByRole('textbox', { name: 'Username' }).fill(userName);
    await dialog.getByRole('textbox', { name: 'Display Name' }).fill(displayName);
    await dialog.getByRole('button', { name: 'Create' }).click();

    const shown = page.getByRole('dialog', { name: 'Initial password' });
    initialPassword = await shown.getByRole('textbox', { name: 'Initial password' }).inputValue();
    expect(initialPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    await expect(shown.getByRole('button', { name: 'Copy Initial password' })).toBeVisible();
    await shown.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(shown).toBeHidden();
    const row = page.getByRole('table', { name: 'Operators' }).getByRole('row', { name: new RegExp(userName) });
    await expect(row).toContainText('Initial password');
  });

  await test.step('and grants Org Owner with the "+" of the Managers card', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organization' }).click();
    const managers = page.getByRole('region', { name: 'Managers' });
    await managers.getByRole('button', { name: 'Add Manager' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a Manager' });
    await dialog.getByRole('combobox', { name: 'User' }).fill(userName);
    await page
      .getByRole('listbox', { name: 'User' })
      .getByRole('option', { name: new RegExp(userName) })
      .click();
    await dialog.getByRole('checkbox', { name: 'Org Owner', exact: true }).check();
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(managers.getByRole('row', { name: new RegExp(displayName) })).toContainText('Org Owner');
    await signOut(page);
  });

  const ownPassword = `${userName} chose this`;
  await test.step('the operator signs in with it and must choose a password before anything else', async () => {
    await page.getByRole('textbox', { name: 'Username' }).fill(userName);
    await page.getByRole('textbox', { name: 'Password' }).fill(initialPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
    // A mistake is said where it was made.
    const form = page.getByRole('form', { name: 'Change password' });
    await form.getByRole('textbox', { name: 'Current password', exact: true }).fill('not the initial one');
    await form.getByRole('textbox', { name: 'New password', exact: true }).fill(ownPassword);
    await form.getByRole('textbox', { name: 'Confirm new password', exact: true }).fill(ownPassword);
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect(form.getByText('The current password is not correct')).toBeVisible();
    await changePassword(page, initialPassword, ownPassword);
  });

  await test.step('then works as Org Owner, without the instance-only Operators page', async () => {
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expect(page.getByLabel('Signed in as')).toContainText(`${displayName} (${userName})`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Operators' })).toHaveCount(0);
    await nav.getByRole('link', { name: 'Organization' }).click();
    await expect(page.getByRole('region', { name: 'Managers' }).getByRole('row', { name: new RegExp(displayName) })).toContainText('Org Owner');
    await nav.getByRole('link', { name: 'Service Users' }).click();
    await expect(page.getByRole('heading', { name: 'Service Users', level: 1 })).toBeVisible();
    await signOut(page);
  });

  await test.step('the new password is the one that signs in; the initial one no longer does', async () => {
    await page.getByRole('textbox', { name: 'Username' }).fill(userName);
    await page.getByRole('textbox', { name: 'Password' }).fill(initialPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Username or password is incorrect' })).toBeVisible();
    await signIn(page, { username: userName, password: ownPassword });
    await signOut(page);
  });

  await test.step('the administrator sees the operator has chosen a password, and can change their own from the header', async () => {
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operators' }).click();
    await expect(page.getByRole('table', { name: 'Operators' }).getByRole('row', { name: new RegExp(userName) })).not.toContainText('Initial password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('dialog', { name: 'Change password' })).toBeVisible();
    // The same password again is refused before anything is sent: the administrator's stays as it is.
    const form = page.getByRole('form', { name: 'Change password' });
    await form.getByRole('textbox', { name: 'Current password', exact: true }).fill(ADMIN.password);
    await form.getByRole('textbox', { name: 'New password', exact: true }).fill(ADMIN.password);
    await form.getByRole('textbox', { name: 'Confirm new password', exact: true }).fill(ADMIN.password);
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect(form.getByText('Choose a password other than the current one')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Change password' })).toBeHidden();
  });
});
