import { createSign, generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ServiceAccount } from '@zitadel/node/dist/credentials/index.js';
import { signIn, uniqueName } from './support';

const API_SCOPE = 'openid urn:zitadel:iam:org:project:id:zitadel:aud';

/** An RS256 assertion (RFC 7523) from a key file, as ZITADEL's SDKs sign one. */
function assertion(file: { keyId: string; key: string; userId: string }, audience: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const data = `${part({ alg: 'RS256', kid: file.keyId })}.${part({ iss: file.userId, sub: file.userId, aud: audience, iat: now, exp: now + 300 })}`;
  return `${data}.${createSign('sha256').update(data).sign(file.key, 'base64url')}`;
}

/** A service user made through the API and given Org Owner, whose page is then open. */
async function openServiceUser(page: Page): Promise<string> {
  await signIn(page);
  const { csrfToken } = (await (await page.request.get('/api/session')).json()) as { csrfToken: string };
  const headers = { 'x-csrf-token': csrfToken };
  const created = await page.request.post('/management/v1/users/machine', { headers, data: { userName: uniqueName('keyed'), name: 'Keyed runner' } });
  const { userId } = (await created.json()) as { userId: string };
  expect((await page.request.post('/management/v1/orgs/me/members', { headers, data: { userId, roles: ['ORG_OWNER'] } })).status()).toBe(200);
  await page.goto(`/service-users/${userId}`);
  await expect(page.getByRole('heading', { name: 'Keyed runner', level: 1 })).toBeVisible();
  return userId;
}

test('a key made in the console downloads its key file once, which gets a token that reads the organization', async ({ page, baseURL }) => {
  const userId = await openServiceUser(page);
  const keys = page.getByRole('table', { name: 'Keys' });
  await expect(page.getByText('No keys yet.')).toBeVisible();

  await page.getByRole('button', { name: 'New key' }).click();
  const add = page.getByRole('dialog', { name: 'Add Key' });
  await add.getByLabel('Expiration date').fill('2031-05-06');
  await add.getByRole('button', { name: 'Add' }).click();
  const created = page.getByRole('dialog', { name: 'The key was created' });
  await expect(created.getByText("Download the key as it won't be visible after closing this dialog!")).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), created.getByRole('button', { name: 'Download' }).click()]);
  const file = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as {
    type: string;
    keyId: string;
    key: string;
    userId: string;
    expirationDate: string;
  };
  expect(download.suggestedFilename()).toBe(`${file.keyId}.json`);
  expect(file).toMatchObject({ type: 'serviceaccount', userId, expirationDate: '2031-05-06T23:59:59Z' });
  await created.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(keys.getByRole('row').filter({ hasText: file.keyId })).toContainText('JSON');

  // The machine, with ZITADEL's own SDK and the downloaded file: a token, then the API with it.
  const account = ServiceAccount.fromJsonString(fs.readFileSync(await download.path(), 'utf8'));
  const accessToken = await account.authenticate(baseURL!, { apiAccess: true });
  const org = await page.request.get('/management/v1/orgs/me', { headers: { Authorization: `Bearer ${accessToken}` } });
  expect(org.status()).toBe(200);

  // Deleted with confirmation: the next assertion is refused (signed here, to read the answer).
  await keys.getByRole('button', { name: `Delete key ${file.keyId}` }).click();
  await page.getByRole('dialog', { name: 'Delete Key' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('No keys yet.')).toBeVisible();
  expect(
    (
      await page.request.post('/oauth/v2/token', {
        form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', scope: API_SCOPE, assertion: assertion(file, baseURL!) },
      })
    ).status(),
  ).toBe(400);
});

test("an operator's own public key is uploaded; assertions signed with its private half get tokens", async ({ page, baseURL }) => {
  const userId = await openServiceUser(page);
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await page.getByRole('button', { name: 'New key' }).click();
  const add = page.getByRole('dialog', { name: 'Add Key' });
  await add.locator('input[type="file"]').setInputFiles({
    name: 'operator.pem',
    mimeType: 'application/x-pem-file',
    buffer: Buffer.from(publicKey.export({ type: 'spki', format: 'pem' }) as string),
  });
  await add.getByRole('button', { name: 'Add' }).click();
  const created = page.getByRole('dialog', { name: 'The key was created' });
  await expect(created.getByText('The uploaded public key was added')).toBeVisible();
  const keyId = /Key ID: (\d+)/.exec((await created.getByText(/^Key ID:/).textContent())!)![1]!;
  await created.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Keys' }).getByRole('row').filter({ hasText: keyId })).toBeVisible();

  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const data = `${part({ alg: 'ES256', kid: keyId })}.${part({ iss: userId, sub: userId, aud: baseURL!, iat: now, exp: now + 300 })}`;
  const jws = `${data}.${sign('sha256', Buffer.from(data), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  const token = await page.request.post('/oauth/v2/token', {
    form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', scope: API_SCOPE, assertion: jws },
  });
  expect(token.status()).toBe(200);
});

test('a personal access token is shown once with a copy button, reads the organization, and is refused once deleted', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openServiceUser(page);
  await page.getByRole('button', { name: 'New personal access token' }).click();
  await page.getByRole('dialog', { name: 'Generate new Personal Access Token' }).getByRole('button', { name: 'Add' }).click();
  const shown = page.getByRole('dialog', { name: 'Personal Access Token' });
  await expect(shown.getByText("Make sure to copy your personal access token. You won't be able to see it again!")).toBeVisible();
  await shown.getByRole('button', { name: 'Copy Token' }).click();
  const token = await page.evaluate(() => navigator.clipboard.readText());
  expect(token).toMatch(/^8[A-Za-z0-9_-]{49}$/);
  await shown.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(shown).toBeHidden();

  const bearer = { Authorization: `Bearer ${token}` };
  expect((await page.request.get('/management/v1/orgs/me', { headers: bearer })).status()).toBe(200);
  const table = page.getByRole('table', { name: 'Personal Access Tokens' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText('Never');
  await table.getByRole('button', { name: /^Delete token / }).click();
  await page.getByRole('dialog', { name: 'Delete Token' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('No personal access tokens yet.')).toBeVisible();
  expect((await page.request.get('/management/v1/orgs/me', { headers: bearer })).status()).toBe(401);
});
