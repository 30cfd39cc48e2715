// The console at scale, in Chromium (Playwright, as the e2e tests drive it; bench only, never in CI):
// how long the Service Users page takes from navigation to its first row, and a search from its last
// keystroke to its results. Elements are found by role and name, as in e2e/service-users-list.spec.ts.
import fs from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumLaunch } from '../../chromium.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0) => Math.round(performance.now() - t0);

/**
 * Signs in as the administrator, then per term: opens Service Users (timed until the first row with a
 * link shows) and types the term into Search (timed from the last keystroke until the row of the one
 * user it names shows; the console waits for a 300 ms pause in typing before it asks). `terms` are user
 * names of users that are not on the first page. Resolves to {page_ms, search_ms} (medians and every
 * run), or {error} when Chromium is missing or the run failed.
 */
export async function consoleCheck(base, password, terms) {
  if (!fs.existsSync(chromiumLaunch.executablePath)) return { error: `no Chromium at ${chromiumLaunch.executablePath} (set CHROMIUM_PATH)` };
  let browser;
  try {
    browser = await chromium.launch(chromiumLaunch);
    const context = await browser.newContext({ baseURL: base });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await page.goto('/signin');
    await page.getByRole('textbox', { name: 'Username' }).fill('admin');
    await page.getByRole('textbox', { name: 'Password' }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    const table = page.getByRole('table', { name: 'Service users' });
    const firstRow = table
      .getByRole('row')
      .filter({ has: page.getByRole('link') })
      .first();
    const search = page.getByRole('textbox', { name: 'Search' });
    const loads = [];
    const searches = [];
    for (const term of terms) {
      let t0 = performance.now();
      await page.goto('/service-users');
      await firstRow.waitFor();
      loads.push(ms(t0));

      await search.click();
      await search.pressSequentially(term.slice(0, -1));
      t0 = performance.now();
      await search.press(term.at(-1));
      await table.getByRole('link', { name: term, exact: true }).waitFor();
      searches.push(ms(t0));
    }
    return { page_ms: median(loads), page_runs_ms: loads, search_ms: median(searches), search_runs_ms: searches };
  } catch (err) {
    return { error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  } finally {
    await browser?.close();
  }
}
