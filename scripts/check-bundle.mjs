// The console's JavaScript budget: what a fresh browser downloads to show the sign-in page, and the
// Service Users page of a signed-in operator, each summed as gzip bytes and held to a limit.
// Runs against the built server and console (pnpm build first); exits 1 when a page is over.
//   node scripts/check-bundle.mjs
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { chromiumLaunch } from './chromium.mjs';

/** Limits in kB (1000 bytes, as vite reports sizes) of gzip-compressed JavaScript. */
const BUDGETS = { signIn: 150, serviceUsers: 220 };

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const serverMain = path.join(root, 'apps/server/dist/main.js');
const consoleIndex = path.join(root, 'apps/console/dist/index.html');
for (const built of [serverMain, consoleIndex]) {
  if (!fs.existsSync(built)) {
    console.error(`check-bundle: ${path.relative(root, built)} is missing; run pnpm build first.`);
    process.exit(1);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitForHealth(base, server) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not answer /healthz within 30 s');
}

/**
 * Counts every JavaScript response of the context's pages. The server sends files uncompressed, so
 * each body is gzipped here (what a compressing proxy would send); a body that arrived compressed
 * counts at its transferred size instead.
 */
function countScripts(context) {
  const pending = [];
  context.on('response', (res) => {
    if (!/javascript/.test(res.headers()['content-type'] ?? '')) return;
    pending.push(
      (async () => {
        const body = await res.body();
        const encoded = res.headers()['content-encoding'];
        const gzip = encoded ? (await res.request().sizes()).responseBodySize : gzipSync(body, { level: 9 }).length;
        return { url: res.url(), raw: body.length, gzip };
      })(),
    );
  });
  return async () => Promise.all(pending);
}

/** Loads `url` in a fresh context, waits until `ready` passes and the network is quiet, and totals its scripts. */
async function measure(browser, base, url, ready, storageState) {
  const context = await browser.newContext({ baseURL: base, storageState });
  const scripts = countScripts(context);
  const page = await context.newPage();
  await page.goto(url);
  await ready(page);
  await page.waitForLoadState('networkidle');
  const files = await scripts();
  await context.close();
  return { files, raw: files.reduce((n, f) => n + f.raw, 0), gzip: files.reduce((n, f) => n + f.gzip, 0) };
}

const kB = (bytes) => (bytes / 1000).toFixed(1);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bundle-'));
const password = randomBytes(18).toString('base64url');
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [serverMain], {
  cwd: root,
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    TESSERA_DB: path.join(dir, 'tessera.db'),
    TESSERA_ADMIN_PASSWORD: password,
    TESSERA_LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let serverErr = '';
server.stderr.on('data', (d) => (serverErr += d));

let browser;
let failed = false;
try {
  await waitForHealth(base, server);
  browser = await chromium.launch(chromiumLaunch);

  const signIn = await measure(browser, base, '/signin', (page) => page.getByRole('button', { name: 'Sign in' }).waitFor());

  // Sign in as the administrator, and make one service user so the list shows its table.
  const setup = await browser.newContext({ baseURL: base });
  const page = await setup.newPage();
  await page.goto('/signin');
  await page.getByRole('textbox', { name: 'Username' }).fill('admin');
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  const { csrfToken } = await (await page.request.get('/api/session')).json();
  const made = await page.request.post('/management/v1/users/machine', {
    headers: { 'x-csrf-token': csrfToken },
    data: { userName: 'bundle-check', name: 'Bundle check' },
  });
  if (!made.ok()) throw new Error(`creating a service user answered ${made.status()}`);
  const storageState = await setup.storageState();
  await setup.close();

  const serviceUsers = await measure(
    browser,
    base,
    '/service-users',
    (p) => p.getByRole('table').getByRole('link', { name: 'bundle-check' }).waitFor(),
    storageState,
  );

  const rows = [
    ['/signin', signIn, BUDGETS.signIn],
    ['/service-users', serviceUsers, BUDGETS.serviceUsers],
  ].map(([pageUrl, m, budget]) => {
    const met = m.gzip <= budget * 1000;
    if (!met) failed = true;
    return { page: pageUrl, 'JS files': m.files.length, 'raw kB': kB(m.raw), 'gzip kB': kB(m.gzip), 'budget kB': budget, result: met ? 'met' : 'MISSED' };
  });
  console.table(rows);
  if (process.env.CHECK_BUNDLE_VERBOSE) {
    for (const [name, m] of [
      ['/signin', signIn],
      ['/service-users', serviceUsers],
    ]) {
      console.log(name);
      for (const f of m.files.sort((a, b) => b.gzip - a.gzip)) console.log(`  ${kB(f.gzip).padStart(7)} kB  ${new URL(f.url).pathname}`);
    }
  }
} catch (err) {
  console.error(`check-bundle: ${err instanceof Error ? err.message : err}`);
  if (serverErr) console.error(serverErr);
  failed = true;
} finally {
  await browser?.close();
  server.kill('SIGTERM');
  await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
