import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const KEY_MATERIAL = pathToFileURL(path.resolve(import.meta.dirname, '../dist/domain/tokens/key-material.js')).href;

/**
 * Node 20's generateKeyPairSync hands back keys that share a lock with the job that made them, and
 * an EC key's JWK export allocates while it holds that lock: a garbage collection that frees the
 * job meanwhile waits on the lock for ever. A server hung so, at start, in a CI run. Run in a child
 * process, since a deadlocked thread cannot be timed out from inside.
 */
describe('signing key generation', () => {
  it('makes and stores ES256 keys while the heap churns, without hanging', () => {
    const script = `
      const { generateSigningKey, toRow } = await import(${JSON.stringify(KEY_MATERIAL)});
      const churn = [];
      const until = Date.now() + 6000;
      let made = 0;
      while (Date.now() < until) {
        const key = generateSigningKey('ES256', 0);
        toRow(key, (_kid, jwk) => jwk);
        churn.push(new Array(50).fill('x' + made));
        if (churn.length > 2000) churn.length = 0;
        made++;
      }
      console.log(made);
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal, 'the child hung and was killed').toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(Number(r.stdout.trim())).toBeGreaterThan(1000);
  }, 30_000);
});
