import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../config.js';
import { PUBLISH_GRACE_SECONDS, rotateSigningKey } from '../domain/tokens/signing-keys.js';
import { openDatabase } from '../storage/db.js';
import { migrate } from '../storage/migrate.js';

/**
 * Rotates the JWT signing key of the instance in TESSERA_DB:
 *   node apps/server/dist/cli/rotate-signing-key.js
 * The new key (TESSERA_JWT_ALG) signs from now on; the old one stays published until its last
 * token has expired. A running server notices within 30 seconds; no restart is needed.
 */
export function rotateSigningKeyCli(env: NodeJS.ProcessEnv = process.env): string {
  const config = loadConfig(env);
  const db = openDatabase(config.dbFile);
  try {
    migrate(db);
    const r = rotateSigningKey(db, config.jwtAlg, config.accessTokenLifetimeSeconds);
    const until = new Date((Math.floor(Date.now() / 1000) + config.accessTokenLifetimeSeconds + PUBLISH_GRACE_SECONDS) * 1000);
    const lines = [`New signing key ${r.kid} (${r.alg}) now signs JWT access tokens.`];
    if (r.retired.length) lines.push(`Retired ${r.retired.join(', ')}: still published until ${until.toISOString()}.`);
    if (r.pruned.length) lines.push(`Removed expired keys ${r.pruned.join(', ')}.`);
    return `${lines.join('\n')}\n`;
  } finally {
    db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.stdout.write(rotateSigningKeyCli());
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : `Key rotation failed: ${(err as Error).message}`}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  }
}
