import type { IncomingMessage } from 'node:http';
import type { AccessTokenType } from '@tessera/contracts';
import type { AppContext } from '../context.js';
import { hasExpired } from '../domain/expiration.js';
import { hashClientSecret, matchClientSecret, type StoredSecret } from '../domain/secrets/hash.js';
import { rehashClientSecret } from '../domain/secrets/rehash.js';
import { proxyTrust, throttleKeys } from '../security/client-address.js';
import { assertionAuthenticator, JWT_BEARER_CLIENT_ASSERTION, type AssertionAuthenticator } from './assertion-auth.js';
import { throttled } from './throttled.js';
import { parseBasicAuthorization, type ClientCredentials } from './basic-auth.js';
import { introspectionAssertionAuthenticator } from './app-assertion-auth.js';
import { appLookup } from './app-lookup.js';
import { clientLookup, type ClientIdentity, type ClientSecret } from './client-lookup.js';
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
  const authenticate = secretAuthenticator(ctx, false);
  const byAssertion = assertionAuthenticator(ctx);
  return async (req, form) => {
    if (form.get('client_assertion_type') !== undefined || form.get('client_assertion') !== undefined) return privateKeyJwt(req, form, byAssertion);
    return ((await authenticate(req, form)) as { kind: 'user'; client: AuthenticatedClient }).client;
  };
}

/** An API application that proved its secret: it may introspect the tokens whose audience holds its project. */
export interface AuthenticatedApp {
  appId: string;
  clientId: string;
  projectId: string;
  orgId: string;
}

export type IntrospectingClient = { kind: 'user'; client: AuthenticatedClient } | { kind: 'app'; app: AuthenticatedApp };

/**
 * The introspection endpoint's clients: a service user (its own tokens), or an API application
 * (client_secret_basic or client_secret_post). Both lookups run for every attempt, whichever exists,
 * under the same throttles, so the cost says nothing about which kind of client a name is, or whether it exists.
 */
export function introspectionClientAuthenticator(ctx: AppContext): (req: IncomingMessage, form: FormParams) => Promise<IntrospectingClient> {
  const authenticate = secretAuthenticator(ctx, true);
  const byAssertion = introspectionAssertionAuthenticator(ctx);
  return async (req, form) => {
    if (form.get('client_assertion_type') !== undefined || form.get('client_assertion') !== undefined) {
      checkAssertionForm(req, form);
      const client = await byAssertion(req, form.get('client_assertion'));
      const postId = form.get('client_id');
      const names = client.kind === 'app' ? [client.app.clientId] : [client.client.userId, client.client.clientId.toLowerCase()];
      if (postId !== undefined && !names.includes(postId) && !names.includes(postId.toLowerCase())) {
        throw new InvalidClient('client_id does not name the subject of client_assertion');
      }
      return client;
    }
    return authenticate(req, form);
  };
}

function secretAuthenticator(ctx: AppContext, withApps: boolean): (req: IncomingMessage, form: FormParams) => Promise<IntrospectingClient> {
  const byUsername = clientLookup(ctx.storage);
  const byAppClientId = appLookup(ctx.storage);
  const trust = proxyTrust(ctx.config.trustProxy);

  return async (req, form) => {
    const credentials = presentedCredentials(req, form);
    const { pairKey, ip } = throttleKeys(trust, req, credentials?.clientId ?? '');
    // Refused before the secret is checked once a limit is reached; where the counts live in a table
    // they are read in the lookup's own statement. A failure is counted as it happens, and one that
    // goes past a limit is answered as refused, so of N parallel wrong secrets exactly the limit get 401.
    const checked = await ctx.clientAuthGate.check(pairKey, ip, async (column) => {
      if (!credentials) return { result: { row: undefined, app: undefined } };
      const [user, app] = withApps
        ? await Promise.all([byUsername(credentials.clientId, column), byAppClientId(credentials.clientId)])
        : [await byUsername(credentials.clientId, column), undefined];
      return { result: { row: user.result, app }, column: user.column };
    });
    if (checked.wait > 0) throw throttled(ctx, checked.wait);
    const { row, app } = checked.result ?? { row: undefined, app: undefined };
    await ctx.instanceKeys.fresh();
    const appSecrets: StoredSecret[] = app?.secret_hash ? [{ id: app.id, hash: app.secret_hash, key_id: app.secret_key_id! }] : [];
    const secret = app
      ? matchClientSecret(ctx.secretKey, credentials?.clientSecret ?? '', appSecrets)
      : matchClientSecret(ctx.secretKey, credentials?.clientSecret ?? '', row?.secrets ?? []);
    if (!credentials || !(row || app) || !secret) {
      const known = app ? appSecrets.length : row?.secrets.length;
      ctx.metrics.clientAuthFailed(!credentials ? 'no_credentials' : known ? 'wrong_secret' : 'unknown_client');
      const over = await ctx.clientAuthGate.failed(pairKey, ip);
      if (over > 0) throw throttled(ctx, over);
      throw credentials ? new InvalidClient(FAILED) : noCredentials(req);
    }
    if (app) {
      ctx.clientAuthGate.passed(pairKey).catch((err: unknown) => ctx.logger.warn({ err }, 'could not clear a client authentication count'));
      if (secret.key_id !== ctx.secretKey.current.id) {
        await rehashAppSecret(ctx, app.id, secret.key_id, credentials.clientSecret);
        await ctx.instanceKeys.prune();
      }
      return { kind: 'app', app: { appId: app.id, clientId: app.client_id, projectId: app.project_id, orgId: app.org_id } };
    }
    const userSecret = secret as ClientSecret;
    // A secret that no longer works, proven by whoever still holds it: a job not yet moved to its
    // successor, not a guess. Told why, and not counted, so it cannot throttle the successor's jobs
    // on the same host (the count is per client and address).
    if (hasExpired(userSecret.expires_at)) {
      ctx.metrics.clientAuthFailed('retired_secret');
      throw new InvalidClient(await retiredBecause(ctx, userSecret.id));
    }
    // Cleared without holding up the answer; a late clear only keeps the count stricter for a moment.
    ctx.clientAuthGate.passed(pairKey).catch((err: unknown) => ctx.logger.warn({ err }, 'could not clear a client authentication count'));
    // Made with a key rotated out since: re-hashed with the current key now that the secret is known.
    if (userSecret.key_id !== ctx.secretKey.current.id) {
      await rehashClientSecret(ctx.storage, ctx.secretKey, userSecret, credentials.clientSecret);
      await ctx.instanceKeys.prune(); // the old key goes with the last hash that needed it
    }
    // Only now, with the secret proven, may the answer say anything about the user's state.
    if (row!.state !== 'USER_STATE_ACTIVE') throw new UnauthorizedClient('the service user is deactivated');
    // Counted in memory and written in batches, never on this path (domain/secrets/usage.ts).
    ctx.secretUsage.record(userSecret.id, ip);
    return { kind: 'user', client: authenticatedClient(row!) };
  };
}

/** An application's secret made with a key rotated out since, hashed again with the current one. */
async function rehashAppSecret(ctx: AppContext, appId: string, oldKeyId: number, secret: string): Promise<void> {
  const { id, key } = ctx.secretKey.current;
  await ctx.storage.run('UPDATE api_apps SET secret_hash = ?, secret_key_id = ? WHERE id = ? AND secret_key_id = ?', [
    hashClientSecret(key, secret),
    id,
    appId,
    oldKeyId,
  ]);
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
  checkAssertionForm(req, form);
  const client = await byAssertion(req, form.get('client_assertion'), 'client');
  const postId = form.get('client_id');
  if (postId !== undefined && postId !== client.userId && postId.toLowerCase() !== client.clientId.toLowerCase()) {
    throw new InvalidClient('client_id does not name the subject of client_assertion');
  }
  return client;
}

function checkAssertionForm(req: IncomingMessage, form: FormParams): void {
  if (form.get('client_assertion_type') !== JWT_BEARER_CLIENT_ASSERTION) {
    throw new InvalidClient(`client_assertion_type must be ${JWT_BEARER_CLIENT_ASSERTION}`);
  }
  if (req.headers.authorization !== undefined || form.get('client_secret') !== undefined) {
    throw new InvalidRequest('client authentication must not use more than one method');
  }
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
