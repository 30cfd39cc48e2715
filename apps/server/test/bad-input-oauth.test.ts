import { describe, expect, it } from 'vitest';
import { expectRejected, send, useCorpusServer } from './support/bad-input.js';
import { oauthCases } from './support/bad-input-oauth-cases.js';
import { rawRequest } from './support/raw-http.js';

const fx = useCorpusServer();

describe('bad input on the OAuth boundary (/oauth/v2, /oidc/v1, /.well-known)', () => {
  it.each(oauthCases)('$name', async (c) => {
    expectRejected(c, await send(fx, c), [fx.client.clientSecret]);
  });

  it('has logged no 5xx and no unhandled error, and still answers /healthz and the token endpoint', async () => {
    expect(fx.errors).toEqual([]);
    expect((await rawRequest(fx.base, { method: 'GET', target: '/healthz' })).status).toBe(200);
    const ok = await rawRequest(fx.base, {
      method: 'POST',
      target: '/oauth/v2/token',
      headers: [
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['X-Forwarded-For', '192.0.2.1'],
      ],
      body: `grant_type=client_credentials&scope=openid&client_id=${fx.client.clientId}&client_secret=${fx.client.clientSecret}`,
    });
    expect(ok.status).toBe(200);
  });
});
