import type { Config } from './config.js';
import type { AccessTokenVerifier } from './domain/access-token.js';
import { Authorizer } from './domain/permissions.js';
import { createLogger, type Logger } from './logger.js';
import { FailureLimiter } from './security/failure-limiter.js';
import type { Db } from './storage/db.js';
import { SqliteSessionStore } from './storage/session-store.js';
import { instanceSecret } from './storage/settings.js';

/** Everything a request handler may need, built once per app. */
export interface AppContext {
  config: Config;
  db: Db;
  logger: Logger;
  authorizer: Authorizer;
  sessionStore: SqliteSessionStore;
  sessionSecret: Buffer;
  /** HMAC key for client secrets. */
  secretKey: Buffer;
  accessTokens: AccessTokenVerifier;
  /**
   * Console sign-in failures: 5 per (address, username) and 50 per address in 15 minutes, so a
   * guesser is slowed while others behind the same address can still sign in.
   */
  loginLimits: { pair: FailureLimiter; address: FailureLimiter };
  /** Things to stop when the app closes (timers, caches). */
  onClose: (() => void)[];
}

export function createContext(config: Config, db: Db, logger: Logger = createLogger(config.logLevel)): AppContext {
  const sessionStore = new SqliteSessionStore(db, config.sessionIdleMs);
  const loginLimits = { pair: new FailureLimiter(5, 15 * 60_000), address: new FailureLimiter(50, 15 * 60_000) };
  return {
    config,
    db,
    logger,
    authorizer: new Authorizer(db),
    sessionStore,
    sessionSecret: instanceSecret(db, 'session_secret'),
    secretKey: instanceSecret(db, 'client_secret_hmac_key'),
    // Replaced by the OAuth module when it is mounted (see app.ts).
    accessTokens: { verify: async () => null },
    loginLimits,
    onClose: [() => sessionStore.close(), () => loginLimits.pair.close(), () => loginLimits.address.close()],
  };
}

export function closeContext(ctx: AppContext): void {
  for (const fn of ctx.onClose.splice(0)) fn();
}
