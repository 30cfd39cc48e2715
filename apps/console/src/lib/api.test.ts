import { apiErrorSchema } from '@tessera/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiRequestError, isNotFound, isRetryable, readApiError, setCsrfToken, setActingOrg } from './api';

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(undefined);
  setActingOrg(undefined);
});

function stubFetch(status: number, body: unknown, headers?: Record<string, string>) {
  const fetch = vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers }));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('api client', () => {
  it('sends the CSRF token on writes and the acting organization on management calls', async () => {
    const fetch = stubFetch(200, { ok: true });
    setCsrfToken('tok');
    setActingOrg('42');
    await api('POST', '/management/v1/users/_search', {});
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.headers).toMatchObject({ 'x-csrf-token': 'tok', 'x-zitadel-orgid': '42', 'Content-Type': 'application/json' });
  });

  it('does not send the CSRF token on reads', async () => {
    const fetch = stubFetch(200, {});
    setCsrfToken('tok');
    await api('GET', '/api/session');
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.headers).not.toHaveProperty('x-csrf-token');
  });

  it('decodes gateway errors, including the field they name', async () => {
    stubFetch(409, { code: 6, message: 'user name already taken', details: [{ id: 'X', message: 'm', field: 'userName' }] });
    const err = await api('POST', '/management/v1/users/machine', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect((err as ApiRequestError).status).toBe(409);
    expect((err as ApiRequestError).field).toBe('userName');
    expect((err as ApiRequestError).message).toBe('user name already taken');
  });

  it("keeps the server's request id, and says a 5xx is worth retrying but a 4xx is not", async () => {
    stubFetch(503, { code: 14, message: 'the database is unavailable', details: [] }, { 'X-Request-Id': 'req-123' });
    const unavailable = await api('GET', '/management/v1/orgs/me').catch((e: unknown) => e);
    expect((unavailable as ApiRequestError).requestId).toBe('req-123');
    expect(isRetryable(unavailable)).toBe(true);
    stubFetch(404, { code: 5, message: 'User not found', details: [] });
    const missing = await api('GET', '/management/v1/users/1').catch((e: unknown) => e);
    expect(isRetryable(missing)).toBe(false);
    expect(isNotFound(missing)).toBe(true);
    expect(isRetryable(new TypeError('Failed to fetch'))).toBe(true);
  });

  it('reads the gateway error shape as the contract schema does, without zod', () => {
    const bodies: unknown[] = [
      { code: 5, message: 'User not found', details: [] },
      { code: 3, message: 'invalid', details: [{ id: 'A', message: 'm', field: 'userName', extra: 1 }], extra: true },
      { code: 3, message: 'no details' },
      { code: 3, message: 'detail without field', details: [{ id: 'A', message: 'm' }] },
      { code: '3', message: 'code as text', details: [] },
      { code: 3, details: [] },
      { code: 3, message: 'null details', details: null },
      { code: 3, message: 'bad detail', details: [{ id: 1, message: 'm' }] },
      { code: 3, message: 'bad field', details: [{ id: 'A', message: 'm', field: 7 }] },
      { code: 3, message: 'detail not an object', details: ['A'] },
      'request failed',
      null,
      [],
      undefined,
    ];
    for (const body of bodies) {
      const parsed = apiErrorSchema.safeParse(body);
      expect(readApiError(body), JSON.stringify(body)).toEqual(parsed.success ? parsed.data : undefined);
    }
  });
});
