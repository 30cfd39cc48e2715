import { describe, expect, it } from 'vitest';
import { expectRejected, send, useCorpusServer } from './support/bad-input.js';
import { consoleCases, sessionCases } from './support/bad-input-console-cases.js';
import { rawRequest } from './support/raw-http.js';

const fx = useCorpusServer();

describe('bad input on the console session API (/api/session)', () => {
  it.each(sessionCases)('$name', async (c) => {
    expectRejected(c, await send(fx, c), [fx.csrf, 'correct horse battery staple']);
  });
});

describe('path traversal and misuse of the SPA fallback', () => {
  it.each(consoleCases)('$name', async (c) => {
    const res = await send(fx, c);
    expectRejected(c, res);
    expect(res.text).not.toContain('outside-the-console-folder');
    expect(res.text).not.toContain('<!doctype html>');
  });
});

describe('after the console corpus', () => {
  it('the session survived, nothing was logged at error level, and pages are still served', async () => {
    expect(fx.errors).toEqual([]);
    const whoami = await rawRequest(fx.base, { method: 'GET', target: '/api/session', headers: [['Cookie', fx.cookie]] });
    expect(whoami.status).toBe(200);
    const page = await rawRequest(fx.base, { method: 'GET', target: '/service-users', headers: [['Accept', 'text/html']] });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<!doctype html>');
    expect((await rawRequest(fx.base, { method: 'GET', target: '/healthz' })).status).toBe(200);
  });
});
