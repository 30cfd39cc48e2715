import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { MasterKey } from '../src/security/envelope.js';
import { masterKeyEnv, tessera } from './support/keys.js';
import { createTestApp, type TestApp } from './support/test-app.js';

let dir: string;
let t: TestApp | undefined;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-keys-cli-'));
});
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

function keyFile(name: string, text: string, mode: number): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text, { mode });
  fs.chmodSync(file, mode);
  return file;
}

describe('TESSERA_MASTER_KEY and TESSERA_MASTER_KEY_FILE', () => {
  it('take 32 random bytes in base64 or base64url, and refuse anything weaker without repeating it', () => {
    const bytes = crypto.getRandomValues(Buffer.alloc(32));
    expect(loadConfig({ TESSERA_MASTER_KEY: bytes.toString('base64') }).masterKey).toBeInstanceOf(MasterKey);
    expect(loadConfig({ TESSERA_MASTER_KEY: bytes.toString('base64url') }).masterKey).toBeInstanceOf(MasterKey);
    expect(loadConfig({}).masterKey).toBeUndefined();
    const weak: [string, RegExp][] = [
      [
        bytes.subarray(0, 16).toString('base64url'),
        /^TESSERA_MASTER_KEY: must encode exactly 32 random bytes, not 16 \(generate one with: npm run -s tessera -- master-key\)$/,
      ],
      [Buffer.concat([bytes, bytes]).toString('base64url'), /not 64/],
      ['correct horse battery staple', /^TESSERA_MASTER_KEY: must be base64 or base64url text/],
      ['A'.repeat(43), /^TESSERA_MASTER_KEY: is not random: its bytes repeat/],
      [Buffer.alloc(32, 'ab').toString('base64'), /is not random/],
    ];
    for (const [value, message] of weak) {
      const p = problems({ TESSERA_MASTER_KEY: value });
      expect(p).toEqual([expect.stringMatching(message)]);
      expect(p[0]).not.toContain(value);
    }
  });

  it('refuse both at once, and a key file that group or others may read, listed with other problems', () => {
    const key = MasterKey.generate();
    const good = keyFile('master.key', `${key}\n`, 0o600);
    expect(loadConfig({ TESSERA_MASTER_KEY_FILE: good }).masterKey).toBeInstanceOf(MasterKey);
    expect(loadConfig({ TESSERA_MASTER_KEY_FILE: keyFile('ro.key', key, 0o400) }).masterKey).toBeInstanceOf(MasterKey);

    expect(problems({ TESSERA_MASTER_KEY: key, TESSERA_MASTER_KEY_FILE: good })).toEqual([
      'TESSERA_MASTER_KEY: set TESSERA_MASTER_KEY or TESSERA_MASTER_KEY_FILE, not both',
    ]);
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      const file = keyFile(`m${mode.toString(8)}.key`, key, mode);
      expect(problems({ TESSERA_MASTER_KEY_FILE: file })).toEqual([
        `TESSERA_MASTER_KEY_FILE: ${file} may be read or written by group or others (mode ${mode.toString(8)}): make it readable by Tessera's user only (chmod 600)`,
      ]);
    }
    const missing = path.join(dir, 'nope.key');
    expect(problems({ TESSERA_MASTER_KEY_FILE: missing, PORT: 'x' })).toEqual([
      expect.stringMatching(/^PORT: /),
      `TESSERA_MASTER_KEY_FILE: ${missing} does not exist or cannot be read`,
    ]);
    expect(problems({ TESSERA_MASTER_KEY_FILE: keyFile('short.key', 'abcd', 0o600) })).toEqual([
      expect.stringMatching(/^TESSERA_MASTER_KEY_FILE: .*short\.key must encode exactly 32 random bytes, not 3/),
    ]);
  });
});

describe('tessera master-key', () => {
  it('prints a new key that the configuration accepts, different each time', async () => {
    const a = await tessera(['master-key'], {});
    const b = await tessera(['master-key'], {});
    expect(a).toMatchObject({ code: 0, stderr: '' });
    expect(a.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(a.stdout).not.toBe(b.stdout);
    expect(loadConfig({ TESSERA_MASTER_KEY: a.stdout }).masterKey).toBeInstanceOf(MasterKey);
  });

  it('writes a new file readable by its owner only, and never over an existing one', async () => {
    const file = path.join(dir, 'master.key');
    const r = await tessera(['master-key', file], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Wrote a new master key to ${file} (mode 600).`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig({ TESSERA_MASTER_KEY_FILE: file }).masterKey).toBeInstanceOf(MasterKey);
    const before = fs.readFileSync(file, 'utf8');
    expect(await tessera(['master-key', file], {})).toMatchObject({ code: 1, stderr: `${file} already exists; choose a new file name\n` });
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(await tessera(['master-key', file, 'extra'], {})).toMatchObject({ code: 2, stderr: expect.stringMatching(/^usage: npm run tessera -- <command>/) });
  });
});

describe('tessera rotate-key', () => {
  it('opens an existing Tessera database only: a mistyped TESSERA_DB creates nothing and fails', async () => {
    const typo = path.join(dir, 'tesera.db');
    for (const kind of ['signing', 'opaque', 'session', 'client-secret-hmac']) {
      const r = await tessera(['rotate-key', kind], { TESSERA_DB: typo });
      expect(r).toEqual({ code: 1, stdout: '', stderr: `${typo} does not exist: check TESSERA_DB\n` });
    }
    expect(fs.readdirSync(dir)).toEqual([]);

    const other = path.join(dir, 'other.db');
    new Database(other).exec('CREATE TABLE notes (body TEXT)');
    const before = fs.readFileSync(other);
    expect(await tessera(['rotate-key', 'signing'], { TESSERA_DB: other })).toMatchObject({
      code: 1,
      stderr: `${other} is not a Tessera database: check TESSERA_DB\n`,
    });
    expect(fs.readFileSync(other).equals(before)).toBe(true);
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'hello');
    expect(await tessera(['rotate-key', 'session'], { TESSERA_DB: text })).toMatchObject({
      code: 1,
      stderr: `${text} is not a Tessera database: check TESSERA_DB\n`,
    });
  });

  it('needs the master key the keys were wrapped with, and refuses to wrap keys itself', async () => {
    const master = masterKeyEnv();
    t = await createTestApp(master);
    const env = { TESSERA_DB: t.config.dbFile };
    expect(await tessera(['rotate-key', 'opaque'], env)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^the keys in .* are wrapped with a master key, and none is configured/),
    });
    expect(await tessera(['rotate-key', 'opaque'], { ...env, ...masterKeyEnv() })).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^the configured master key is not the one/),
    });
    expect(await tessera(['rotate-key', 'opaque'], { ...env, ...master })).toMatchObject({ code: 0 });
    await t.cleanup();

    t = await createTestApp();
    expect(await tessera(['rotate-key', 'opaque'], { TESSERA_DB: t.config.dbFile, ...master })).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/are not wrapped with the master key yet: start Tessera once with TESSERA_MASTER_KEY or TESSERA_MASTER_KEY_FILE set/),
    });
    expect(t.db.prepare("SELECT count(*) FROM instance_keys WHERE material LIKE 'tmk1.%'").pluck().get()).toBe(0);
  });

  it('explains its usage, and which keys --retire-now applies to', async () => {
    const usage = await tessera(['rotate-key'], {});
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(
      /^usage: npm run tessera -- <command> \[arguments\]\n\n(.*\n)* {2}rotate-key <signing\|opaque\|session\|client-secret-hmac\|master> \[--retire-now\] +a new key for/,
    );
    expect(await tessera(['rotate-key', 'session', '--retire-now'], {})).toMatchObject({
      code: 1,
      stderr: 'rotate-key: --retire-now applies to signing and opaque keys only\n',
    });
    expect(await tessera(['rotate-key', 'sessions'], {})).toMatchObject({
      code: 1,
      stderr: 'rotate-key: unknown key "sessions"; one of signing, opaque, session, client-secret-hmac, master\n',
    });
    expect(await tessera(['rotate-key', 'opaque', '--now'], {})).toMatchObject({ code: 1, stderr: 'rotate-key: unknown option "--now"; only --retire-now\n' });
    const unknown = await tessera(['rotate'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Unknown command "rotate"\.\nusage: npm run tessera -- <command>/);
    expect(await tessera(['help'], {})).toMatchObject({ code: 0, stdout: expect.stringMatching(/ {2}master-key \[file\] +make a new master key/) });
  });
});
