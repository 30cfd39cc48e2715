import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunch } from './scripts/chromium.mjs';

// Workers re-read this file; the first read fixes the port, data folder and password for all of them.
if (!process.env.TESSERA_E2E_PORT) {
  process.env.TESSERA_E2E_PORT = execFileSync(process.execPath, [
    '-e',
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
  ]).toString();
  process.env.TESSERA_E2E_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-e2e-'));
  process.env.TESSERA_E2E_ADMIN_PASSWORD = randomBytes(18).toString('base64url');
}
const port = process.env.TESSERA_E2E_PORT;
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  workers: 1, // one server, one database; two cores buy little
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    browserName: 'chromium',
    launchOptions: chromiumLaunch,
  },
  webServer: {
    command: 'node apps/server/dist/main.js',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: port,
      HOST: '127.0.0.1',
      TESSERA_DB: path.join(process.env.TESSERA_E2E_DIR!, 'tessera.db'),
      TESSERA_ADMIN_PASSWORD: process.env.TESSERA_E2E_ADMIN_PASSWORD!,
      TESSERA_LOG_LEVEL: 'warn',
    },
  },
});
