import { expect, test } from '@playwright/test';
import { expectAccessible } from './axe';
import { machine, signIn } from './support';

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every page and dialog has no serious or critical axe violation, ${colorScheme}`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme });

    await page.goto('/signin');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expectAccessible(page, 'sign-in');
    await signIn(page);
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', colorScheme);
    const bot = await machine(page, `axe-${colorScheme}`);

    await page.goto('/service-users');
    await expect(page.getByRole('table', { name: 'Service users' })).toBeVisible();
    await expectAccessible(page, 'Service Users');

    await page.getByRole('button', { name: 'New', exact: true }).click();
    await expect(page.getByRole('textbox', { name: 'Username' })).toBeVisible();
    await expectAccessible(page, 'New service user');

    await page.goto(`/service-users/${bot.userId}`);
    const actions = page.getByRole('button', { name: 'Actions' });
    await expect(actions).toBeEnabled();
    await expectAccessible(page, "a service user's page");

    await actions.click();
    await expect(page.getByRole('menu')).toBeVisible();
    await expectAccessible(page, 'the Actions menu');

    await page.getByRole('menuitem', { name: 'Deactivate' }).click();
    const confirm = page.getByRole('dialog', { name: 'Deactivate this service user?' });
    await expect(confirm).toBeVisible();
    await expectAccessible(page, 'the Deactivate confirmation');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();

    await actions.click();
    await page.getByRole('menuitem', { name: 'Generate Client Secret' }).click();
    const again = page.getByRole('dialog', { name: 'Generate a new client secret?' });
    await expect(again).toBeVisible();
    await expectAccessible(page, 'the Generate a new client secret confirmation');
    await again.getByRole('button', { name: 'Generate' }).click();
    const secret = page.getByRole('dialog', { name: 'Client Secret', exact: true });
    await expect(secret).toBeVisible();
    await expectAccessible(page, 'the Client Secret dialog');
    await secret.getByRole('button', { name: 'Close', exact: true }).click();
    const unsaved = page.getByRole('dialog', { name: 'Close without copying?' });
    await expect(unsaved).toBeVisible();
    await expectAccessible(page, 'the Close without copying confirmation');
    await unsaved.getByRole('button', { name: 'Close anyway' }).click();
    await expect(secret).toBeHidden();

    await page.goto('/org');
    const managers = page.getByRole('region', { name: 'Managers' });
    await expect(managers.getByRole('table')).toBeVisible();
    await expectAccessible(page, 'Organization');
    await managers.getByRole('button', { name: 'Add Manager' }).click();
    const add = page.getByRole('dialog', { name: 'Add a Manager' });
    await add.getByRole('combobox', { name: 'User' }).fill('axe');
    await expect(page.getByRole('listbox', { name: 'User' }).getByRole('option').first()).toBeVisible();
    await expectAccessible(page, 'the Add a Manager dialog, its user list open');

    const { csrfToken } = (await (await page.request.get('/api/session')).json()) as { csrfToken: string };
    const made = await page.request.post('/management/v1/projects', { headers: { 'x-csrf-token': csrfToken }, data: { name: `axe-${colorScheme}` } });
    expect(made.status()).toBe(200);
    const { id: projectId } = (await made.json()) as { id: string };
    await page.goto('/projects');
    await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
    await expectAccessible(page, 'Projects');
    await page.goto(`/projects/${projectId}`);
    await expect(page.getByText('No applications yet.')).toBeVisible();
    await expectAccessible(page, 'a project page');

    await page.goto('/operators');
    await expect(page.getByRole('table', { name: 'Operators' })).toBeVisible();
    await expectAccessible(page, 'Operators');

    await page.goto('/api-reference');
    await expect(page.getByRole('heading', { name: 'Tessera API', level: 1 })).toBeVisible({ timeout: 30_000 });
    await expectAccessible(page, 'API reference');

    await page.goto('/no-such-page');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expectAccessible(page, 'the not-found page');

    await page.goto('/service-users/123456789012345678');
    await expect(page.getByRole('heading', { name: 'Service user not found' })).toBeVisible();
    await expectAccessible(page, 'a missing service user');
  });
}
