import { api, M, session, type H } from './bad-input-api-cases.js';
import type { BadCase } from './bad-input.js';

/** Every route that takes a user id in its path, with the method it answers to. */
const userRoutes: [string, (id: string) => string, object?][] = [
  ['GET', (id) => `/users/${id}`],
  ['DELETE', (id) => `/users/${id}`],
  ['PUT', (id) => `/users/${id}/machine`, { name: 'x' }],
  ['PUT', (id) => `/users/${id}/secret`],
  ['DELETE', (id) => `/users/${id}/secret`],
  ['POST', (id) => `/users/${id}/secrets/_search`, {}],
  ['DELETE', (id) => `/users/${id}/secrets/${id}`],
  ['POST', (id) => `/users/${id}/_deactivate`],
  ['POST', (id) => `/users/${id}/_reactivate`],
  ['POST', (id) => `/users/${id}/tokens/_revoke`],
  ['POST', (id) => `/users/${id}/changes/_search`, {}],
  ['PUT', (id) => `/orgs/me/members/${id}`, { roles: ['ORG_OWNER'] }],
  ['DELETE', (id) => `/orgs/me/members/${id}`],
];

/** Routes under a project, with the project id, an app id and a key id in their path. */
const projectRoutes: [string, (project: string, app: string, key: string) => string, object?][] = [
  ['POST', (p, a) => `/projects/${p}/apps/${a}/keys/_search`, {}],
  ['GET', (p, a, k) => `/projects/${p}/apps/${a}/keys/${k}`],
  ['DELETE', (p, a, k) => `/projects/${p}/apps/${a}/keys/${k}`],
  ['POST', (p) => `/projects/${p}/changes/_search`, {}],
];

export const idCases: BadCase[] = [
  ...userRoutes.map(([method, path, body]) => api(`${method} ${path('{id}')} with a non-numeric id`, method, `${M}${path('abc')}`, 400, 'ID-INVALID', body)),
  ...projectRoutes.flatMap(([method, path, body]) =>
    [path('abc', '1', '1'), path('1', 'abc', '1'), path('1', '1', 'abc')]
      .filter((target, i, all) => target.includes('abc') && all.indexOf(target) === i)
      .map((target) => api(`${method} ${target} with a non-numeric id`, method, `${M}${target}`, 400, 'ID-INVALID', body)),
  ),
  ...projectRoutes.map(([method, path, body]) =>
    api(`${method} ${path('{id}', '{id}', '{id}')} of a project that does not exist`, method, `${M}${path('1', '1', '1')}`, 404, 'PROJECT-NotFound', body),
  ),
  ...[
    ['a negative id', '-1', 'ID-INVALID'],
    ['a fractional id', '1.5', 'ID-INVALID'],
    ['an exponent', '1e5', 'ID-INVALID'],
    ['a hex id', '0x10', 'ID-INVALID'],
    ['an id of 21 digits', '999999999999999999999', 'ID-INVALID'],
    ['an encoded space', '%20', 'ID-INVALID'],
    ['an encoded NUL', '%00', 'ID-INVALID'],
    ['an encoded Arabic-Indic digit', '%D9%A1', 'ID-INVALID'],
    ['invalid percent-encoding', '%zz', 'PATH-INVALID'],
    ['truncated UTF-8 percent-encoding', '%E0%A4%A', 'PATH-INVALID'],
  ].map(([name, id, expected]) => api(`GET /users/{id} with ${name}`, 'GET', `${M}/users/${id}`, 400, expected)),
  api('GET /users/{id} past uint64 (20 digits, none such)', 'GET', `${M}/users/99999999999999999999`, 404),
  api('AddOrgMember with a non-numeric userId', 'POST', `${M}/orgs/me/members`, 400, 'INVALID_ARGUMENT', { userId: 'abc', roles: ['ORG_OWNER'] }),
  api('AddOrgMember with a numeric userId', 'POST', `${M}/orgs/me/members`, 400, 'INVALID_ARGUMENT', { userId: 1, roles: ['ORG_OWNER'] }),
  api('AddOrgMember with a userId of 21 digits', 'POST', `${M}/orgs/me/members`, 400, 'INVALID_ARGUMENT', { userId: '1'.repeat(21), roles: ['ORG_OWNER'] }),
  api('ListOrgMembers filtering by a non-numeric id', 'POST', `${M}/orgs/me/members/_search`, 400, 'INVALID_ARGUMENT', {
    queries: [{ userIdQuery: { userId: 'x' } }],
  }),
];

const orgHeader = (value: string): H => [...session, ['x-zitadel-orgid', value]];

export const orgHeaderCases: BadCase[] = [
  api('x-zitadel-orgid that is not a number', 'GET', `${M}/orgs/me`, 400, 'ORG-HEADER', undefined, orgHeader('abc')),
  api('x-zitadel-orgid with dot segments', 'GET', `${M}/orgs/me`, 400, 'ORG-HEADER', undefined, orgHeader('../1')),
  api('x-zitadel-orgid negative', 'GET', `${M}/orgs/me`, 400, 'ORG-HEADER', undefined, orgHeader('-1')),
  api('x-zitadel-orgid empty', 'GET', `${M}/orgs/me`, 400, 'ORG-HEADER', undefined, orgHeader('')),
  api('x-zitadel-orgid twice', 'GET', `${M}/orgs/me`, 400, 'ORG-HEADER', undefined, [...orgHeader('1'), ['x-zitadel-orgid', '2']]),
  api('x-zitadel-orgid past uint64 (none such)', 'GET', `${M}/orgs/me`, 404, 'ORG-4m9fs', undefined, orgHeader('99999999999999999999')),
];

const users = (body: object) => api(`ListUsers ${JSON.stringify(body).slice(0, 60)}`, 'POST', `${M}/users/_search`, 400, 'INVALID_ARGUMENT', body);

export const pagingCases: BadCase[] = [
  users({ query: { offset: -1 } }),
  users({ query: { offset: 1_000_000_001 } }),
  users({ query: { offset: '18446744073709551616' } }),
  users({ query: { offset: '-5' } }),
  users({ query: { offset: 'ten' } }),
  users({ query: { offset: 1.5 } }),
  users({ query: { limit: 1001 } }),
  users({ query: { limit: -1 } }),
  users({ query: { limit: '99999999999999999999' } }),
  users({ query: { limit: null } }),
  users({ query: { asc: 'yes' } }),
  api('ListUsers with offset 1e400', 'POST', `${M}/users/_search`, 400, 'INVALID_ARGUMENT', '{"query":{"offset":1e400}}'),
  users({ queries: Array.from({ length: 11 }, () => ({ typeQuery: { type: 'TYPE_MACHINE' } })) }),
  users({ queries: [{ orQuery: { queries: Array.from({ length: 11 }, () => ({ userNameQuery: { userName: 'a' } })) } }] }),
  api('ListUserChanges with a negative sequence', 'POST', `${M}/users/$USER_ID/changes/_search`, 400, 'INVALID_ARGUMENT', { query: { sequence: -5 } }),
  api('ListUserChanges with a sequence past 2^53', 'POST', `${M}/users/$USER_ID/changes/_search`, 400, 'INVALID_ARGUMENT', {
    query: { sequence: '9007199254740993' },
  }),
  api('ListUserChanges with a limit of a million', 'POST', `${M}/users/$USER_ID/changes/_search`, 400, 'INVALID_ARGUMENT', { query: { limit: 1_000_000 } }),
  api('ListAppKeys with a negative offset', 'POST', `${M}/projects/1/apps/1/keys/_search`, 400, 'INVALID_ARGUMENT', { query: { offset: -1 } }),
  api('ListAppKeys with a limit past 1000', 'POST', `${M}/projects/1/apps/1/keys/_search`, 400, 'INVALID_ARGUMENT', { query: { limit: 1001 } }),
  api('ListProjectChanges with a negative sequence', 'POST', `${M}/projects/1/changes/_search`, 400, 'INVALID_ARGUMENT', { query: { sequence: -5 } }),
  api('ListProjectChanges with a limit of a million', 'POST', `${M}/projects/1/changes/_search`, 400, 'INVALID_ARGUMENT', { query: { limit: 1_000_000 } }),
  api('ListProjectChanges with an unknown field', 'POST', `${M}/projects/1/changes/_search`, 400, 'INVALID_ARGUMENT', { query: { page: 2 } }),
  api('ListOrgMembers with a negative offset', 'POST', `${M}/orgs/me/members/_search`, 400, 'INVALID_ARGUMENT', { query: { offset: -10 } }),
  api('ListOrgs with a negative limit', 'POST', '/admin/v1/orgs/_search', 400, 'INVALID_ARGUMENT', { query: { limit: -1 } }),
  api('ListOrgs with an offset past uint64', 'POST', '/admin/v1/orgs/_search', 400, 'INVALID_ARGUMENT', { query: { offset: '99999999999999999999' } }),
];

const member = (roles: unknown) =>
  api(`AddOrgMember with roles ${JSON.stringify(roles).slice(0, 40)}`, 'POST', `${M}/orgs/me/members`, 400, undefined, { userId: '$USER_ID', roles });

export const roleCases: BadCase[] = [
  member(['IAM_OWNER']),
  member(['ORG_OWNER', 'ORG_OWNER']),
  member([]),
  member('ORG_OWNER'),
  member([null]),
  member(['x'.repeat(101)]),
];

function auth(name: string, method: string, target: string, status: number, headers: H, body?: string): BadCase {
  return { name, method, target, headers, body, status, shape: 'gateway' };
}

export const authCases: BadCase[] = [
  auth('no credentials', 'GET', `${M}/orgs/me`, 401, []),
  auth('no credentials on an admin path', 'POST', '/admin/v1/orgs/_search', 401, [['Content-Type', 'application/json']], '{}'),
  auth('a garbage Bearer token', 'GET', `${M}/orgs/me`, 401, [['Authorization', 'Bearer garbage']]),
  auth('a Bearer token of 12,000 characters', 'GET', `${M}/orgs/me`, 401, [['Authorization', `Bearer ${'A'.repeat(12000)}`]]),
  auth('client credentials instead of a token', 'GET', `${M}/orgs/me`, 401, [['Authorization', '$BASIC']]),
  auth('"Bearer" and nothing else', 'GET', `${M}/orgs/me`, 401, [['Authorization', 'Bearer ']]),
  auth('a forged session cookie', 'GET', `${M}/orgs/me`, 401, [['Cookie', `tessera.sid=s%3A${'x'.repeat(40)}.${'y'.repeat(43)}`]]),
  auth('a session cookie with invalid percent-encoding', 'GET', `${M}/orgs/me`, 401, [['Cookie', 'tessera.sid=s%3Azz%zz']]),
  auth('a session cookie of 8,000 characters', 'GET', `${M}/orgs/me`, 401, [['Cookie', `tessera.sid=${'x'.repeat(8000)}`]]),
  auth(
    'a cookie write without the CSRF token',
    'POST',
    `${M}/users/machine`,
    403,
    [
      ['Cookie', '$COOKIE'],
      ['Content-Type', 'application/json'],
    ],
    '{}',
  ),
  auth('a cookie write with a wrong CSRF token', 'DELETE', `${M}/users/$USER_ID`, 403, [
    ['Cookie', '$COOKIE'],
    ['x-csrf-token', 'x'.repeat(43)],
  ]),
  auth(
    'a cookie write with a CSRF token of another length',
    'PUT',
    `${M}/orgs/me`,
    403,
    [
      ['Cookie', '$COOKIE'],
      ['x-csrf-token', 'short'],
      ['Content-Type', 'application/json'],
    ],
    '{"name":"x"}',
  ),
  auth(
    'a Bearer call with an invalid body',
    'POST',
    `${M}/users/machine`,
    400,
    [
      ['Authorization', 'Bearer $TOKEN'],
      ['Content-Type', 'application/json'],
    ],
    '{"userName":"\\u0000"}',
  ),
  auth(
    'a Bearer call with malformed JSON',
    'POST',
    `${M}/users/_search`,
    400,
    [
      ['Authorization', 'Bearer $TOKEN'],
      ['Content-Type', 'application/json'],
    ],
    '{"query":',
  ),
  auth('a Bearer call with a bad id', 'GET', `${M}/users/12ab`, 400, [['Authorization', 'Bearer $TOKEN']]),
];
