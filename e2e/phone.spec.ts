import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { signIn, uniqueName } from './support';

// The guide's console journey on a phone: every step must be reachable with the navigation folded away.
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

async function go(page: Page, link: string) {
  const banner = page.getByRole('banner');
  await banner.getByRole('button', { name: 'Open navigation' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
  // Choosing a page folds the navigation again, so the page itself can be tapped.
  await expect(banner.getByRole('button', { name: 'Open navigation' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
}

test('the guide on a 390x844 phone: create, generate a secret, grant Org Owner', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const userName = uniqueName('phone-bot');
  const displayName = `Phone Bot ${userName.slice(-5)}`;
  await signIn(page);

  await test.step('the navigation starts folded, opens, and closes again from the burger', async () => {
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Service Users' })).toBeVisible();
    await expectAccessible(page, 'the navigation open on a phone');
    await page.getByRole('button', { name: 'Close navigation' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  });

  await test.step('Service Users -> New -> Username and Display Name -> Create', async () => {
    await go(page, 'Service Users');
    await page.getByRole('button', { name: 'New', exact: true }).tap();
    await page.getByRole('textbox', { name: 'Username' }).fill(userName);
    await page.getByRole('textbox', { name: 'Display Name' }).fill(displayName);
    await page.getByRole('button', { name: 'Create' }).tap();
    await expect(page.getByRole('heading', { name: displayName, level: 1 })).toBeVisible();
  });

  await test.step('Actions -> Generate Client Secret, copy, Close', async () => {
    await page.getByRole('button', { name: 'Actions' }).tap();
    await page.getByRole('menuitem', { name: 'Generate Client Secret' }).tap();
    const dialog = page.getByRole('dialog', { name: 'Client Secret', exact: true });
    await expect(dialog).toBeVisible();
    // The dialog fits the screen: nothing in it runs off the side.
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await dialog.getByRole('button', { name: 'Copy ClientSecret' }).tap();
    await expect(dialog.getByRole('button', { name: 'Copy ClientSecret' })).toHaveText('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^[A-Za-z0-9]{64}$/);
    await dialog.getByRole('button', { name: 'Close', exact: true }).tap();
    await expect(dialog).toBeHidden();
  });

  await test.step('the list finds the new user, its row tapped through to its page', async () => {
    await go(page, 'Service Users');
    await page.getByRole('table', { name: 'Service users' }).getByRole('link', { name: userName }).tap();
    await expect(page.getByRole('heading', { name: displayName, level: 1 })).toBeVisible();
  });

  await test.step('Organization -> "+" -> the service user -> Org Owner -> Add', async () => {
    await go(page, 'Organization');
    const managers = page.getByRole('region', { name: 'Managers' });
    await managers.getByRole('button', { name: 'Add Manager' }).tap();
    const dialog = page.getByRole('dialog', { name: 'Add a Manager' });
    const user = dialog.getByRole('combobox', { name: 'User' });
    await user.fill(userName);
    await page
      .getByRole('listbox', { name: 'User' })
      .getByRole('option', { name: new RegExp(displayName) })
      .tap();
    await dialog.getByRole('checkbox', { name: 'Org Owner', exact: true }).check();
    await dialog.getByRole('button', { name: 'Add', exact: true }).tap();
    await expect(dialog).toBeHidden();
    await expect(managers.getByRole('row', { name: new RegExp(displayName) })).toContainText('Org Owner');
  });
});
