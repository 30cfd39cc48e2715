import { describe, expect, it } from 'vitest';
import { expectRejected, send, useCorpusServer, type BadCase } from './support/bad-input.js';
import { contentTypeCases, jsonCases, methodAndPathCases, nameCases, unknownFieldCases } from './support/bad-input-api-cases.js';
import { authCases, idCases, orgHeaderCases, pagingCases, roleCases } from './support/bad-input-api-param-cases.js';
import { rawRequest } from './support/raw-http.js';

const fx = useCorpusServer();

const groups: [string, BadCase[]][] = [
  ['methods and paths', methodAndPathCases],
  ['content types and encodings', contentTypeCases],
  ['invalid, nested and oversized JSON', jsonCases],
  ['unknown fields', unknownFieldCases],
  ['NUL bytes, unicode and bounds in names', nameCases],
  ['ids that are not numbers', idCases],
  ['x-zitadel-orgid', orgHeaderCases],
  ['offsets, limits and cursors', pagingCases],
  ['roles', roleCases],
  ['credentials', authCases],
];

describe.each(groups)('bad input on /management/v1 and /admin/v1: %s', (_group, cases) => {
  it.each(cases)('$name', async (c) => {
    expectRejected(c, await send(fx, c), [fx.token, fx.csrf]);
  });
});

describe('after the management corpus', () => {
  it('nothing was written, no 5xx was logged, and the API still answers', async () => {
    // The corpus never creates a user: every AddMachineUser case is refused.
    // lower(): SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
    const written = await fx.t.storage.one("SELECT count(*) AS n FROM users WHERE lower(username) LIKE 'corpus-%' AND lower(username) != 'corpus-client'");
    expect(written).toEqual({ n: 0 });
    expect(fx.errors).toEqual([]);
    expect((await rawRequest(fx.base, { method: 'GET', target: '/healthz' })).status).toBe(200);
    const me = await rawRequest(fx.base, { method: 'GET', target: '/management/v1/orgs/me', headers: [['Authorization', `Bearer ${fx.token}`]] });
    expect(me.status).toBe(200);
  });
});
