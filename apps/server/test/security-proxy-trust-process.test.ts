import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const MAIN = path.resolve(import.meta.dirname, '../dist/main.js');

// The built server (run `pnpm build` first), as an operator starts it.
it('refuses to start with TESSERA_TRUST_PROXY=true, saying why, and exits 2', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-trust-'));
  try {
    const run = spawnSync(process.execPath, [MAIN], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TESSERA_DB: path.join(dir, 'x.db'), TESSERA_TRUST_PROXY: 'true' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^Invalid configuration:\n {2}- TESSERA_TRUST_PROXY: "true" would trust every X-Forwarded-For entry, and clients write the left-most ones themselves/,
    );
    expect(run.stderr).toContain('give the number of proxies in front of Tessera (e.g. 1) or their addresses (e.g. 10.0.0.0/8,::1)');
    expect(fs.existsSync(path.join(dir, 'x.db'))).toBe(false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
