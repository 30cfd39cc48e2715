import { chunked, FORM, JSON_TYPE, type BadCase } from './bad-input.js';

type H = [string, string][];
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const basic: H = [['Authorization', '$BASIC']];
const form = (extra: H = []): H => [['Content-Type', FORM], ...extra];
const CC = 'grant_type=client_credentials&scope=openid';

/** RFC 6749 5.2 errors from the token endpoint. */
function token(name: string, status: number, error: string, headers: H, body?: string, method = 'POST'): BadCase {
  return { name: `token: ${name}`, method, target: '/oauth/v2/token', headers, body, status, shape: 'oauth', error };
}

function oauth(name: string, method: string, target: string, status: number, error: string, headers: H = [], body?: string): BadCase {
  return { name, method, target, headers, body, status, shape: 'oauth', error };
}

export const methodCases: BadCase[] = [
  ...['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].map((m) => oauth(`${m} /oauth/v2/token`, m, '/oauth/v2/token', 405, 'invalid_request')),
  oauth('GET with the credentials in the query', 'GET', '/oauth/v2/token?grant_type=client_credentials&client_id=a&client_secret=b', 405, 'invalid_request'),
  oauth('GET /oauth/v2/introspect', 'GET', '/oauth/v2/introspect', 405, 'invalid_request'),
  oauth('PUT /oauth/v2/introspect', 'PUT', '/oauth/v2/introspect', 405, 'invalid_request'),
  oauth('GET /oauth/v2/revoke', 'GET', '/oauth/v2/revoke', 405, 'invalid_request'),
  oauth('DELETE /oauth/v2/revoke', 'DELETE', '/oauth/v2/revoke', 405, 'invalid_request'),
  oauth('POST /oauth/v2/keys', 'POST', '/oauth/v2/keys', 405, 'invalid_request', form(), 'a=b'),
  oauth('POST /.well-known/openid-configuration', 'POST', '/.well-known/openid-configuration', 405, 'invalid_request'),
  oauth('DELETE /.well-known/openid-configuration', 'DELETE', '/.well-known/openid-configuration', 405, 'invalid_request'),
  oauth('POST /.well-known/oauth-authorization-server', 'POST', '/.well-known/oauth-authorization-server', 405, 'invalid_request'),
  oauth('PUT /oidc/v1/userinfo', 'PUT', '/oidc/v1/userinfo', 405, 'invalid_request'),
  oauth('DELETE /oidc/v1/userinfo', 'DELETE', '/oidc/v1/userinfo', 405, 'invalid_request'),
];

export const pathCases: BadCase[] = [
  oauth('an endpoint Tessera does not have', 'GET', '/oauth/v2/authorize?response_type=code&client_id=x', 404, 'invalid_request'),
  oauth('the token path in upper case', 'POST', '/oauth/v2/TOKEN', 404, 'invalid_request', [...form(), ...basic], CC),
  oauth('the token path with a trailing slash', 'POST', '/oauth/v2/token/', 404, 'invalid_request', [...form(), ...basic], CC),
  oauth('the bare /oauth/v2/ prefix', 'GET', '/oauth/v2/', 404, 'invalid_request'),
  oauth('an unknown /oidc/v1 path', 'GET', '/oidc/v1/end_session', 404, 'invalid_request'),
  oauth('an unknown /.well-known document', 'GET', '/.well-known/webfinger?resource=acct:admin', 404, 'invalid_request'),
  oauth('invalid percent-encoding under /.well-known', 'GET', '/.well-known/%zz', 404, 'invalid_request'),
  oauth('invalid percent-encoding under /oauth/v2', 'GET', '/oauth/v2/%E0%A4%A', 404, 'invalid_request'),
  oauth('an encoded NUL after the token path', 'POST', '/oauth/v2/token%00', 404, 'invalid_request', form(), CC),
  oauth('dot segments from keys to token', 'GET', '/oauth/v2/keys/../token', 404, 'invalid_request'),
  oauth('encoded traversal past the discovery document', 'GET', '/.well-known/openid-configuration/..%2f..%2fetc%2fpasswd', 404, 'invalid_request'),
];

const nested = `${'a[b]'.repeat(500)}=1`;

export const tokenCases: BadCase[] = [
  token('a JSON body', 400, 'invalid_request', [['Content-Type', JSON_TYPE], ...basic], '{"grant_type":"client_credentials","scope":"openid"}'),
  token('no Content-Type', 400, 'invalid_request', basic, CC),
  token('text/plain', 400, 'invalid_request', [['Content-Type', 'text/plain'], ...basic], CC),
  token(
    'multipart/form-data',
    400,
    'invalid_request',
    [['Content-Type', 'multipart/form-data; boundary=x'], ...basic],
    '--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--x--',
  ),
  token('a form in ISO-8859-1', 400, 'invalid_request', [['Content-Type', `${FORM}; charset=iso-8859-1`], ...basic], CC),
  token('a look-alike media type', 400, 'invalid_request', [['Content-Type', `${FORM}x`], ...basic], CC),
  token('an empty body', 400, 'invalid_request', [...form(), ...basic], ''),
  token('a body of separators only', 400, 'invalid_request', [...form(), ...basic], '&&&==&=&'),
  oauth('token: parameters in the query string only', 'POST', `/oauth/v2/token?${CC}`, 400, 'invalid_request', [...form(), ...basic], ''),
  token('deeply nested bracket names', 400, 'invalid_request', [...form(), ...basic], nested),
  token('grant_type twice', 400, 'invalid_request', [...form(), ...basic], `${CC}&grant_type=client_credentials`),
  token('scope twice', 400, 'invalid_request', [...form(), ...basic], `${CC}&scope=profile`),
  token('client_id twice', 400, 'invalid_request', form(), `${CC}&client_id=$CLIENT_ID&client_id=$CLIENT_ID&client_secret=$SECRET`),
  token('client_secret twice', 400, 'invalid_request', form(), `${CC}&client_id=$CLIENT_ID&client_secret=$SECRET&client_secret=x`),
  token('Basic and client_secret in the body', 400, 'invalid_request', [...form(), ...basic], `${CC}&client_secret=$SECRET`),
  token('Basic and another client_id in the body', 400, 'invalid_request', [...form(), ...basic], `${CC}&client_id=someone-else`),
  token('a body over 8 KiB', 413, 'invalid_request', [...form(), ...basic], `${CC}&pad=${'x'.repeat(9000)}`),
  token('a declared body of 100 GB', 413, 'invalid_request', [...form(), ...basic, ['Content-Length', '100000000000']], CC),
  token('a chunked body over 8 KiB', 413, 'invalid_request', [...form(), ...basic, ['Transfer-Encoding', 'chunked']], chunked(`${CC}&pad=${'x'.repeat(9000)}`)),
  token('invalid percent-encoding in grant_type', 400, 'unsupported_grant_type', [...form(), ...basic], 'grant_type=%zz&scope=openid'),
  token('an encoded NUL as grant_type', 400, 'unsupported_grant_type', [...form(), ...basic], 'grant_type=%00&scope=openid'),
  token('grant_type password', 400, 'unsupported_grant_type', [...form(), ...basic], 'grant_type=password&username=a&password=b'),
  token('grant_type authorization_code', 400, 'unsupported_grant_type', [...form(), ...basic], 'grant_type=authorization_code&code=x'),
  token('a 5,000-character grant_type', 400, 'unsupported_grant_type', [...form(), ...basic], `grant_type=${'x'.repeat(5000)}`),
  token('no scope', 400, 'invalid_request', [...form(), ...basic], 'grant_type=client_credentials'),
  token('a blank scope', 400, 'invalid_request', [...form(), ...basic], 'grant_type=client_credentials&scope=%20%20%20'),
  token('no credentials at all', 401, 'invalid_client', form(), CC),
  token('client_id without client_secret', 401, 'invalid_client', form(), `${CC}&client_id=$CLIENT_ID`),
  token('a wrong secret', 401, 'invalid_client', form(), `${CC}&client_id=$CLIENT_ID&client_secret=wrong`),
  token('an unknown client', 401, 'invalid_client', form(), `${CC}&client_id=nobody-here&client_secret=$SECRET`),
  token('NUL bytes as client_id and secret', 401, 'invalid_client', form(), `${CC}&client_id=%00&client_secret=%00`),
  token('a 7,000-character client_id', 401, 'invalid_client', form(), `${CC}&client_id=${'a'.repeat(7000)}&client_secret=x`),
  token(
    'unicode client_id and secret',
    401,
    'invalid_client',
    form(),
    `${CC}&client_id=${encodeURIComponent('zoë-🔑')}&client_secret=${encodeURIComponent('ü')}`,
  ),
  token('Basic with characters outside base64', 401, 'invalid_client', form([['Authorization', 'Basic %%%']]), CC),
  token('Basic with nothing after it', 401, 'invalid_client', form([['Authorization', 'Basic ']]), CC),
  token('Basic of bytes that are not UTF-8', 401, 'invalid_client', form([['Authorization', `Basic ${b64(Buffer.from([0xff, 0xfe, 0x3a, 0xff]))}`]]), CC),
  token('Basic of NUL bytes without a colon', 401, 'invalid_client', form([['Authorization', 'Basic AAAA']]), CC),
  token('Basic of impossible base64 length', 401, 'invalid_client', form([['Authorization', 'Basic QUJDRE']]), CC),
  token('Basic with invalid percent-encoding inside', 401, 'invalid_client', form([['Authorization', `Basic ${b64('%zz:%zz')}`]]), CC),
  token('Basic with NUL bytes inside', 401, 'invalid_client', form([['Authorization', `Basic ${b64('a\0b:c\0')}`]]), CC),
  token('Basic with unicode inside', 401, 'invalid_client', form([['Authorization', `Basic ${b64('zoë:ü')}`]]), CC),
  token('Basic of 12,000 characters', 401, 'invalid_client', form([['Authorization', `Basic ${'A'.repeat(12000)}`]]), CC),
  token('a Bearer token instead of credentials', 401, 'invalid_client', form([['Authorization', 'Bearer $TOKEN']]), CC),
  token('an empty Authorization header', 401, 'invalid_client', form([['Authorization', '']]), CC),
];

/** Sent with the service user's own credentials unless the case is about credentials. */
function endpoint(target: string, name: string, status: number, error: string, headers: H, body?: string): BadCase {
  return { name: `${target.split('/').pop()}: ${name}`, method: 'POST', target, headers, body, status, shape: 'oauth', error };
}

export const introspectRevokeCases: BadCase[] = ['/oauth/v2/introspect', '/oauth/v2/revoke'].flatMap((target) => [
  endpoint(target, 'a JSON body', 400, 'invalid_request', [['Content-Type', JSON_TYPE], ...basic], '{"token":"$TOKEN"}'),
  endpoint(target, 'no Content-Type', 400, 'invalid_request', basic, 'token=$TOKEN'),
  endpoint(target, 'token twice', 400, 'invalid_request', [...form(), ...basic], 'token=$TOKEN&token=other'),
  endpoint(target, 'no token parameter', 400, 'invalid_request', [...form(), ...basic], 'token_type_hint=access_token'),
  endpoint(target, 'a 20 KB token', 413, 'invalid_request', [...form(), ...basic], `token=${'x'.repeat(20000)}`),
  endpoint(target, 'no credentials', 401, 'invalid_client', form(), 'token=$TOKEN'),
  endpoint(target, 'a wrong secret', 401, 'invalid_client', form(), 'token=$TOKEN&client_id=$CLIENT_ID&client_secret=wrong'),
  endpoint(target, 'malformed Basic', 401, 'invalid_client', form([['Authorization', 'Basic !!!']]), 'token=$TOKEN'),
]);

function userinfo(name: string, headers: H, method = 'GET', target = '/oidc/v1/userinfo', body?: string): BadCase {
  return { name: `userinfo: ${name}`, method, target, headers, body, status: 401, shape: 'oauth', error: 'invalid_token' };
}

/** No Bearer token at all: RFC 6750 3.1's bare challenge. */
function unauthenticated(name: string, headers: H, target = '/oidc/v1/userinfo'): BadCase {
  return { name: `userinfo: ${name}`, method: 'GET', target, headers, status: 401, shape: 'challenge' };
}

export const userinfoCases: BadCase[] = [
  unauthenticated('no Authorization header', []),
  userinfo('"Bearer" without a token', [['Authorization', 'Bearer']]),
  unauthenticated('the token under the Basic scheme', [['Authorization', 'Basic $TOKEN']]),
  userinfo('characters a token never has', [['Authorization', 'Bearer %%%']]),
  userinfo('a garbage token', [['Authorization', 'Bearer not-a-token']]),
  userinfo('two tokens', [['Authorization', 'Bearer $TOKEN $TOKEN']]),
  userinfo('a 12,000-character token', [['Authorization', `Bearer ${'A'.repeat(12000)}`]]),
  userinfo('latin-1 bytes in the token', [['Authorization', 'Bearer \xff\xfe']]),
  unauthenticated('the token in the query string only', [], '/oidc/v1/userinfo?access_token=$TOKEN'),
  userinfo(
    'POST with malformed JSON and a garbage token',
    [
      ['Authorization', 'Bearer abc'],
      ['Content-Type', JSON_TYPE],
    ],
    'POST',
    '/oidc/v1/userinfo',
    '{',
  ),
];

export const oauthCases: BadCase[] = [...methodCases, ...pathCases, ...tokenCases, ...introspectRevokeCases, ...userinfoCases];
