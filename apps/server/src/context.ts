import cluster from 'node:cluster';
import type { Config } from './config.js';
import { NO_METRICS, PrometheusMetrics, type Metrics } from './http/metrics.js';
import type { AccessTokenVerifier } from './domain/access-token.js';
import { fillKeyJwks } from './domain/machine-keys/keys.js';
import { OrgViews } from './domain/orgs/queries.js';
import { PersonalAccessTokens } from './domain/pats/pats.js';
import { SecretUsage } from './domain/secrets/usage.js';
import { Authorizer } from './domain/permissions.js';
import { AccessTokens } from './domain/tokens/access-tokens.js';
import { createLogger, type Logger } from './logger.js';
import { MemoryGate, SharedGate, type AttemptGate, type AttemptLimits } from './security/attempt-gate.js';
import type { KeyRing } from './security/key-ring.js';
import type { InstanceKeys } from './storage/instance-keys.js';
import { openInstanceKeys } from './storage/open-instance-keys.js';
import type { Storage } from './storage/port.js';
import { DbSessionStore } from './storage/session-store.js';

/** Everything a request handler may need, built once per app. */
export interface AppContext {
  config: Config;
  storage: Storage;
  logger: Logger;
  authorizer: Authorizer;
  /** GetMyOrg's reads, until the database changes. */
  orgViews: OrgViews;
  sessionStore: DbSessionStore;
  /** Session cookie secrets, current first; the array is updated in place when the key is rotated. */
  sessionSecrets: string[];
  /** HMAC keys for client secrets: the current one hashes, each kept one checks the hashes it made. */
  secretKey: KeyRing;
  /** The instance keys (unwrapped under the master key, if one is configured). */
  instanceKeys: InstanceKeys;
  accessTokens: AccessTokenVerifier;
  /** Service users' personal access tokens, as Bearer credentials on the management API. */
  pats: PersonalAccessTokens;
  /** Issues, verifies and revokes access tokens; holds the signing keys in memory. */
  tokens: AccessTokens;
  /**
   * Console sign-in attempts, counted before they are checked: 5 per (address, username) and 50 per
   * address in 15 minutes, so a guesser is slowed while others behind the same address can still
   * sign in. At most 50,000 keys each; at the cap the key counted least recently is forgotten.
   * That is safe because every new key costs a checked attempt, i.e. a password hash, and at most
   * 2 run at once (domain/passwords.ts): at scrypt's ~0.3 s or more per hash, one window admits a
   * few thousand new keys, far from the cap, so a key still inside its window is never forgotten.
   */
  loginGate: AttemptGate;
  /**
   * OAuth client authentication failures (token, introspection, revocation): 10 per
   * (client_id, address) and 100 per address in 15 minutes. A client secret has ~380 bits, so this
   * is not what stops guessing; it keeps a broken or hostile caller from burning CPU, while a
   * client authenticating from another address is never affected. At most 20,000 keys each (about
   * 30 MB in all at worst); at the cap the key counted least recently is forgotten. Flooding the map to
   * forget one address's count takes 20,000 failed requests to win back at most 100 of them, and
   * the secret's strength, not this count, is what stops guessing.
   */
  clientAuthGate: AttemptGate;
  /** Uses of each client secret, counted in memory and written in batches (never on the token path). */
  secretUsage: SecretUsage;
  /** What operators graph (http/metrics.ts): Prometheus counters when TESSERA_METRICS_TOKEN is set, else no-ops. */
  metrics: Metrics;
  /** Things to stop when the app closes (timers, caches, counts not yet written), in order. */
  onClose: (() => void | Promise<void>)[];
}

export async function createContext(config: Config, storage: Storage, logger: Logger = createLogger(config.logLevel)): Promise<AppContext> {
  // First: it may refuse to start (wrong or missing master key), and wrapping keys in place
  // vacuums a SQLite file, which must happen before anything holds a rowid.
  const instanceKeys = await openInstanceKeys(storage, {
    masterKey: config.masterKey,
    wrapInPlace: true,
    logger,
    production: process.env.NODE_ENV === 'production',
  });
  const sessionStore = new DbSessionStore(storage, config.sessionIdleMs);
  const fifteenMinutes = 15 * 60_000;
  // One process (SQLite) counts in memory; processes sharing the database (PostgreSQL's nodes, the
  // cluster workers of TESSERA_WORKERS) count in its throttles table.
  const shared = storage.engine === 'pg' || cluster.isWorker;
  const gate = (namespace: string, limits: AttemptLimits) => (shared ? new SharedGate(storage, namespace, limits) : new MemoryGate(limits));
  const loginGate = gate('signin', { pair: 5, address: 50, windowMs: fifteenMinutes, maxKeys: 50_000 });
  const clientAuthGate = gate('client', { pair: 10, address: 100, windowMs: fifteenMinutes, maxKeys: 20_000 });
  await fillKeyJwks(storage);
  const tokens = await AccessTokens.open(storage, instanceKeys, config);
  const secretKey = instanceKeys.ring('client-secret-hmac');
  const secretUsage = new SecretUsage(storage, logger);
  const metrics = config.metricsToken ? new PrometheusMetrics() : NO_METRICS;
  storage.onFailure = (failure) => metrics.databaseError(failure);
  return {
    config,
    storage,
    logger,
    authorizer: new Authorizer(storage),
    orgViews: new OrgViews(storage),
    sessionStore,
    sessionSecrets: instanceKeys.sessionSecrets,
    secretKey,
    instanceKeys,
    accessTokens: tokens,
    pats: new PersonalAccessTokens(storage, secretKey),
    tokens,
    loginGate,
    clientAuthGate,
    secretUsage,
    metrics,
    onClose: [
      () => secretUsage.close(),
      () => sessionStore.close(),
      () => loginGate.close(),
      () => clientAuthGate.close(),
      () => tokens.close(),
      () => instanceKeys.close(),
    ],
  };
}

/** Stops what the context started; call before the storage closes (counts are written on the way). */
export async function closeContext(ctx: AppContext): Promise<void> {
  for (const fn of ctx.onClose.splice(0)) await fn();
}
