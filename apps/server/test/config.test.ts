import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.host).toBe('0.0.0.0');
    expect(c.dbFile.endsWith('/data/tessera.db')).toBe(true);
    expect(c.issuer).toBe('http://localhost:8080');
    expect(c.orgName).toBe('Tessera');
    expect(c.adminUsername).toBe('admin');
    expect(c.adminPassword).toBeUndefined();
    expect(c.accessTokenLifetimeSeconds).toBe(43200);
    expect(c.workers).toBe(os.availableParallelism());
  });

  it('takes TESSERA_WORKERS as a whole number from 1, and says so for anything else', () => {
    expect(loadConfig({ TESSERA_WORKERS: '1' }).workers).toBe(1);
    expect(loadConfig({ TESSERA_WORKERS: '4' }).workers).toBe(4);
    for (const bad of ['0', '-1', '1.5', 'all', '1000']) expect(() => loadConfig({ TESSERA_WORKERS: bad })).toThrow(/TESSERA_WORKERS: /);
  });

  it('derives the issuer from PORT and strips a trailing slash from TESSERA_ISSUER', () => {
    expect(loadConfig({ PORT: '9090' }).issuer).toBe('http://localhost:9090');
    expect(loadConfig({ TESSERA_ISSUER: 'https://id.example.com/' }).issuer).toBe('https://id.example.com');
  });

  it('lists every bad value at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', TESSERA_ISSUER: 'ftp://x', TESSERA_ADMIN_PASSWORD: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT: /m);
    expect(problems).toMatch(/^TESSERA_ISSUER: /m);
    expect(problems).toMatch(/^TESSERA_ADMIN_PASSWORD: must be at least 8 characters/m);
    expect((error as ConfigError).problems).toHaveLength(3);
  });
});

describe('empty variables', () => {
  it('treats an empty value as unset', () => {
    const c = loadConfig({ TESSERA_ADMIN_PASSWORD: '', PORT: '' });
    expect(c.adminPassword).toBeUndefined();
    expect(c.port).toBe(8080);
  });
});
