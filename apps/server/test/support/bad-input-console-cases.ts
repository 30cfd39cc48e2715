import { JSON_TYPE, type BadCase } from './bad-input.js';

type H = [string, string][];
const S = '/api/session';

function signIn(name: string, status: number, body: string | object | undefined, headers: H = [['Content-Type', JSON_TYPE]], id?: string): BadCase {
  const text = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
  return { name: `sign-in: ${name}`, method: 'POST', target: S, headers, body: text, status, shape: 'gateway', id };
}

export const sessionCases: BadCase[] = [
  signIn('text/plain', 400, '{"username":"admin","password":"x"}', [['Content-Type', 'text/plain']], 'SESSION-CONTENT-TYPE'),
  signIn(
    'a form, as a cross-site form would post',
    400,
    'username=admin&password=x',
    [['Content-Type', 'application/x-www-form-urlencoded']],
    'SESSION-CONTENT-TYPE',
  ),
  signIn('no Content-Type', 400, '{"username":"admin","password":"x"}', [], 'SESSION-CONTENT-TYPE'),
  signIn('truncated JSON', 400, '{"username":', undefined, 'BODY-INVALID'),
  signIn('null', 400, 'null', undefined, 'BODY-INVALID'),
  signIn('an array', 400, '[]', undefined, 'INVALID_ARGUMENT'),
  signIn('600 nested objects', 400, `${'{"username":'.repeat(600)}"a"${'}'.repeat(600)}`, undefined, 'INVALID_ARGUMENT'),
  signIn('a body over 8 KiB', 413, { username: 'admin', password: 'x'.repeat(9000) }, undefined, 'BODY-INVALID'),
  signIn(
    'a declared body of 100 GB',
    413,
    '{}',
    [
      ['Content-Type', JSON_TYPE],
      ['Content-Length', '100000000000'],
    ],
    'BODY-INVALID',
  ),
  signIn('JSON in KOI8-R', 415, '{}', [['Content-Type', `${JSON_TYPE}; charset=koi8-r`]], 'BODY-INVALID'),
  signIn(
    'gzip that is not gzip',
    400,
    '{}',
    [
      ['Content-Type', JSON_TYPE],
      ['Content-Encoding', 'gzip'],
    ],
    'BODY-INVALID',
  ),
  signIn('no username', 400, { password: 'x' }, undefined, 'INVALID_ARGUMENT'),
  signIn('no password', 400, { username: 'admin' }, undefined, 'INVALID_ARGUMENT'),
  signIn('a numeric username', 400, { username: 42, password: 'x' }, undefined, 'INVALID_ARGUMENT'),
  signIn('a password of 1,025 characters', 400, { username: 'admin', password: 'p'.repeat(1025) }, undefined, 'INVALID_ARGUMENT'),
  signIn('a username of 201 characters', 400, { username: 'u'.repeat(201), password: 'x' }, undefined, 'INVALID_ARGUMENT'),
  signIn('a password that is an object', 400, { username: 'admin', password: { $ne: '' } }, undefined, 'INVALID_ARGUMENT'),
  signIn('a NUL byte in the username', 401, { username: 'adm\u0000in', password: 'x' }, undefined, 'SESSION-INVALID-CREDENTIALS'),
  signIn('a unicode username', 401, { username: 'ädmïn', password: 'x' }, undefined, 'SESSION-INVALID-CREDENTIALS'),
  signIn('SQL in the username', 401, { username: "admin' OR '1'='1", password: 'x' }, undefined, 'SESSION-INVALID-CREDENTIALS'),
  signIn('a wrong password and an unknown field', 401, { username: 'admin', password: 'wrong', admin: true }, undefined, 'SESSION-INVALID-CREDENTIALS'),
  { name: 'PATCH /api/session', method: 'PATCH', target: S, status: 404, shape: 'gateway', id: 'ROUTE-NOT-FOUND' },
  {
    name: 'PUT /api/session',
    method: 'PUT',
    target: S,
    headers: [['Content-Type', JSON_TYPE]],
    body: '{}',
    status: 404,
    shape: 'gateway',
    id: 'ROUTE-NOT-FOUND',
  },
  { name: 'an unknown path under /api/session', method: 'GET', target: `${S}/refresh`, status: 404, shape: 'gateway', id: 'ROUTE-NOT-FOUND' },
  { name: 'an unknown /api path', method: 'GET', target: '/api/users', status: 404, shape: 'gateway', id: 'ROUTE-NOT-FOUND' },
  { name: 'whoami without a session', method: 'GET', target: S, status: 401, shape: 'gateway', id: 'SESSION-NONE' },
  {
    name: 'whoami with a forged cookie',
    method: 'GET',
    target: S,
    headers: [['Cookie', 'tessera.sid=s%3Aforged.sig']],
    status: 401,
    shape: 'gateway',
    id: 'SESSION-NONE',
  },
  { name: 'sign-out without a session', method: 'DELETE', target: S, status: 401, shape: 'gateway', id: 'SESSION-NONE' },
  { name: 'sign-out without the CSRF token', method: 'DELETE', target: S, headers: [['Cookie', '$COOKIE']], status: 403, shape: 'gateway' },
  {
    name: 'sign-out with a wrong CSRF token',
    method: 'DELETE',
    target: S,
    headers: [
      ['Cookie', '$COOKIE'],
      ['x-csrf-token', 'x'.repeat(43)],
    ],
    status: 403,
    shape: 'gateway',
  },
];

const html: H = [['Accept', 'text/html']];
function page(name: string, target: string, status: number, id: string, method = 'GET'): BadCase {
  return { name: `console: ${name}`, method, target, headers: html, status, shape: 'gateway', id };
}

/** Paths that try to leave the console folder through the SPA fallback and the static files. */
export const consoleCases: BadCase[] = [
  page('dot segments', '/../../secret.txt', 400, 'PATH-INVALID'),
  page('encoded dot segments', '/%2e%2e/%2e%2e/secret.txt', 400, 'PATH-INVALID'),
  page('a single dot segment', '/./index.html', 400, 'PATH-INVALID'),
  page('dot segments after a file', '/index.html/..', 400, 'PATH-INVALID'),
  page('dot segments under /assets', '/assets/../../secret.txt', 400, 'PATH-INVALID'),
  page('encoded slashes under /assets', '/assets/..%2f..%2fsecret.txt', 400, 'PATH-INVALID'),
  page('encoded backslashes', '/..%5c..%5csecret.txt', 400, 'PATH-INVALID'),
  page('an encoded NUL', '/index.html%00.js', 400, 'PATH-INVALID'),
  page('invalid percent-encoding', '/%zz', 400, 'PATH-INVALID'),
  page('invalid percent-encoding under /assets', '/assets/%E0%A4%A', 400, 'PATH-INVALID'),
  page('a missing asset', '/assets/missing.js', 404, 'NOT-FOUND'),
  {
    name: 'console: a page asked for as JSON',
    method: 'GET',
    target: '/service-users',
    headers: [['Accept', 'application/json']],
    status: 404,
    shape: 'gateway',
    id: 'ROUTE-NOT-FOUND',
  },
  page('POST to a page', '/service-users', 404, 'ROUTE-NOT-FOUND', 'POST'),
  page('POST /healthz', '/healthz', 404, 'ROUTE-NOT-FOUND', 'POST'),
  page('DELETE /readyz', '/readyz', 404, 'ROUTE-NOT-FOUND', 'DELETE'),
];
