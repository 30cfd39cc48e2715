import { expect, test, type Page } from '@playwright/test';
import { signIn, uniqueName } from './support';

/** Guide steps 1-4: Service Users, New, a username and a display name, Create. */
async function createThroughForm(page: Page, userName: string, displayName: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Service Users' }).click();
  await expect(page.getByRole('heading', { name: 'Service Users', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.getByRole('textbox', { name: 'Username' }).fill(userName);
  await page.getByRole('textbox', { name: 'Display Name' }).fill(displayName);
  await page.getByRole('button', { name: 'Create' }).click();
}

const readClipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/** Every value a person or a script could read off the page: text, attributes and input values. */
const pageHolds = (page: Page, text: string) =>
  page.evaluate(
    (t) =>
      document.documentElement.outerHTML.includes(t) ||
      [...document.querySelectorAll('input, textarea')].some((el) => (el as HTMLInputElement).value.includes(t)),
    text,
  );

test('creates a service user, shows its client secret once, and copies both values', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const userName = uniqueName('ci-runner');
  await signIn(page);
  await createThroughForm(page, userName, 'CI runner');

  await expect(page).toHaveURL(/\/service-users\/\d+$/);
  await expect(page.getByRole('heading', { name: 'CI runner', level: 1 })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Service user created' })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: /^Not set$/ })).toBeVisible();

  // Step 5: Actions (top right), Generate Client Secret.
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Generate Client Secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'Client Secret', exact: true });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('cannot be retrieved again');
  await expect(dialog).toContainText('generate a new one');

  // Step 6: copy the ClientID and the ClientSecret.
  const copyId = dialog.getByRole('button', { name: 'Copy ClientID' });
  await copyId.click();
  await expect(copyId).toHaveText('Copied');
  expect(await readClipboard(page)).toBe(userName);
  await expect(dialog.getByRole('textbox', { name: 'ClientID' })).toHaveValue(userName);

  const copySecret = dialog.getByRole('button', { name: 'Copy ClientSecret' });
  await copySecret.click();
  await expect(copySecret).toHaveText('Copied');
  const secret = await readClipboard(page);
  expect(secret).toMatch(/^[A-Za-z0-9]{64}$/);
  await expect(dialog.getByRole('textbox', { name: 'ClientSecret' })).toHaveValue(secret);
  await expect(dialog.getByRole('textbox', { name: 'ClientSecret' })).toHaveAttribute('readonly', '');

  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
  expect(await pageHolds(page, secret)).toBe(false);
  await expect(page.getByRole('definition').filter({ hasText: /^Set since / })).toBeVisible();

  // A second secret asks first, and says the current one stops working. Escape, with nothing copied,
  // asks before throwing the secret away; once closed, focus is back on Actions.
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Generate Client Secret' }).click();
  const confirm = page.getByRole('dialog', { name: 'Generate a new client secret?' });
  await expect(confirm).toContainText('The current secret stops working');
  await confirm.getByRole('button', { name: 'Generate' }).click();
  await expect(dialog).toBeVisible();
  const second = await dialog.getByRole('textbox', { name: 'ClientSecret' }).inputValue();
  expect(second).toMatch(/^[A-Za-z0-9]{64}$/);
  expect(second).not.toBe(secret);
  await page.keyboard.press('Escape');
  const unsaved = page.getByRole('dialog', { name: 'Close without copying?' });
  await expect(unsaved).toContainText('The secret is shown only once.');
  await page.keyboard.press('Escape'); // back to the secret
  await expect(unsaved).toBeHidden();
  await expect(dialog.getByRole('textbox', { name: 'ClientSecret' })).toHaveValue(second);
  await page.keyboard.press('Escape');
  await unsaved.getByRole('button', { name: 'Close anyway' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Actions' })).toBeFocused();
  expect(await pageHolds(page, second)).toBe(false);

  // The activity list tells the story.
  const activity = page.getByRole('table', { name: 'Activity' });
  await expect(activity.getByRole('row')).toHaveCount(4); // header + created + two secrets
  await expect(activity.getByRole('row').nth(1)).toContainText('Client secret generated');
});

test('shows a taken username on the Username field', async ({ page }) => {
  const userName = uniqueName('dup');
  await signIn(page);
  await createThroughForm(page, userName, 'First');
  await expect(page).toHaveURL(/\/service-users\/\d+$/);

  await createThroughForm(page, userName.toUpperCase(), 'Second');
  const field = page.getByRole('textbox', { name: 'Username' });
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(/A user with this username already exists/);
  await expect(page).toHaveURL(/\/service-users\/new$/);
});

test('validates inline before asking the server', async ({ page }) => {
  await signIn(page);
  await page.goto('/service-users/new');
  await page.getByRole('textbox', { name: 'Username' }).fill('a b');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('textbox', { name: 'Username' })).toHaveAccessibleDescription(/may contain only A–Z, a–z, 0–9/);
  await expect(page.getByRole('textbox', { name: 'Display Name' })).toHaveAccessibleDescription(/Display Name is required/);
});

test('finds a user by search, works by keyboard, and deletes after a confirmation naming the user', async ({ page }) => {
  const userName = uniqueName('doomed');
  await signIn(page);
  await createThroughForm(page, userName, 'Doomed worker');
  await expect(page).toHaveURL(/\/service-users\/\d+$/);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Service Users' }).click();
  await page.getByRole('textbox', { name: 'Search' }).fill(userName.toUpperCase());
  const table = page.getByRole('table', { name: 'Service users' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await table.getByRole('link', { name: userName }).click();

  // The menu opens with Enter.
  await page.getByRole('button', { name: 'Actions' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menu')).toBeVisible();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete service user' });
  await expect(confirm).toContainText(`"${userName}"`);
  await confirm.getByRole('button', { name: 'Delete' }).click();

  await expect(page).toHaveURL(/\/service-users$/);
  await expect(page.getByRole('alert').filter({ hasText: 'Service user deleted' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Search' }).fill(userName);
  await expect(page.getByRole('status')).toHaveText(`No service users match “${userName}”.`);
});
