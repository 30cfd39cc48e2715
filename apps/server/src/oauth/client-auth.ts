import type { IncomingMessage } from 'node:http';
import type { AccessTokenType } from '@tessera/contracts';
import type { AppContext } from '../context.js';
import { hasExpired } from '../domain/expiration.js';
import { matchClientSecret } from '../domain/secrets/hash.js';
import { rehashClientSecret } from '../domain/secrets/rehash.js';
import { proxyTrust, throttleKeys } from '../security/client-address.js';
import { assertionAuthenticator, JWT_BEARER_CLIENT_ASSERTION, type AssertionAuthenticator } from './assertion-auth.js';
import { throttled } from './throttled.js';
import { parseBasicAuthorization, type ClientCredentials } from './basic-auth.js';
import { clientLookup, type ClientIdentity } from './client-lookup.js';
import { InvalidClient, InvalidRequest, UnauthorizedClient } from './errors.js';
import type { FormParams } from './form.js';

/** A service user that proved its secret and may be given tokens. */
export interface AuthenticatedClient {
  userId: string;
  /** The username as stored (the client_id, whatever case the client sent). */
  clientId: string;
  orgId: string;
  primaryDomain: string;
  accessTokenType: AccessTokenType;
  /** Its token generation, as read with its credentials: the tokens it is issued now carry it. */
  tokenGeneration: number;
}

/** What a proven client is to the rest of the token endpoint, from its row (a secret's or a key's lookup). */
export function authenticatedClient(row: ClientIdentity): AuthenticatedClient {
  return {
    userId: row.id,
    clientId: row.username,
    orgId: row.org_id,
    primaryDomain: row.primary_domain,
    accessTokenType: row.access_token_type,
    tokenGeneration: row.token_generation,
  };
}

/** Unknown client, wrong secret, no secret, human user: one answer, so none can be told apart. */
const FAILED = 'client authentication failed';

/**
 * client_secret_basic or client_secret_post (never both), throttled per (client_id, address) and
 * per address. Every attempt costs one full row read (client-lookup.ts) and one HMAC, whether
 * the client exists or not, so neither the answer nor its timing says which usernames exist.
 * While a rotation overlaps, the secret is compared with each of the client's under that one HMAC.
 * private_key_jwt goes to the assertion authenticator (assertion-auth.ts), throttled alike.
 */
export function clientAuthenticator(ctx: AppContext): (req: IncomingMessage, form: FormParams) => Promise<AuthenticatedClient> {
  const byUsername = clientLookup(ctx.storage);
  const trust = proxyTrust(ctx.config.trustProxy);
  const byAssertion = assertionAuthenticator(ctx);

  return async (req, form) => {
    if (form.get('client_assertion_type') !== undefined || form.get('client_assertion') !== undefined) return privateKeyJwt(req, form, byAssertion);
    const credentials = presentedCredentials(req, form);
    const { pairKey, ip } = throttleKeys(trust, req, credentials?.clientId ?? '');
    // Refused before the secret is checked once a limit is reached; where the counts live in a table
    // they are read in the lookup's own statement. A failure is counted as it happens, and one that
    // goes past a limit is answered as refused, so of N parallel wrong secrets exactly the limit get 401.
    const checked = await ctx.clientAuthGate.check(pairKey, ip, async (column) =>
      credentials ? byUsername(credentials.clientId, column) : { result: undefined },
    );
    if (checked.wait > 0) throw throttled(ctx, checked.wait);
    const row = checked.result;
    await ctx.instanceKeys.fresh();
    const secret = matchClientSecret(ctx.secretKey, credentials?.clientSecret ?? '', row?.secrets ?? []);
    if (!credentials || !row || !secret) {
      ctx.metrics.clientAuthFailed(!credentials ? 'no_credentials' : row?.secrets.length ? 'wrong_secret' : 'unknown_client');
      const over = await ctx.clientAuthGate.failed(pairKey, ip);
      if (over > 0) throw throttled(ctx, over);
      throw credentials ? new InvalidClient(FAILED) : noCredentials(req);
    }
    // A secret that no longer works, proven by whoever still holds it: a job not yet moved to its
    // successor, not a guess. Told why, and not counted, so it cannot throttle the successor's jobs
    // on the same host (the count is per client and address).
    if (hasExpired(secret.expires_at)) {
      ctx.metrics.clientAuthFailed('retired_secret');
      throw new InvalidClient(await retiredBecause(ctx, secret.id));
    }
    // Cleared without holding up the answer; a late clear only keeps the count stricter for a moment.
    ctx.clientAuthGate.passed(pairKey).catch((err: unknown) => ctx.logger.warn({ err }, 'could not clear a client authentication count'));
    // Made with a key rotated out since: re-hashed with the current key now that the secret is known.
    if (secret.key_id !== ctx.secretKey.current.id) {
      await rehashClientSecret(ctx.storage, ctx.secretKey, secret, credentials.clientSecret);
      await ctx.instanceKeys.prune(); // the old key goes with the last hash that needed it
    }
    // Only now, with the secret proven, may the answer say anything about the user's state.
    if (row.state !== 'USER_STATE_ACTIVE') throw new UnauthorizedClient('the service user is deactivated');
    // Counted in memory and written in batches, never on this path (domain/secrets/usage.ts).
    ctx.secretUsage.record(secret.id, ip);
    return authenticatedClient(row);
  };
}

/** Why a proven secret no longer works, read only then: revoked, or past the overlap it was kept for. */
async function retiredBecause(ctx: AppContext, secretId: string): Promise<string> {
  const row = await ctx.storage.one<{ revoked_at: string | null }>('SELECT revoked_at FROM machine_secrets WHERE id = ?', [secretId]);
  return row?.revoked_at ? 'the client secret was revoked' : 'the client secret has expired';
}

/** Whether the request carries any client authentication (a header, a client_secret, a client_assertion). */
export function presentsClientAuthentication(req: IncomingMessage, form: FormParams): boolean {
  return req.headers.authorization !== undefined || ['client_secret', 'client_assertion', 'client_assertion_type'].some((p) => form.get(p) !== undefined);
}

/** private_key_jwt (RFC 7523 2.2): the client is the service user whose key signed client_assertion. */
async function privateKeyJwt(req: IncomingMessage, form: FormParams, byAssertion: AssertionAuthenticator): Promise<AuthenticatedClient> {
  if (form.get('client_assertion_type') !== JWT_BEARER_CLIENT_ASSERTION) {
    throw new InvalidClient(`client_assertion_type must be ${JWT_BEARER_CLIENT_ASSERTION}`);
  }
  if (req.headers.authorization !== undefined || form.get('client_secret') !== undefined) {
    throw new InvalidRequest('client authentication must not use more than one method');
  }
  const client = await byAssertion(req, form.get('client_assertion'), 'client');
  const postId = form.get('client_id');
  if (postId !== undefined && postId !== client.userId && postId.toLowerCase() !== client.clientId.toLowerCase()) {
    throw new InvalidClient('client_id does not name the subject of client_assertion');
  }
  return client;
}

/** The credentials of whichever single method the client used; null when there are none or they are malformed. */
function presentedCredentials(req: IncomingMessage, form: FormParams): ClientCredentials | null {
  const header = req.headers.authorization;
  const postId = form.get('client_id');
  const postSecret = form.get('client_secret');
  if (header !== undefined) {
    if (postSecret !== undefined) throw new InvalidRequest('client authentication must not use more than one method');
    const basic = parseBasicAuthorization(header);
    // RFC 6749 2.3.1 lets the body repeat client_id; it must then name the same client.
    if (basic && postId !== undefined && postId.toLowerCase() !== basic.clientId.toLowerCase()) {
      throw new InvalidRequest('client_id does not match the Authorization header');
    }
    return basic;
  }
  if (postId !== undefined && postSecret !== undefined) return { clientId: postId, clientSecret: postSecret };
  return null;
}

function noCredentials(req: IncomingMessage): InvalidClient {
  if (req.headers.authorization !== undefined) return new InvalidClient('the Authorization header is not valid Basic credentials');
  return new InvalidClient('client authentication required: send HTTP Basic credentials or client_id and client_secret');
}
