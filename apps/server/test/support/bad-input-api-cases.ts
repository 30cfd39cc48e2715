import { chunked, JSON_TYPE, type BadCase } from './bad-input.js';

export type H = [string, string][];
export const session: H = [
  ['Cookie', '$COOKIE'],
  ['x-csrf-token', '$CSRF'],
];
export const json = (extra: H = []): H => [['Content-Type', JSON_TYPE], ...session, ...extra];
export const M = '/management/v1';

/** A call as the signed-in administrator (cookie and CSRF token), who may do everything. */
export function api(name: string, method: string, target: string, status: number, id?: string, body?: string | Buffer | object, headers?: H): BadCase {
  const text = body === undefined || typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return { name, method, target, headers: headers ?? (text === undefined ? session : json()), body: text, status, shape: 'gateway', id };
}

const machine = (fields: object) => ({ userName: 'corpus-new', name: 'New', ...fields });
const deep = (open: string, close: string, n: number) => open.repeat(n) + close.repeat(n);

export const methodAndPathCases: BadCase[] = [
  api('PATCH /orgs/me', 'PATCH', `${M}/orgs/me`, 404, 'ROUTE-NOT-FOUND', {}),
  api('DELETE /orgs/me', 'DELETE', `${M}/orgs/me`, 404, 'ROUTE-NOT-FOUND'),
  api('POST /orgs/me', 'POST', `${M}/orgs/me`, 404, 'ROUTE-NOT-FOUND', {}),
  api('PUT /users/_search', 'PUT', `${M}/users/_search`, 404, 'ROUTE-NOT-FOUND', {}),
  api('GET /users/_search reads "_search" as an id', 'GET', `${M}/users/_search`, 400, 'ID-INVALID'),
  api('GET /admin/v1/orgs/_search', 'GET', '/admin/v1/orgs/_search', 404, 'ROUTE-NOT-FOUND'),
  api('DELETE /admin/v1/orgs/_search', 'DELETE', '/admin/v1/orgs/_search', 404, 'ROUTE-NOT-FOUND'),
  api('an unknown management path', 'GET', `${M}/projects`, 404, 'ROUTE-NOT-FOUND'),
  api('invalid percent-encoding as a path', 'GET', `${M}/%zz`, 404, 'ROUTE-NOT-FOUND'),
  api('invalid percent-encoding as an admin path', 'GET', '/admin/v1/%zz', 404, 'ROUTE-NOT-FOUND'),
  api('dot segments in a management path', 'GET', `${M}/users/1/../../orgs/me`, 404, 'ROUTE-NOT-FOUND'),
];

export const contentTypeCases: BadCase[] = [
  api('text/plain', 'POST', `${M}/users/machine`, 400, 'BODY-CONTENT-TYPE', JSON.stringify(machine({})), [['Content-Type', 'text/plain'], ...session]),
  api('a form body', 'POST', `${M}/users/machine`, 400, 'BODY-CONTENT-TYPE', 'userName=a&name=b', [
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ...session,
  ]),
  api('multipart', 'POST', `${M}/users/machine`, 400, 'BODY-CONTENT-TYPE', '--x--', [['Content-Type', 'multipart/form-data; boundary=x'], ...session]),
  api('a body without Content-Type', 'POST', `${M}/users/machine`, 400, 'BODY-CONTENT-TYPE', JSON.stringify(machine({})), session),
  api('JSON in latin-1', 'POST', `${M}/users/machine`, 415, 'BODY-INVALID', JSON.stringify(machine({})), [
    ['Content-Type', `${JSON_TYPE}; charset=latin1`],
    ...session,
  ]),
  api('an unknown Content-Encoding', 'POST', `${M}/users/machine`, 415, 'BODY-INVALID', '{}', json([['Content-Encoding', 'zstd-x']])),
  api('gzip that is not gzip', 'POST', `${M}/users/machine`, 400, 'BODY-INVALID', '{"userName":"x"}', json([['Content-Encoding', 'gzip']])),
  api('deflate that is not deflate', 'POST', `${M}/users/_search`, 400, 'BODY-INVALID', '{}', json([['Content-Encoding', 'deflate']])),
  api('brotli that is not brotli', 'POST', '/admin/v1/orgs/_search', 400, 'BODY-INVALID', '{}', json([['Content-Encoding', 'br']])),
];

export const jsonCases: BadCase[] = [
  api('truncated JSON', 'POST', `${M}/users/machine`, 400, 'BODY-INVALID', '{"userName":'),
  api('a trailing comma', 'POST', `${M}/users/machine`, 400, 'BODY-INVALID', '{"userName":"a","name":"b",}'),
  api('single quotes', 'POST', `${M}/users/machine`, 400, 'BODY-INVALID', "{'userName':'a'}"),
  api('two documents', 'POST', `${M}/users/_search`, 400, 'BODY-INVALID', '{}{}'),
  api('null', 'POST', `${M}/users/_search`, 400, 'BODY-INVALID', 'null'),
  api('a bare number', 'POST', `${M}/users/_search`, 400, 'BODY-INVALID', '123'),
  api('a bare string', 'POST', `${M}/users/_search`, 400, 'BODY-INVALID', '"hello"'),
  api('an array', 'POST', `${M}/users/_search`, 400, 'INVALID_ARGUMENT', '[]'),
  api(
    'bytes that are not UTF-8',
    'POST',
    `${M}/users/machine`,
    400,
    'INVALID_ARGUMENT',
    Buffer.concat([Buffer.from('{"userName":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","name":"x"}')]),
  ),
  api('30,000 nested arrays', 'POST', `${M}/users/_search`, 400, 'INVALID_ARGUMENT', deep('[', ']', 30000)),
  api('10,000 nested objects', 'POST', `${M}/users/_search`, 400, 'INVALID_ARGUMENT', `${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}`),
  api('query nested in query 5,000 times', 'POST', `${M}/users/_search`, 400, 'INVALID_ARGUMENT', `${'{"query":'.repeat(5000)}{}${'}'.repeat(5000)}`),
  api('orQuery nested in orQuery', 'POST', `${M}/users/_search`, 400, 'INVALID_ARGUMENT', {
    queries: [{ orQuery: { queries: [{ orQuery: { queries: [] } }] } }],
  }),
  api('a body over 64 KiB', 'POST', `${M}/users/machine`, 413, 'BODY-INVALID', JSON.stringify(machine({ description: 'x'.repeat(70000) }))),
  api('a declared body of 100 GB', 'POST', `${M}/users/machine`, 413, 'BODY-INVALID', '{}', json([['Content-Length', '100000000000']])),
  api(
    'a chunked body over 64 KiB',
    'POST',
    `${M}/users/_search`,
    413,
    'BODY-INVALID',
    chunked(JSON.stringify({ pad: 'x'.repeat(70000) })),
    json([['Transfer-Encoding', 'chunked']]),
  ),
];

export const unknownFieldCases: BadCase[] = [
  api('AddMachineUser with an unknown field', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ isAdmin: true })),
  api('AddMachineUser with __proto__', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', '{"userName":"corpus-p","name":"x","__proto__":{"admin":true}}'),
  api(
    'AddMachineUser with constructor.prototype',
    'POST',
    `${M}/users/machine`,
    400,
    'INVALID_ARGUMENT',
    '{"userName":"corpus-c","name":"x","constructor":{"prototype":{"admin":true}}}',
  ),
  api('ListUsers with an unknown field', 'POST', `${M}/users/_search`, 400, 'INVALID_ARGUMENT', { filter: 'x' }),
  api('ListUsers with an unknown query kind', 'POST', `${M}/users/_search`, 400, 'INVALID_ARGUMENT', { queries: [{ emailQuery: { email: 'x' } }] }),
  api('UpdateOrg with an unknown field', 'PUT', `${M}/orgs/me`, 400, 'INVALID_ARGUMENT', { name: 'x', primaryDomain: 'evil.example' }),
  api('AddOrgMember with an unknown field', 'POST', `${M}/orgs/me/members`, 400, 'INVALID_ARGUMENT', { userId: '$USER_ID', roles: ['ORG_OWNER'], orgId: '1' }),
  api('DeactivateUser with a body field', 'POST', `${M}/users/$USER_ID/_deactivate`, 400, 'INVALID_ARGUMENT', { reason: 'x' }),
  api('ListOrgMemberRoles with a body field', 'POST', `${M}/orgs/members/roles/_search`, 400, 'INVALID_ARGUMENT', { x: 1 }),
  api('ListOrgs with an unknown query kind', 'POST', '/admin/v1/orgs/_search', 400, 'INVALID_ARGUMENT', { queries: [{ ownerQuery: {} }] }),
  api('ListOrgs with an unknown sorting column', 'POST', '/admin/v1/orgs/_search', 400, 'INVALID_ARGUMENT', { sortingColumn: 'name; DROP TABLE orgs' }),
];

export const nameCases: BadCase[] = [
  api('a NUL byte in userName', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ userName: 'bad\u0000name' })),
  api('unicode in userName', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ userName: 'zoë' })),
  api('an emoji as userName', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ userName: '🔑🔑' })),
  api('a space in userName', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ userName: 'two words' })),
  api('a userName of 201 characters', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ userName: 'a'.repeat(201) })),
  api('a userName of 1 character', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ userName: 'a' })),
  api('a userName that is an array', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ userName: ['a', 'b'] })),
  api('a userName that is a number', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ userName: 12345 })),
  api('a NUL byte in the display name', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ name: 'a\u0000b' })),
  api('an escape sequence in the display name', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ name: '\u001b[31mred' })),
  api('a display name of 201 characters', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ name: 'é'.repeat(201) })),
  api('a NUL byte in the description', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ description: 'a\u0000b' })),
  api('a description of 501 characters', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ description: 'x'.repeat(501) })),
  api('an unknown accessTokenType', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ accessTokenType: 'ACCESS_TOKEN_TYPE_ROOT' })),
  api('accessTokenType as a number', 'POST', `${M}/users/machine`, 400, 'INVALID_ARGUMENT', machine({ accessTokenType: 1 })),
  api('UpdateMachine with a NUL byte in the name', 'PUT', `${M}/users/$USER_ID/machine`, 400, 'INVALID_ARGUMENT', { name: '\u0000' }),
  api('UpdateOrg with a NUL byte', 'PUT', `${M}/orgs/me`, 400, 'INVALID_ARGUMENT', { name: 'Org\u0000' }),
  api('UpdateOrg with a blank name', 'PUT', `${M}/orgs/me`, 400, 'INVALID_ARGUMENT', { name: '   ' }),
  api('AddOrg with a name of 300 characters', 'POST', `${M}/orgs`, 400, 'INVALID_ARGUMENT', { name: 'o'.repeat(300) }),
  api('AddOrg with a line break in the name', 'POST', `${M}/orgs`, 400, 'INVALID_ARGUMENT', { name: 'a\nb' }),
  api('a NUL byte in a search term', 'POST', `${M}/users/_search`, 400, 'INVALID_ARGUMENT', { queries: [{ userNameQuery: { userName: 'a\u0000' } }] }),
  api('a search term of 201 characters', 'POST', `${M}/users/_search`, 400, 'INVALID_ARGUMENT', {
    queries: [{ displayNameQuery: { displayName: 'x'.repeat(201) } }],
  }),
  api('an unknown text query method', 'POST', `${M}/users/_search`, 400, 'INVALID_ARGUMENT', {
    queries: [{ userNameQuery: { userName: 'a', method: 'TEXT_QUERY_METHOD_REGEX' } }],
  }),
];
