import fs from 'node:fs';
import path from 'node:path';
import { GrpcCode } from '@tessera/contracts';
import { afterAll, beforeAll, expect } from 'vitest';
import { basicAuthorization } from '../../src/oauth/basic-auth.js';
import { listen, type Listening } from './listening.js';
import { rawRequest, type RawResponse } from './raw-http.js';
import { ADMIN_PASSWORD, createTestApp, signIn, type TestApp } from './test-app.js';
import { accessToken, createClient, grantOrgRoles, type Client } from './tokens.js';

/**
 * Which error shape a protocol answers in: RFC 6749 5.2, the gRPC gateway's, or RFC 6750 3.1's bare
 * Bearer challenge with no body (a request to userinfo without a Bearer token).
 */
export type Shape = 'oauth' | 'gateway' | 'challenge';

/**
 * One hostile request and the answer it must get. Header values, the target and a string body may
 * name fixtures, filled in when the case runs: $COOKIE and $CSRF (the administrator's console
 * session), $BASIC, $CLIENT_ID and $SECRET (a service user's credentials), $TOKEN (its access
 * token, with the management audience and Org Owner), $USER_ID (that service user's id).
 */
export interface BadCase {
  name: string;
  method: string;
  target: string;
  headers?: [string, string][];
  body?: string | Buffer;
  status: number;
  shape: Shape;
  /** OAuth: the exact `error`. */
  error?: string;
  /** Gateway: the id of the first detail. */
  id?: string;
}

export interface Fixtures {
  base: string;
  cookie: string;
  csrf: string;
  client: Client;
  token: string;
  t: TestApp;
  /** Log lines at error level or above: a 5xx or an unhandled error shows up here. */
  errors: string[];
}

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

/** A body in HTTP/1.1 chunked framing, for bodies whose size is not declared up front. */
export function chunked(body: string, size = 4096): string {
  let out = '';
  for (let i = 0; i < body.length; i += size) {
    const part = body.slice(i, i + size);
    out += `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`;
  }
  return `${out}0\r\n\r\n`;
}

/**
 * The real app on a real socket, with a service user that holds a secret, Org Owner and a token,
 * and a built console (index.html) beside a file that must never be served. X-Forwarded-For is
 * trusted so that each case comes from its own address: hundreds of deliberate failures would
 * otherwise trip the per-address throttles and turn every later answer into a 429.
 */
export function useCorpusServer(): Fixtures {
  const fx = { errors: [] as string[] } as Fixtures;
  let server: Listening;
  beforeAll(async () => {
    const sink = { write: (line: string) => void fx.errors.push(line) };
    fx.t = await createTestApp({ TESSERA_TRUST_PROXY: '1', TESSERA_LOG_LEVEL: 'error' }, undefined, sink);
    const dir = fx.t.config.consoleDir;
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Tessera</title>');
    fs.writeFileSync(path.join(fx.t.dir, 'secret.txt'), 'outside-the-console-folder');

    // Behind the server's own front door, so HTTP/2 (gRPC) cases reach it as in production.
    server = await listen(fx.t.app);
    fx.base = server.url;

    const admin = await signIn(fx.t.app);
    fx.client = await createClient(admin, 'corpus-client');
    await grantOrgRoles(fx.t.storage, admin.whoami.orgId, fx.client.userId, ['ORG_OWNER']);
    fx.token = await accessToken(fx.t.app, fx.client);

    const session = await rawRequest(fx.base, {
      method: 'POST',
      target: '/api/session',
      headers: [['Content-Type', JSON_TYPE]],
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(session.status).toBe(200);
    fx.cookie = session.headers['set-cookie']!.split(';')[0]!;
    fx.csrf = (session.json as { csrfToken: string }).csrfToken;
  });
  afterAll(async () => {
    await server.close();
    await fx.t.cleanup();
  });
  return fx;
}

let nextAddress = 0;

const FIXTURE = /\$(COOKIE|CSRF|BASIC|CLIENT_ID|SECRET|TOKEN|USER_ID)/g;

function fixture(fx: Fixtures, name: string): string {
  switch (name) {
    case 'COOKIE':
      return fx.cookie;
    case 'CSRF':
      return fx.csrf;
    case 'BASIC':
      return basicAuthorization(fx.client.clientId, fx.client.clientSecret);
    case 'CLIENT_ID':
      return fx.client.clientId;
    case 'SECRET':
      return fx.client.clientSecret;
    case 'TOKEN':
      return fx.token;
    default:
      return fx.client.userId;
  }
}

function fill(fx: Fixtures, s: string): string {
  return s.replace(FIXTURE, (_, name: string) => fixture(fx, name));
}

/** Whether the case names a fixture (a session, a client, a token); others run against any server. */
export function needsFixtures(c: BadCase): boolean {
  const text = [c.target, ...(c.headers ?? []).map(([, v]) => v), typeof c.body === 'string' ? c.body : ''].join('\n');
  return new RegExp(FIXTURE.source).test(text);
}

/** Sends the case from an address of its own (unless it sets X-Forwarded-For itself). */
export async function send(fx: Fixtures, c: BadCase, base = fx.base): Promise<RawResponse> {
  const headers: [string, string][] = (c.headers ?? []).map(([n, v]) => [n, fill(fx, v)]);
  if (!headers.some(([n]) => n.toLowerCase() === 'x-forwarded-for')) {
    const n = nextAddress++;
    headers.push(['X-Forwarded-For', `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`]);
  }
  const body = typeof c.body === 'string' ? fill(fx, c.body) : c.body;
  return rawRequest(base, { method: c.method, target: fill(fx, c.target), headers, body });
}

const OAUTH_ERRORS_BY_STATUS: Record<number, string[]> = {
  400: ['invalid_request', 'unsupported_grant_type', 'unauthorized_client', 'invalid_scope', 'invalid_grant'],
  401: ['invalid_client', 'invalid_token'],
  404: ['invalid_request'],
  405: ['invalid_request'],
  413: ['invalid_request'],
  429: ['slow_down'],
};

const GRPC_CODES_BY_STATUS: Record<number, number[]> = {
  400: [GrpcCode.InvalidArgument, GrpcCode.FailedPrecondition],
  401: [GrpcCode.Unauthenticated],
  403: [GrpcCode.PermissionDenied],
  404: [GrpcCode.NotFound],
  409: [GrpcCode.AlreadyExists],
  413: [GrpcCode.InvalidArgument],
  415: [GrpcCode.InvalidArgument],
  429: [GrpcCode.ResourceExhausted],
};

/** The answer is the case's 4xx, in its protocol's shape, uncached, with nothing else in the body. */
export function expectRejected(c: BadCase, res: RawResponse, secrets: string[] = []): void {
  const where = `${c.name}: ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, where).toBe(c.status);
  expect(res.headers['cache-control'], where).toBe('no-store');
  if (c.shape === 'challenge') {
    expect([res.headers['www-authenticate'], res.text], where).toEqual(['Bearer realm="tessera"', '']);
    return;
  }
  expect(res.headers['content-type'], where).toMatch(/^application\/json/);
  const body = res.json as Record<string, unknown>;
  if (c.shape === 'oauth') {
    expect(Object.keys(body).sort(), where).toEqual(['error', 'error_description']);
    expect(OAUTH_ERRORS_BY_STATUS[res.status], where).toContain(body.error);
    if (c.error) expect(body.error, where).toBe(c.error);
    expect(typeof body.error_description === 'string' && body.error_description.length > 0, where).toBe(true);
    if (body.error === 'invalid_client') expect(res.headers['www-authenticate'], where).toMatch(/^Basic realm=/);
    if (body.error === 'invalid_token') expect(res.headers['www-authenticate'], where).toMatch(/^Bearer realm=/);
    if (res.status === 405) expect(res.headers.allow, where).toMatch(/^(GET|POST)/);
  } else {
    expect(Object.keys(body).sort(), where).toEqual(['code', 'details', 'message']);
    expect(GRPC_CODES_BY_STATUS[res.status], where).toContain(body.code);
    expect(typeof body.message === 'string' && body.message.length > 0, where).toBe(true);
    const details = body.details as { id: unknown; message: unknown; field?: unknown }[];
    expect(details.length, where).toBeGreaterThan(0);
    for (const d of details) {
      expect(typeof d.id === 'string' && typeof d.message === 'string', where).toBe(true);
      expect(
        Object.keys(d).every((k) => ['id', 'message', 'field'].includes(k)),
        where,
      ).toBe(true);
    }
    if (c.id) expect(details[0]!.id, where).toBe(c.id);
  }
  for (const s of secrets) expect(res.text, `${c.name} echoes a credential`).not.toContain(s);
}
