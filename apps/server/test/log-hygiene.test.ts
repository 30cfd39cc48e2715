import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { basicAuthorization } from '../src/oauth/basic-auth.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { ADMIN_PASSWORD } from './support/test-app.js';

const SCOPE = 'openid profile email urn:zitadel:iam:org:project:id:zitadel:aud';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

let dir: string;
let server: ServerProcess | undefined;
afterAll(() => {
  if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every byte of the database: the main file and, while the server runs, its WAL and shared memory. */
function databaseBytes(): Buffer {
  const files = fs.readdirSync(dir).filter((f) => f.startsWith('tessera.db'));
  return Buffer.concat(files.map((f) => fs.readFileSync(path.join(dir, f))));
}

describe('log hygiene over the whole guide flow', () => {
  it(
    'no log line and no database byte holds the client secret, a private key, a personal access token, the admin password or an access token',
    { timeout: 60_000 },
    async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-logs-'));
      // The built server as it runs in production, logging everything it can (trace is below debug).
      server = await startServerProcess(path.join(dir, 'tessera.db'), { TESSERA_LOG_LEVEL: 'trace' });
      const base = server.base;
      const ok = async (res: Response) => {
        expect(res.status, `${res.url}: ${res.status}`).toBeLessThan(300);
        return res.status === 200 && res.headers.get('content-type')?.includes('json') ? ((await res.json()) as Record<string, string>) : {};
      };

      // The operator, in the console: sign in, create the service user, its secret, the grant.
      const signIn = await fetch(`${base}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
      });
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
      const { csrfToken, orgId } = await ok(signIn);
      const operator = { Cookie: cookie, 'x-csrf-token': csrfToken!, 'Content-Type': 'application/json' };
      const { userId } = await ok(
        await fetch(`${base}/management/v1/users/machine`, {
          method: 'POST',
          headers: operator,
          body: JSON.stringify({ userName: 'log-hygiene', name: 'Log Hygiene' }),
        }),
      );
      const { clientId, clientSecret } = await ok(await fetch(`${base}/management/v1/users/${userId}/secret`, { method: 'PUT', headers: operator }));
      await ok(
        await fetch(`${base}/management/v1/orgs/me/members`, { method: 'POST', headers: operator, body: JSON.stringify({ userId, roles: ['ORG_OWNER'] }) }),
      );

      // The machine: a token with Basic (opaque), then as JWT with client_secret_post.
      const basic = basicAuthorization(clientId!, clientSecret!);
      const { access_token: opaque } = await ok(
        await fetch(`${base}/oauth/v2/token`, {
          method: 'POST',
          headers: { ...FORM, Authorization: basic },
          body: new URLSearchParams({ grant_type: 'client_credentials', scope: SCOPE }),
        }),
      );
      await ok(
        await fetch(`${base}/management/v1/users/${userId}/machine`, {
          method: 'PUT',
          headers: operator,
          body: JSON.stringify({ name: 'Log Hygiene', accessTokenType: 'ACCESS_TOKEN_TYPE_JWT' }),
        }),
      );
      const post = { client_id: clientId!, client_secret: clientSecret! };
      const { access_token: jwt } = await ok(
        await fetch(`${base}/oauth/v2/token`, {
          method: 'POST',
          headers: FORM,
          body: new URLSearchParams({ grant_type: 'client_credentials', scope: SCOPE, ...post }),
        }),
      );
      expect(jwt!.split('.')).toHaveLength(3);

      for (const token of [opaque!, jwt!]) {
        const bearer = { Authorization: `Bearer ${token}` };
        expect((await ok(await fetch(`${base}/management/v1/orgs/me`, { headers: bearer }))).org).toMatchObject({ id: orgId });
        await ok(await fetch(`${base}/oidc/v1/userinfo`, { headers: bearer }));
        expect(
          await ok(
            await fetch(`${base}/oauth/v2/introspect`, { method: 'POST', headers: { ...FORM, Authorization: basic }, body: new URLSearchParams({ token }) }),
          ),
        ).toMatchObject({ active: true });
        // Credentials where they do not belong: in query strings, which are never logged.
        expect((await fetch(`${base}/oidc/v1/userinfo?access_token=${token}`)).status).toBe(401);
        expect((await fetch(`${base}/management/v1/orgs/me?client_secret=${clientSecret}&password=${encodeURIComponent(ADMIN_PASSWORD)}`)).status).toBe(401);
        await ok(await fetch(`${base}/oauth/v2/revoke`, { method: 'POST', headers: FORM, body: new URLSearchParams({ token, ...post }) }));
        expect((await fetch(`${base}/management/v1/orgs/me`, { headers: bearer })).status).toBe(401);
      }
      // The JWT profile: a key file from the API, its assertion as a grant and as private_key_jwt.
      const { keyDetails } = await ok(
        await fetch(`${base}/management/v1/users/${userId}/keys`, { method: 'POST', headers: operator, body: JSON.stringify({ type: 'KEY_TYPE_JSON' }) }),
      );
      const keyFile = JSON.parse(Buffer.from(keyDetails!, 'base64').toString('utf8')) as { keyId: string; key: string; userId: string };
      const { issuer } = await ok(await fetch(`${base}/.well-known/openid-configuration`));
      const now = Math.floor(Date.now() / 1000);
      const assertion = await new SignJWT({ iss: keyFile.userId, sub: keyFile.userId, aud: issuer, iat: now, exp: now + 300 })
        .setProtectedHeader({ alg: 'RS256', kid: keyFile.keyId })
        .sign(createPrivateKey(keyFile.key));
      const { access_token: profiled } = await ok(
        await fetch(`${base}/oauth/v2/token`, {
          method: 'POST',
          headers: FORM,
          body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', scope: SCOPE, assertion }),
        }),
      );
      const viaKey = { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion };
      expect(
        await ok(await fetch(`${base}/oauth/v2/introspect`, { method: 'POST', headers: FORM, body: new URLSearchParams({ token: profiled!, ...viaKey }) })),
      ).toMatchObject({ active: true });

      // A personal access token, on the Bearer path and through Express.
      const { token: pat } = await ok(await fetch(`${base}/management/v1/users/${userId}/pats`, { method: 'POST', headers: operator, body: '{}' }));
      expect((await ok(await fetch(`${base}/management/v1/orgs/me`, { headers: { Authorization: `Bearer ${pat}` } }))).org).toMatchObject({ id: orgId });
      await ok(
        await fetch(`${base}/management/v1/users/_search`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${pat}`, 'Content-Type': 'application/json' },
          body: '{}',
        }),
      );

      // A wrong secret and a failed sign-in log their failures, not what was sent.
      expect(
        (
          await fetch(`${base}/oauth/v2/token`, {
            method: 'POST',
            headers: FORM,
            body: new URLSearchParams({ grant_type: 'client_credentials', scope: SCOPE, client_id: clientId!, client_secret: `${clientSecret}x` }),
          })
        ).status,
      ).toBe(401);
      expect(
        (
          await fetch(`${base}/api/session`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ username: 'admin', password: `${ADMIN_PASSWORD}!` }),
          })
        ).status,
      ).toBe(401);
      expect((await fetch(`${base}/api/session`, { method: 'DELETE', headers: operator })).status).toBe(204);

      const secrets: Record<string, string> = {
        'client secret': clientSecret!,
        'admin password': ADMIN_PASSWORD,
        'opaque access token': opaque!,
        'JWT access token': jwt!,
        'JWT signature': jwt!.split('.')[2]!,
        'Basic credentials': basic.slice('Basic '.length),
        'session cookie': cookie.split('=')[1]!,
        'session id': /^s%3A([^.]+)\./.exec(cookie.split('=')[1]!)![1]!,
        'CSRF token': csrfToken!,
        // A full line of the PEM's base64 from its end (the CRT values), wherever the PEM went. An earlier
        // line may hold the modulus, which is public and stored as the key's JWK (n): a chance match there.
        'private key': keyFile.key.trim().split('\n').at(-3)!,
        'private exponent': (createPrivateKey(keyFile.key).export({ format: 'jwk' }) as { d: string }).d,
        'key file': keyDetails!.slice(40, 120),
        'JWT-profile assertion': assertion.split('.')[2]!,
        'JWT-profile access token': profiled!,
        'personal access token': pat!,
      };

      const whileRunning = databaseBytes();
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      const afterStop = fs.readFileSync(path.join(dir, 'tessera.db'));

      // Every line the process wrote is a JSON log line (no banner password: it was configured).
      const lines = server
        .output()
        .split('\n')
        .filter((l) => l.trim().startsWith('{'));
      // One line per request, each with its request id (the OAuth routes log it as reqId).
      const logged = lines.map((l) => JSON.parse(l) as { reqId?: string; req?: { id?: string; path?: string } });
      const requests = logged.filter((l) => l.req?.path);
      expect(requests.length).toBeGreaterThanOrEqual(24); // the 24 calls above, and the start-up probe of /healthz
      for (const l of requests) expect(l.reqId ?? l.req?.id).toMatch(/^[0-9a-f-]{36}$/);
      const output = server.output();
      for (const [what, value] of Object.entries(secrets)) {
        expect(output.includes(value), `${what} in the log`).toBe(false);
        // The session's id and CSRF token live in the sessions table by design; nothing else may.
        if (what.startsWith('session') || what === 'CSRF token') continue;
        expect(whileRunning.includes(Buffer.from(value)), `${what} in the database or its WAL`).toBe(false);
        expect(afterStop.includes(Buffer.from(value)), `${what} in the database file`).toBe(false);
      }
    },
  );
});
