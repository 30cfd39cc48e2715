// How every Playwright run here launches Debian's chromium: the e2e tests (playwright.config.ts), the
// bundle check (scripts/check-bundle.mjs) and the console check of the scale bench.
export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
