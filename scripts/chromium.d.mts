/** Launch options for Debian's chromium, shared by every Playwright run (scripts/chromium.mjs). */
export declare const chromiumLaunch: { executablePath: string; args: string[] };
