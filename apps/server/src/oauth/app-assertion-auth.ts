import { createPublicKey, type JsonWebKeyInput } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../context.js';
import { hasExpired } from '../domain/expiration.js';
import { proxyTrust, throttleKeys } from '../security/client-address.js';
import { appKeyLookup } from './app-lookup.js';
import { assertionAuthenticator, checkClaims, dummyKeys, firstUse, readAssertion, verifySignature } from './assertion-auth.js';
import type { IntrospectingClient } from './client-auth.js';
import { InvalidClient, InvalidRequest } from './errors.js';
import { throttled } from './throttled.js';

const KEY_KIND = { RS256: 'rsa', ES256: 'ec' } as const;
const FAILED = 'the assertion could not be verified with a key of its subject';

/**
 * private_key_jwt at the introspection endpoint: an assertion signed with a PRIVATE_KEY_JWT
 * application's key (iss and sub its client_id, kid the key file's keyId), or else with a service
 * user's key (assertion-auth.ts). The application's key is read first, a decoy's when the kid is none
 * of theirs, so a service user's assertion and an unknown kid cost the same; then the checks of
 * assertion-auth.ts, under the same throttles.
 */
export function introspectionAssertionAuthenticator(ctx: AppContext): (req: IncomingMessage, assertion: string | undefined) => Promise<IntrospectingClient> {
  const findAppKey = appKeyLookup(ctx.storage);
  const byUserKey = assertionAuthenticator(ctx);
  const trust = proxyTrust(ctx.config.trustProxy);
  const audiences = new Set([ctx.config.issuer, `${ctx.config.issuer}/oauth/v2/token`, `${ctx.config.issuer}/oauth/v2/introspect`]);

  return async (req, assertion) => {
    const refuse = (description: string) => {
      ctx.metrics.clientAuthFailed('bad_assertion');
      return new InvalidClient(description);
    };
    if (!assertion) throw new InvalidRequest('client_assertion missing');
    const { kid, alg, claims } = readAssertion(assertion, refuse);
    checkClaims(claims, audiences, refuse);
    const { pairKey, ip } = throttleKeys(trust, req, claims.sub!);
    const checked = await ctx.clientAuthGate.check(pairKey, ip, async () => ({ result: await findAppKey(kid) }));
    if (checked.wait > 0) throw throttled(ctx, checked.wait);
    const { found, row: read } = checked.result!;
    if (!found) return { kind: 'user', client: await byUserKey(req, assertion, 'client') };
    const parsed = createPublicKey({ key: JSON.parse(read!.public_jwk) as JsonWebKeyInput['key'], format: 'jwk' });
    const fits = parsed.asymmetricKeyType === KEY_KIND[alg];
    const signed = verifySignature(assertion, alg, fits ? parsed : (await dummyKeys())[alg]);
    if (!fits || !signed || claims.sub !== read!.client_id) {
      const over = await ctx.clientAuthGate.failed(pairKey, ip);
      if (over > 0) throw throttled(ctx, over);
      throw refuse(FAILED);
    }
    ctx.clientAuthGate.passed(pairKey).catch((err: unknown) => ctx.logger.warn({ err }, 'could not clear a client authentication count'));
    if (hasExpired(read!.expiration_date)) throw refuse('the key has expired');
    if (claims.jti !== undefined && !(await firstUse(ctx, read!.app_id, claims.jti, claims.exp!))) {
      throw refuse('the assertion was already used (jti): sign a new one for each request');
    }
    return { kind: 'app', app: { appId: read!.app_id, clientId: read!.client_id, projectId: read!.project_id, orgId: read!.org_id } };
  };
}
