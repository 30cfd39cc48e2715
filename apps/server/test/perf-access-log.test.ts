import { describe, expect, it } from 'vitest';
import { accessLine } from '../src/http/request-log.js';
import { REDACT_PATHS } from '../src/logger.js';

/** Every path in an object, as dotted keys ("req.method"). */
function paths(value: unknown, prefix = ''): string[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...paths(v, `${prefix}${k}.`)]);
}

/** pino's redaction path syntax as used in REDACT_PATHS: `*.key`, `a.b`, `a["b-c"]`. */
function matches(redactPath: string, path: string): boolean {
  const parts = redactPath.replace(/\["([^"]+)"\]/g, '.$1').split('.');
  const keys = path.split('.');
  return parts.length === keys.length && parts.every((p, i) => p === '*' || p === keys[i]);
}

describe('the access line', () => {
  it('is the allow-list of scalars it claims to be', () => {
    expect(accessLine('id-1', 'GET', '/x', '127.0.0.1', 200, 3)).toEqual({
      reqId: 'id-1',
      req: { method: 'GET', path: '/x', remoteAddress: '127.0.0.1' },
      res: { statusCode: 200 },
      responseTime: 3,
    });
  });

  it('has no key the logger redacts, so skipping redaction for it censors nothing less', () => {
    const keys = paths(accessLine('id-1', 'GET', '/x', '127.0.0.1', 200, 3));
    expect(keys.length).toBeGreaterThan(5);
    for (const redacted of REDACT_PATHS) {
      expect(
        keys.filter((k) => matches(redacted, k)),
        redacted,
      ).toEqual([]);
    }
    // The matcher itself finds what it should.
    expect(matches('*.password', 'body.password')).toBe(true);
    expect(matches('req.headers["x-csrf-token"]', 'req.headers.x-csrf-token')).toBe(true);
  });
});
