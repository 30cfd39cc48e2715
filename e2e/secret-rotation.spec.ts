import { expect, test, type APIRequestContext } from '@playwright/test';
import { basic, machine, signIn, type Machine } from './support';

// Rotation without an outage: a job keeps getting tokens with the old secret while the operator
// generates a new one with an overlap, until the old one is revoked.
const SCOPE = 'openid urn:zitadel:iam:org:project:id:zitadel:aud';

interface Sent {
  startedAt: number;
  endedAt: number;
  status: number;
}

/** A job asking for tokens with one secret, one request after another, until stopped. */
function job(request: APIRequestContext, m: Pick<Machine, 'clientId' | 'clientSecret'>) {
  const sent: Sent[] = [];
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const startedAt = Date.now();
      const res = await request.post('/oauth/v2/token', { headers: { Authorization: basic(m) }, form: { grant_type: 'client_credentials', scope: SCOPE } });
      sent.push({ startedAt, endedAt: Date.now(), status: res.status() });
    }
  })();
  return {
    sent,
    succeeded: () => sent.filter((s) => s.status === 200).length,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

test('a secret rotated with a 1-hour overlap keeps its jobs working until it is revoked, and the page shows their use', async ({ page, request }) => {
  await signIn(page);
  const old = await machine(page, 'rotation');
  await page.goto(`/service-users/${old.userId}`);
  const secrets = page.getByRole('table', { name: 'Client Secrets' });
  await expect(secrets.getByRole('row')).toHaveCount(2); // the header and the one secret
  const oldRow = secrets.getByRole('row').filter({ hasText: `…${old.clientSecret.slice(-4)}` });
  await expect(oldRow).toContainText('Active');

  const oldJob = job(request, old);
  await expect.poll(() => oldJob.sent.length).toBeGreaterThan(3);

  // Generate with "Keep the current secret valid for: 1 hour", while the job runs.
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'Generate Client Secret' }).click();
  const ask = page.getByRole('dialog', { name: 'Generate a new client secret?' });
  const keep = ask.getByRole('radiogroup', { name: 'Keep the current secret valid for' });
  await expect(keep.getByRole('radio', { name: 'Revoke it now' })).toBeChecked();
  await keep.getByRole('radio', { name: '1 hour' }).check();
  await expect(keep).toHaveAccessibleDescription(/keeps working for 1 hour beside the new one/);
  await ask.getByRole('button', { name: 'Generate' }).click();
  const shown = page.getByRole('dialog', { name: 'Client Secret', exact: true });
  const fresh = { clientId: old.clientId, clientSecret: await shown.getByRole('textbox', { name: 'ClientSecret' }).inputValue() };
  await shown.getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByRole('dialog', { name: 'Close without copying?' }).getByRole('button', { name: 'Close anyway' }).click();
  await expect(shown).toBeHidden();
  const rotatedAt = Date.now();

  // The old secret keeps working after the rotation; the new one works too.
  await expect.poll(() => oldJob.sent.filter((s) => s.startedAt > rotatedAt).length).toBeGreaterThan(5);
  await oldJob.stop();
  expect(oldJob.sent.filter((s) => s.status !== 200)).toEqual([]);
  const freshJob = job(request, fresh);
  await expect.poll(() => freshJob.sent.length).toBeGreaterThanOrEqual(3);
  await freshJob.stop();
  expect(freshJob.sent.filter((s) => s.status !== 200)).toEqual([]);

  // The list shows both, with exactly the uses this test sent and where they came from.
  await page.reload();
  await expect(secrets.getByRole('row')).toHaveCount(3);
  const freshRow = secrets.getByRole('row').filter({ hasText: `…${fresh.clientSecret.slice(-4)}` });
  const uses = (row: typeof oldRow) => row.getByRole('cell').nth(4);
  await expect(uses(oldRow)).toHaveText(String(oldJob.succeeded()));
  await expect(uses(freshRow)).toHaveText(String(freshJob.succeeded()));
  await expect(oldRow).toContainText(/Expires in (5\d|60) minutes/);
  await expect(oldRow).toContainText(/from (127\.0\.0\.1|::1)/);
  await expect(freshRow).toContainText('Active');
  await expect(page.getByRole('table', { name: 'Activity' }).getByRole('row').nth(1)).toContainText(
    /Client secret generated, previous valid until \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
  );

  // Revoked while the job runs again: its next request fails.
  const again = job(request, old);
  await expect.poll(() => again.sent.length).toBeGreaterThan(3);
  await oldRow.getByRole('button', { name: `Revoke client secret …${old.clientSecret.slice(-4)}` }).click();
  const confirm = page.getByRole('dialog', { name: `Revoke client secret …${old.clientSecret.slice(-4)}?` });
  await expect(confirm).toContainText(`It was used ${oldJob.succeeded()} times in the last 24 hours`);
  await expect(confirm).toContainText('jobs may still depend on it');
  const revokingAt = Date.now();
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await expect(confirm).toBeHidden();
  const revokedAt = Date.now();
  await expect.poll(() => again.sent.filter((s) => s.startedAt > revokedAt).length).toBeGreaterThan(0);
  await again.stop();
  // Every request before the click succeeded; from the revocation on, every one is refused.
  expect(again.sent.filter((s) => s.endedAt < revokingAt).every((s) => s.status === 200)).toBe(true);
  expect(again.sent.find((s) => s.status !== 200)!.endedAt).toBeGreaterThan(revokingAt);
  expect(again.sent.filter((s) => s.startedAt > revokedAt).every((s) => s.status === 401)).toBe(true);
  await expect(oldRow).toContainText('Revoked');
  await expect(oldRow.getByRole('button')).toHaveCount(0);
  // The job left behind is not taken for a guesser: the new secret still works from the same address.
  const newToken = await request.post('/oauth/v2/token', {
    headers: { Authorization: basic(fresh) },
    form: { grant_type: 'client_credentials', scope: SCOPE },
  });
  expect(newToken.status()).toBe(200);
});
