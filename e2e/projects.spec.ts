import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { basic, machine, signIn, uniqueName } from './support';

const ROLES = 'urn:zitadel:iam:org:project:roles';

interface Client {
  clientId: string;
  clientSecret: string;
}

/** The calling service user's token into the project's audience, with its granted roles. */
async function token(page: Page, caller: Client, projectId: string): Promise<string> {
  const scope = `openid urn:zitadel:iam:org:project:id:${projectId}:aud urn:zitadel:iam:org:projects:roles`;
  const res = await page.request.post('/oauth/v2/token', { headers: { Authorization: basic(caller) }, form: { grant_type: 'client_credentials', scope } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** What the API learns of a token, introspecting it with its application's Basic credentials. */
async function introspect(page: Page, app: Client, accessToken: string): Promise<Record<string, unknown>> {
  const res = await page.request.post('/oauth/v2/introspect', { headers: { Authorization: basic(app) }, form: { token: accessToken } });
  expect(res.status()).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function newApp(page: Page, name: string, method: 'Basic' | 'Private Key JWT') {
  await page.getByRole('button', { name: 'New Application' }).click();
  const dialog = page.getByRole('dialog', { name: 'New Application' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
  await dialog.getByRole('radio', { name: method }).check();
  await expectAccessible(page, 'the New Application dialog');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
}

test('a project secures an API: a role, a Basic app, an authorization in the console, proved by introspection', async ({ page }) => {
  test.setTimeout(150_000); // a whole journey, with axe on eight pages and dialogs
  const projectName = uniqueName('billing-api');
  await signIn(page);

  await test.step('Projects -> New Project -> Name -> Create opens the project', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
    await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
    await page.mouse.move(600, 400); // off the link just clicked: its hover colour is not what a reader sees
    await expectAccessible(page, 'the Projects page');
    await page.getByRole('button', { name: 'New Project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Project' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(projectName);
    await expectAccessible(page, 'the New Project dialog');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByRole('heading', { name: projectName, level: 1 })).toBeVisible();
    await expect(page).toHaveTitle(`${projectName} · Projects · Tessera`);
    await expectAccessible(page, 'the project page');
  });
  const projectId = /\/projects\/(\d+)$/.exec(page.url())![1]!;

  await test.step('Roles -> New Role -> Key reader -> Save', async () => {
    await page.getByRole('button', { name: 'New Role' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Role' });
    await dialog.getByRole('textbox', { name: 'Key' }).fill('reader');
    await dialog.getByRole('textbox', { name: 'Display Name' }).fill('Reads invoices');
    await expectAccessible(page, 'the New Role dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('table', { name: 'Roles' }).getByRole('row', { name: /reader/ })).toContainText('Reads invoices');
    await page.getByRole('button', { name: 'New Role' }).click();
    await dialog.getByRole('textbox', { name: 'Key' }).fill('writer');
    await dialog.getByRole('textbox', { name: 'Group' }).fill('invoices');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('table', { name: 'Roles' }).getByRole('row', { name: /writer/ })).toContainText('invoices');
  });

  const app: Client = await test.step('Applications -> New Application, Basic: ClientID and ClientSecret shown once', async () => {
    await newApp(page, 'billing-backend', 'Basic');
    const dialog = page.getByRole('dialog', { name: 'Client Secret', exact: true });
    const clientId = await dialog.getByRole('textbox', { name: 'ClientID' }).inputValue();
    const clientSecret = await dialog.getByRole('textbox', { name: 'ClientSecret' }).inputValue();
    expect(clientSecret).not.toBe('');
    await expectAccessible(page, 'the one-time ClientSecret dialog');
    // Not copied: closing asks first.
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('dialog', { name: 'Close without copying?' }).getByRole('button', { name: 'Close anyway' }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByRole('table', { name: 'Applications' }).getByRole('row', { name: /billing-backend/ });
    await expect(row).toContainText('Basic');
    await expect(row).toContainText(clientId);
    return { clientId, clientSecret };
  });

  const caller = await machine(page, 'invoice-reader');

  await test.step("the service user's page -> Authorizations -> New Authorization -> project -> reader -> Save", async () => {
    await page.goto(`/service-users/${caller.userId}`);
    await expect(page.getByText('No authorizations yet.')).toBeVisible();
    await page.getByRole('button', { name: 'New Authorization' }).click();
    const dialog = page.getByRole('dialog', { name: 'New Authorization' });
    await dialog.getByRole('combobox', { name: 'Project' }).fill(projectName);
    await page.getByRole('listbox', { name: 'Project' }).getByRole('option', { name: projectName }).click();
    await dialog.getByRole('checkbox', { name: 'reader' }).check();
    await expectAccessible(page, 'the New Authorization dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('table', { name: 'Authorizations' }).getByRole('row', { name: new RegExp(projectName) })).toContainText('reader');
    await expectAccessible(page, 'the service user page with an authorization');
  });

  await test.step("the API's introspection sees the role", async () => {
    const claims = await introspect(page, app, await token(page, caller, projectId));
    expect(claims.active).toBe(true);
    expect(claims.aud).toContain(projectId);
    expect(Object.keys(claims[ROLES] as object)).toEqual(['reader']);
  });

  await test.step('Edit roles -> tick writer -> Save: new tokens carry both', async () => {
    await page.getByRole('button', { name: `Edit roles of ${projectName}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit roles: ${projectName}` });
    await expect(dialog.getByRole('checkbox', { name: 'reader' })).toBeChecked();
    await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
    await dialog.getByRole('checkbox', { name: 'writer' }).check();
    await expectAccessible(page, 'the edit-roles dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('table', { name: 'Authorizations' }).getByRole('row', { name: new RegExp(projectName) })).toContainText('writer');
    const claims = await introspect(page, app, await token(page, caller, projectId));
    expect(Object.keys(claims[ROLES] as object).sort()).toEqual(['reader', 'writer']);
  });

  await test.step('deleting the authorization in the console takes the role out of new tokens', async () => {
    await page.getByRole('button', { name: `Delete authorization for ${projectName}` }).click();
    const confirm = page.getByRole('dialog', { name: `Delete the authorization for ${projectName}?` });
    await expectAccessible(page, 'the delete-authorization question');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByText('No authorizations yet.')).toBeVisible();
    const claims = await introspect(page, app, await token(page, caller, projectId));
    expect(claims.active).toBe(true);
    expect(claims[ROLES]).toBeUndefined();
  });

  await test.step('Regenerate ClientSecret: the new one introspects at once, the old one no more', async () => {
    await page.goto(`/projects/${projectId}`);
    await page.getByRole('button', { name: 'Regenerate ClientSecret of billing-backend' }).click();
    const confirm = page.getByRole('dialog', { name: 'Regenerate the ClientSecret of billing-backend?' });
    await expectAccessible(page, 'the regenerate question');
    await confirm.getByRole('button', { name: 'Regenerate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Client Secret', exact: true });
    expect(await dialog.getByRole('textbox', { name: 'ClientID' }).inputValue()).toBe(app.clientId);
    const fresh = { clientId: app.clientId, clientSecret: await dialog.getByRole('textbox', { name: 'ClientSecret' }).inputValue() };
    expect(fresh.clientSecret).not.toBe(app.clientSecret);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('dialog', { name: 'Close without copying?' }).getByRole('button', { name: 'Close anyway' }).click();
    const accessToken = await token(page, caller, projectId);
    expect((await introspect(page, fresh, accessToken)).active).toBe(true);
    const old = await page.request.post('/oauth/v2/introspect', { headers: { Authorization: basic(app) }, form: { token: accessToken } });
    expect(old.status()).toBe(401);
  });
});

test('a Private Key JWT application offers its key file once; deleting the project takes it all', async ({ page }) => {
  const projectName = uniqueName('keyed-api');
  await signIn(page);
  await page.goto('/projects');
  await page.getByRole('button', { name: 'New Project' }).click();
  await page.getByRole('dialog', { name: 'New Project' }).getByRole('textbox', { name: 'Name' }).fill(projectName);
  await page.getByRole('dialog', { name: 'New Project' }).getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { name: projectName, level: 1 })).toBeVisible();
  const projectUrl = page.url();

  await newApp(page, 'keyed-backend', 'Private Key JWT');
  const created = page.getByRole('dialog', { name: 'The key was created' });
  await expect(created.getByText("Download the key as it won't be visible after closing this dialog!")).toBeVisible();
  await expectAccessible(page, 'the key file dialog');
  const [download] = await Promise.all([page.waitForEvent('download'), created.getByRole('button', { name: 'Download' }).click()]);
  const file = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as Record<string, string>;
  expect(download.suggestedFilename()).toBe(`${file.keyId}.json`);
  expect(file).toMatchObject({ type: 'application', keyId: expect.any(String), appId: expect.any(String), clientId: expect.any(String) });
  expect(file.key).toContain('PRIVATE KEY');
  await created.getByRole('button', { name: 'Close', exact: true }).click();
  const row = page.getByRole('table', { name: 'Applications' }).getByRole('row', { name: /keyed-backend/ });
  await expect(row).toContainText('Private Key JWT');
  await expect(row).toContainText(file.clientId!);

  // Edit name, then the Activity card tells the project's history, newest first.
  const renamed = `${projectName}-v2`;
  await page.getByRole('button', { name: 'Edit name' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit name' });
  await edit.getByRole('textbox', { name: 'Name' }).fill(renamed);
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: renamed, level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(`${renamed} · Projects · Tessera`);
  const activity = page.getByRole('table', { name: 'Activity' });
  await expect(activity.getByRole('row').nth(1)).toContainText(`Project renamed to ${renamed}`);
  await expect(activity).toContainText('Application key added');
  await expect(activity).toContainText('Application keyed-backend added');
  await expect(activity.getByRole('row').last()).toContainText('Project created');

  await page.getByRole('button', { name: 'Delete project' }).click();
  const confirm = page.getByRole('dialog', { name: `Delete project ${renamed}?` });
  await expect(confirm).toContainText('roles, its applications');
  await expectAccessible(page, 'the delete-project question');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole('link', { name: renamed })).toHaveCount(0);
  await page.goto(projectUrl);
  await expect(page.getByRole('heading', { name: 'Project not found', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to Projects' })).toBeVisible();
});

test.describe('on a 390x844 phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('Projects is reached from the burger, and a project page and its New Role dialog fit the screen', async ({ page }) => {
    const projectName = uniqueName('phone-api');
    await signIn(page);
    await page.getByRole('banner').getByRole('button', { name: 'Open navigation' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).tap();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
    await page.getByRole('button', { name: 'New Project' }).tap();
    await page.getByRole('dialog', { name: 'New Project' }).getByRole('textbox', { name: 'Name' }).fill(projectName);
    await page.getByRole('dialog', { name: 'New Project' }).getByRole('button', { name: 'Create' }).tap();
    await expect(page.getByRole('heading', { name: projectName, level: 1 })).toBeVisible();
    await expectAccessible(page, 'the project page on a phone');
    await page.getByRole('button', { name: 'New Role' }).tap();
    const dialog = page.getByRole('dialog', { name: 'New Role' });
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await dialog.getByRole('textbox', { name: 'Key' }).fill('phone.reader');
    await dialog.getByRole('button', { name: 'Save' }).tap();
    await expect(page.getByRole('table', { name: 'Roles' }).getByRole('row', { name: /phone\.reader/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Delete role phone.reader' })).toBeVisible();
  });
});
