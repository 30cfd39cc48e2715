import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { readmeBlock, runBlock } from './readme';
import { signIn, uniqueName } from './support';

// ZITADEL's guide "Client Credentials with Service Users", every step through the console, then the
// machine's side exactly as the guide's curl commands do it.
const GUIDE_SCOPE = 'openid profile email urn:zitadel:iam:org:project:id:zitadel:aud';
const FAKE_SECRET = 'xT7rQ2mZ9vK4pL8wN3bY6cH1jF5dS0gAeR2uI7oP4aS9dF3gH6jK1lZ8xC5vB0nM';

/** Screenshots for the README go to docs/ only when asked: UPDATE_DOCS_SCREENSHOTS=1 pnpm e2e e2e/guide.spec.ts */
const screenshotPath = (name: string) => (process.env.UPDATE_DOCS_SCREENSHOTS ? path.resolve('docs/screenshots', name) : test.info().outputPath(name));

/** Toasts from earlier steps are not part of the picture. */
const HIDE_TOASTS = '.mantine-Notifications-root { display: none !important; }';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function requestToken(request: APIRequestContext, clientId: string, clientSecret: string, scope = GUIDE_SCOPE) {
  return request.post('/oauth/v2/token', {
    headers: { Authorization: basic(clientId, clientSecret) },
    form: { grant_type: 'client_credentials', scope },
  });
}

async function tokenFor(request: APIRequestContext, clientId: string, clientSecret: string, scope?: string) {
  const res = await requestToken(request, clientId, clientSecret, scope);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const orgsMe = (request: APIRequestContext, token: string) => request.get('/management/v1/orgs/me', { headers: { Authorization: `Bearer ${token}` } });

const readClipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

async function userAction(page: Page, item: string) {
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** Steps 5 and 6 of the guide's first part: the dialog's copy buttons, read back from the clipboard. */
async function generateAndCopy(page: Page, screenshot?: string): Promise<{ clientId: string; clientSecret: string; curl: string }> {
  const dialog = page.getByRole('dialog', { name: 'Client Secret', exact: true });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Copy ClientID' }).click();
  await expect(dialog.getByRole('button', { name: 'Copy ClientID' })).toHaveText('Copied');
  const clientId = await readClipboard(page);
  await dialog.getByRole('button', { name: 'Copy ClientSecret' }).click();
  await expect(dialog.getByRole('button', { name: 'Copy ClientSecret' })).toHaveText('Copied');
  const clientSecret = await readClipboard(page);
  // The dialog's own token request, as a person copies it: the secret is left to the shell.
  const use = dialog.getByRole('region', { name: 'Use it' });
  await use.getByRole('button', { name: 'Copy curl command' }).click();
  const curl = await readClipboard(page);
  expect(curl).not.toContain(clientSecret);
  await expect(use.getByRole('textbox', { name: 'Token request' })).toHaveValue(curl);
  if (screenshot) {
    // The picture shows a made-up secret, never the real one.
    await dialog.getByRole('textbox', { name: 'ClientSecret' }).evaluate((el, v) => ((el as HTMLInputElement).value = v), FAKE_SECRET);
    // Tall enough for the whole dialog, from its title down, without its own scrolling.
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: viewport?.width ?? 1280, height: 1000 });
    await dialog.evaluate((el) => el.scrollTo(0, 0));
    await dialog.screenshot({ path: screenshotPath(screenshot), style: HIDE_TOASTS });
    if (viewport) await page.setViewportSize(viewport);
  }
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
  return { clientId, clientSecret, curl };
}

test("the guide, end to end: console, then the guide's token request and API call", async ({ page, context, request, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const userName = uniqueName('guide-bot');
  const displayName = `Guide Bot ${userName.slice(-5)}`;

  await test.step('1. sign in as the administrator', () => signIn(page));

  await test.step('2. Service Users -> New -> Username and Display Name -> Create', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Service Users' }).click();
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await page.getByRole('textbox', { name: 'Username' }).fill(userName);
    await page.getByRole('textbox', { name: 'Display Name' }).fill(displayName);
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByRole('heading', { name: displayName, level: 1 })).toBeVisible();
  });

  const { clientId, clientSecret, curl } = await test.step('3. Actions -> Generate Client Secret, copy both, Close', async () => {
    await userAction(page, 'Generate Client Secret');
    return generateAndCopy(page, 'client-secret-dialog.png');
  });
  expect(clientId).toBe(userName);
  expect(clientSecret).toMatch(/^[A-Za-z0-9]{64}$/);

  await test.step("before the grant: the dialog's curl command gets a valid token, but no permission (403)", async () => {
    const issued = JSON.parse(await runBlock(curl, { CLIENT_SECRET: clientSecret })) as { access_token: string; scope: string };
    expect(issued.scope).toBe(GUIDE_SCOPE);
    const res = await orgsMe(request, issued.access_token);
    expect(res.status()).toBe(403);
    expect(await res.json()).toMatchObject({ code: 7 });
  });

  await test.step('4. Organization -> "+" -> search the service user -> Org Owner -> Add', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organization' }).click();
    const managers = page.getByRole('region', { name: 'Managers' });
    await managers.getByRole('button', { name: 'Add Manager' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a Manager' });
    const user = dialog.getByRole('combobox', { name: 'User' });
    await user.fill(userName);
    await expect(page.getByRole('listbox', { name: 'User' }).getByRole('option')).toHaveCount(1);
    await user.press('ArrowDown');
    await user.press('Enter');
    await dialog.getByRole('checkbox', { name: 'Org Owner', exact: true }).check();
    await expect(dialog.getByLabel('Searching users')).toBeHidden();
    await dialog.screenshot({ path: screenshotPath('add-manager-dialog.png'), style: HIDE_TOASTS });
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(managers.getByRole('row', { name: new RegExp(displayName) })).toContainText('Org Owner');
  });

  const shownOrg = {
    name: (await page.getByRole('heading', { level: 1 }).textContent())!,
    id: (await page.getByRole('region', { name: 'Details' }).locator('code').textContent())!,
  };

  const token = await test.step('5. POST /oauth/v2/token with Basic client credentials', async () => {
    const res = await requestToken(request, clientId, clientSecret);
    expect(res.status()).toBe(200);
    expect(res.headers()['cache-control']).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 43199, scope: GUIDE_SCOPE });
    expect(body.access_token).toEqual(expect.any(String));
    return body.access_token as string;
  });

  await test.step('6. GET /management/v1/orgs/me with the token: the organization the page shows', async () => {
    const res = await orgsMe(request, token);
    expect(res.status()).toBe(200);
    expect((await res.json()).org).toMatchObject({ id: shownOrg.id, name: shownOrg.name, state: 'ORG_STATE_ACTIVE' });
  });

  await test.step("the README's curl commands, run with the real curl", async () => {
    const tokenOut = await runBlock(readmeBlock('token', baseURL!), { CLIENT_ID: clientId, CLIENT_SECRET: clientSecret });
    const issued = JSON.parse(tokenOut) as { access_token: string; token_type: string; expires_in: number };
    expect(issued).toMatchObject({ token_type: 'Bearer', expires_in: 43199 });
    const orgOut = await runBlock(readmeBlock('orgs-me', baseURL!), { TOKEN: issued.access_token });
    expect(JSON.parse(orgOut).org).toMatchObject({ id: shownOrg.id, name: shownOrg.name });
    // The same call over Connect, ZITADEL's SDKs' protocol, on the same port.
    const connectOut = await runBlock(readmeBlock('connect-orgs-me', baseURL!), { TOKEN: issued.access_token });
    expect(JSON.parse(connectOut).org).toMatchObject({ id: shownOrg.id, name: shownOrg.name });

    // The JWT profile: a key file through the API with that token, then an assertion signed with it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-readme-'));
    try {
      const seen = await request.post('/oauth/v2/introspect', { form: { token: issued.access_token, client_id: clientId, client_secret: clientSecret } });
      const { sub } = (await seen.json()) as { sub: string };
      await runBlock(readmeBlock('jwt-key', baseURL!), { TOKEN: issued.access_token, USER_ID: sub }, dir);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'key.json'), 'utf8'))).toMatchObject({ type: 'serviceaccount', userId: sub });
      const profiled = JSON.parse(await runBlock(readmeBlock('jwt-profile', baseURL!), {}, dir)) as { access_token: string };
      const org = await runBlock(readmeBlock('orgs-me', baseURL!), { TOKEN: profiled.access_token });
      expect(JSON.parse(org).org).toMatchObject({ id: shownOrg.id });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  await test.step('a token without the zitadel:aud scope is refused by the management API (401)', async () => {
    const res = await orgsMe(request, await tokenFor(request, clientId, clientSecret, 'openid profile'));
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ code: 16 });
  });

  await page.goto('/service-users');
  await page.getByRole('table', { name: 'Service users' }).getByRole('link', { name: userName }).click();

  const renewed = await test.step('Generate Client Secret again: the old secret fails, the new one works', async () => {
    await userAction(page, 'Generate Client Secret');
    await page.getByRole('dialog', { name: 'Generate a new client secret?' }).getByRole('button', { name: 'Generate' }).click();
    const next = await generateAndCopy(page);
    expect(next.clientSecret).not.toBe(clientSecret);
    expect((await requestToken(request, clientId, clientSecret)).status()).toBe(401);
    expect((await orgsMe(request, await tokenFor(request, next.clientId, next.clientSecret))).status()).toBe(200);
    return next;
  });

  await test.step('Deactivate: an already issued token is refused on its next call', async () => {
    const issued = await tokenFor(request, renewed.clientId, renewed.clientSecret);
    expect((await orgsMe(request, issued)).status()).toBe(200);
    await userAction(page, 'Deactivate');
    await page.getByRole('dialog', { name: 'Deactivate this service user?' }).getByRole('button', { name: 'Deactivate' }).click();
    await expect(page.getByRole('button', { name: 'Actions' })).toBeEnabled();
    await expect.poll(async () => (await orgsMe(request, issued)).status()).toBe(401);
    expect((await requestToken(request, renewed.clientId, renewed.clientSecret)).status()).not.toBe(200);
    await userAction(page, 'Reactivate');
    await expect.poll(async () => (await requestToken(request, renewed.clientId, renewed.clientSecret)).status()).toBe(200);
    expect((await orgsMe(request, issued)).status()).toBe(401); // withdrawn for good, not just while inactive
  });

  await test.step('Remove Client Secret: the token request is refused (401)', async () => {
    await userAction(page, 'Remove Client Secret');
    await page.getByRole('dialog', { name: 'Remove the client secret?' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(async () => (await requestToken(request, renewed.clientId, renewed.clientSecret)).status()).toBe(401);
  });
});

/** A few service users with secrets, so the list in a picture looks like one in use; answers their names. */
async function seedServiceUsers(page: Page): Promise<string[]> {
  const { csrfToken } = (await (await page.request.get('/api/session')).json()) as { csrfToken: string };
  const names = [uniqueName('billing-sync'), uniqueName('ci-deployer')];
  for (const [userName, name, description] of [
    [names[0], 'Billing sync', 'Nightly invoice export'],
    [names[1], 'CI deployer', 'Deploys from the main branch'],
  ]) {
    const res = await page.request.post('/management/v1/users/machine', {
      headers: { 'x-csrf-token': csrfToken },
      data: { userName, name, description },
    });
    expect(res.status(), await res.text()).toBe(200);
    const { userId } = (await res.json()) as { userId: string };
    await page.request.put(`/management/v1/users/${userId}/secret`, { headers: { 'x-csrf-token': csrfToken } });
  }
  await page.goto('/service-users'); // a fresh load: the list seen at sign-in predates these users
  const table = page.getByRole('table', { name: 'Service users' });
  for (const n of names) await expect(table.getByRole('link', { name: n })).toBeVisible();
  return names;
}

test('the Service Users page, for the README', async ({ page }) => {
  await signIn(page);
  await seedServiceUsers(page);
  await page.screenshot({ path: screenshotPath('service-users.png'), style: HIDE_TOASTS });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('the Service Users page on a phone, for the README', async ({ page }) => {
    await signIn(page);
    await seedServiceUsers(page);
    await expect(page.getByRole('button', { name: 'Open navigation' })).toBeVisible();
    await page.screenshot({ path: screenshotPath('service-users-phone.png'), style: HIDE_TOASTS });
  });
});

test.describe('in dark mode', () => {
  test.use({ colorScheme: 'dark' });

  test('the Service Users page in dark mode, for the README', async ({ page }) => {
    await signIn(page);
    await seedServiceUsers(page);
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({ path: screenshotPath('service-users-dark.png'), style: HIDE_TOASTS });
  });
});
