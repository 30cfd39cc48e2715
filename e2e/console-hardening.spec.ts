import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { signIn, uniqueName } from './support';

const DIST = path.resolve('apps/console/dist');

/** Every file under a folder, relative to it. */
const filesUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));

test('the built console publishes no source maps', async ({ request }) => {
  const files = filesUnder(DIST);
  const scripts = files.filter((f) => f.endsWith('.js'));
  expect(scripts.length).toBeGreaterThan(0);
  expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  for (const script of scripts) {
    const served = await request.get(`/${script}`);
    expect(served.status(), script).toBe(200);
    expect(await served.text(), script).not.toContain('sourceMappingURL');
    expect((await request.get(`/${script}.map`)).status(), `${script}.map`).toBe(404);
  }
});

/**
 * Content-Security-Policy violations the page reports, as a report-uri endpoint would receive them:
 * the `securitypolicyviolation` events, recorded from before the first script runs, and the
 * console's own "Refused to ..." lines.
 */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const logged: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) logged.push(m.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  return async () => [...logged.splice(0), ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations))];
}

test('the main pages load without a single CSP violation, so a real report means something', async ({ page }) => {
  const violations = await watchCsp(page);
  const seen: Record<string, string[]> = {};
  const visit = async (url: string, heading: string | RegExp) => {
    await page.goto(url);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    seen[url] = await violations();
  };

  await page.goto('/service-users'); // signed out: the guard sends the browser to sign-in
  await expect(page).toHaveURL(/\/signin$/);
  seen['/signin'] = await violations();
  await signIn(page);

  const userName = uniqueName('csp-probe');
  await page.goto('/service-users/new');
  await page.getByRole('textbox', { name: 'Username' }).fill(userName);
  await page.getByRole('textbox', { name: 'Display Name' }).fill('CSP probe');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/\/service-users\/\d+$/);
  const detail = new URL(page.url()).pathname;

  await visit('/service-users', 'Service Users');
  await visit('/service-users/new', /New Service User/i);
  await visit(detail, 'CSP probe');
  await visit('/operators', 'Operators');
  await visit('/org', /.+/);
  const managers = page.getByRole('region', { name: 'Managers' });
  await expect(managers.getByRole('table')).toBeVisible();
  await managers.getByRole('button', { name: 'Add Manager' }).click();
  await expect(page.getByRole('dialog', { name: 'Add a Manager' }).getByRole('checkbox', { name: 'Org Owner', exact: true })).toBeVisible();
  seen['/org (Add a Manager)'] = await violations();

  expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((k) => [k, []])));
});
