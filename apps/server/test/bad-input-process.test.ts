import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRejected, needsFixtures, send, type Fixtures } from './support/bad-input.js';
import { authCases } from './support/bad-input-api-param-cases.js';
import { consoleCases, sessionCases } from './support/bad-input-console-cases.js';
import { oauthCases } from './support/bad-input-oauth-cases.js';
import { parseResponse, rawBytes, rawRequest } from './support/raw-http.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

// The built server (run `pnpm build` first), as it runs in production: Node's own HTTP parser
// answers malformed requests before the app sees them, and a crash here would end the process.
let dir: string;
let server: ServerProcess;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bad-input-'));
  server = await startServerProcess(path.join(dir, 'tessera.db'), { TESSERA_TRUST_PROXY: '1' });
});
afterAll(() => {
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

const H = 'Host: 127.0.0.1\r\nConnection: close\r\n';
const malformed: [string, string, number][] = [
  ['a request line with a space in the method', `GE T /healthz HTTP/1.1\r\n${H}\r\n`, 400],
  ['an unknown method', `BREW /oauth/v2/token HTTP/1.1\r\n${H}\r\n`, 400],
  ['HTTP/9.9', `GET /healthz HTTP/9.9\r\n${H}\r\n`, 400],
  ['a raw NUL in the path', `GET /heal\0thz HTTP/1.1\r\n${H}\r\n`, 400],
  ['a raw space in the path', `GET /oauth/v2/to ken HTTP/1.1\r\n${H}\r\n`, 400],
  ['a header line without a colon', `GET /healthz HTTP/1.1\r\n${H}Broken\r\n\r\n`, 400],
  ['a space in a header name', `GET /healthz HTTP/1.1\r\n${H}Bad Name: x\r\n\r\n`, 400],
  ['a NUL in a header value', `GET /management/v1/orgs/me HTTP/1.1\r\n${H}Authorization: Bearer a\0b\r\n\r\n`, 400],
  ['a folded header line', `GET /healthz HTTP/1.1\r\n${H}X-A: a\r\n b\r\n\r\n`, 400],
  ['bare LF line endings', `GET /healthz HTTP/1.1\nHost: x\nConnection: close\n\n`, 400],
  ['no Host header', `GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n`, 400],
  [
    'Content-Length and Transfer-Encoding together (smuggling)',
    `POST /oauth/v2/token HTTP/1.1\r\n${H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    400,
  ],
  ['two different Content-Lengths', `POST /oauth/v2/token HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef`, 400],
  ['a negative Content-Length', `POST /management/v1/users/machine HTTP/1.1\r\n${H}Content-Length: -1\r\n\r\n`, 400],
  ['a Transfer-Encoding other than chunked', `POST /oauth/v2/token HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\n\r\n`, 400],
  [
    'a chunk size that is not hex',
    `POST /management/v1/users/machine HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    400,
  ],
  ['a TLS ClientHello on the plain port', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', 400],
  ['a 20 KB header', `GET /healthz HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
  ['a 20 KB Authorization header on the token endpoint', `POST /oauth/v2/token HTTP/1.1\r\n${H}Authorization: Basic ${'A'.repeat(20_000)}\r\n\r\n`, 431],
  ['a 20 KB URL', `GET /management/v1/users/${'1'.repeat(20_000)} HTTP/1.1\r\n${H}\r\n`, 431],
  ['3,000 headers', `GET /healthz HTTP/1.1\r\n${H}${Array.from({ length: 3000 }, (_, i) => `X-${i}: 1\r\n`).join('')}\r\n`, 431],
];

describe('malformed HTTP against the built server process', () => {
  it.each(malformed)('%s -> %i, and nothing of ours in the answer', async (_name, bytes, status) => {
    const res = parseResponse(await rawBytes(server.base, Buffer.from(bytes, 'latin1')));
    expect(res.status).toBe(status);
    expect(res.headers.connection).toBe('close');
    expect(res.text).toBe('');
  });

  it('survives clients that vanish mid-request, and a thousand that connect and say nothing', async () => {
    const vanish = (bytes: string) =>
      new Promise<void>((resolve) => {
        const s = net.connect(Number(new URL(server.base).port), '127.0.0.1', () => s.write(bytes, () => s.destroy()));
        s.on('close', () => resolve());
        s.on('error', () => resolve());
      });
    await Promise.all([
      vanish(`POST /oauth/v2/token HTTP/1.1\r\n${H}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\ngrant_type=cli`),
      vanish(`POST /management/v1/users/machine HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"userName":`),
      vanish(`POST /api/session HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"use`),
      vanish('GET /management/v1/orgs/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthor'),
      ...Array.from({ length: 1000 }, () => vanish('')),
    ]);
    expect((await rawRequest(server.base, { method: 'GET', target: '/healthz' })).status).toBe(200);
  });
});

// The corpus cases that need no session, client or token, against the real process.
const noFixtures = {} as Fixtures;
const subset = [...oauthCases, ...sessionCases, ...consoleCases, ...authCases].filter((c) => !needsFixtures(c));

describe('the bad-input corpus against the built server process', () => {
  it(`has a subset of ${subset.length} cases`, () => expect(subset.length).toBeGreaterThanOrEqual(80));

  it.each(subset)('$name', async (c) => {
    expectRejected(c, await send(noFixtures, c, server.base));
  });

  it('is still alive and ready, logged no error, and still stops cleanly on SIGTERM', async () => {
    expect(server.child.exitCode).toBeNull();
    expect((await rawRequest(server.base, { method: 'GET', target: '/healthz' })).status).toBe(200);
    const ready = await rawRequest(server.base, { method: 'GET', target: '/readyz' });
    expect(ready.json).toEqual({ status: 'ok', database: 'ok' });
    expect(server.output()).not.toMatch(/"level":(50|60)/);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
