import { ConfigError, loadConfig, type Config } from '../config.js';
import { rotateInstanceKey, type InstanceKeyRotation } from '../domain/keys/rotate-instance-key.js';
import { PUBLISH_GRACE_SECONDS, rotateSigningKey, SIGNING_KEY_STAGE_SECONDS } from '../domain/tokens/signing-keys.js';
import type { InstanceKeys } from '../storage/instance-keys.js';
import { openStorage } from '../storage/open.js';
import type { Storage } from '../storage/port.js';
import { readMasterKey } from '../security/master-key-source.js';
import { KEY_PURPOSES, type KeyPurpose } from '../storage/instance-keys.js';
import { openInstanceKeys } from '../storage/open-instance-keys.js';
import { rewrapKeys } from '../storage/rewrap-keys.js';
import type { Command } from './command.js';

const KINDS = ['signing', ...KEY_PURPOSES, 'master'] as const;
type Kind = (typeof KINDS)[number];
const RETIRE_NOW: readonly Kind[] = ['signing', 'opaque'];
const NOTICED = 'A running server uses the new key within a second; no restart is needed.';

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

/**
 * A new key for the database (TESSERA_DATABASE_URL, or TESSERA_DB, which must exist). Run with the server's environment
 * (TESSERA_DB, the master key, TESSERA_JWT_ALG, TESSERA_ACCESS_TOKEN_LIFETIME). What each rotation
 * does to clients is in its output and in the README (Operations).
 */
export const rotateKeyCommand: Command = {
  name: 'rotate-key',
  args: [`<${KINDS.join('|')}>`, '[--retire-now]'],
  summary: 'a new key for JWTs, BEARER tokens, console sessions, client secret hashes, or the master key',
  async run([given, flag], env) {
    const kind = KINDS.find((k) => k === given);
    if (!kind) throw new Error(`rotate-key: unknown key "${given}"; one of ${KINDS.join(', ')}`);
    if (flag !== undefined && flag !== '--retire-now') throw new Error(`rotate-key: unknown option "${flag}"; only --retire-now`);
    const retireNow = flag === '--retire-now';
    if (retireNow && !RETIRE_NOW.includes(kind)) throw new Error(`rotate-key: --retire-now applies to ${RETIRE_NOW.join(' and ')} keys only`);
    const config = loadConfig(env);
    const newMasterKey = kind === 'master' ? readNewMasterKey(env, config) : undefined;
    const storage = await openStorage(config, { existing: true });
    try {
      const keys = await openInstanceKeys(storage, { masterKey: config.masterKey, wrapInPlace: false });
      try {
        if (kind === 'master') return await rotateMaster(storage, config, newMasterKey!);
        if (kind === 'signing') return await rotateSigning(storage, keys, config, retireNow);
        return describe(await rotateInstanceKey(storage, keys, kind, { lifetimeSeconds: config.accessTokenLifetimeSeconds, retireNow }));
      } finally {
        keys.close();
      }
    } finally {
      await storage.close();
    }
  },
};

/** The new master key, from TESSERA_NEW_MASTER_KEY or TESSERA_NEW_MASTER_KEY_FILE (the same rules as the current one). */
function readNewMasterKey(env: NodeJS.ProcessEnv, config: Config) {
  const given = (name: string) => (env[name] === '' ? undefined : env[name]);
  const names = { inline: 'TESSERA_NEW_MASTER_KEY', file: 'TESSERA_NEW_MASTER_KEY_FILE' };
  const { key, problems } = readMasterKey(given(names.inline), given(names.file), names);
  if (problems.length) throw new ConfigError(problems);
  if (!config.masterKey) {
    throw new ConfigError([
      'TESSERA_MASTER_KEY_FILE: set it (or TESSERA_MASTER_KEY) to the current master key; a first master key is set by starting Tessera with it',
    ]);
  }
  if (!key) throw new ConfigError(['TESSERA_NEW_MASTER_KEY_FILE: set it (or TESSERA_NEW_MASTER_KEY) to the new master key']);
  if (key.sameAs(config.masterKey)) throw new ConfigError(['TESSERA_NEW_MASTER_KEY_FILE: the new master key is the current one']);
  return key;
}

async function rotateMaster(storage: Storage, config: Config, to: NonNullable<Config['masterKey']>): Promise<string> {
  const n = await rewrapKeys(storage, config.masterKey!, to);
  return (
    `Re-wrapped ${n} keys with the new master key; the keys themselves are unchanged, so no token, session or secret is affected.\n` +
    'Now give the server the new key (TESSERA_MASTER_KEY_FILE or TESSERA_MASTER_KEY) and restart it: from now on the database opens\n' +
    'only with the new key. A server still running with the old one keeps the keys it holds, but cannot read keys rotated from now on.\n' +
    'Backups made before this still open only with the old master key: keep it as long as you keep them.\n'
  );
}

async function rotateSigning(storage: Storage, keys: InstanceKeys, config: Config, retireNow: boolean): Promise<string> {
  const stageSeconds = retireNow ? 0 : SIGNING_KEY_STAGE_SECONDS;
  const r = await rotateSigningKey(storage, keys, config.jwtAlg, config.accessTokenLifetimeSeconds, { retireNow, stageSeconds });
  const activation = Math.floor(Date.now() / 1000) + stageSeconds;
  const until = activation + config.accessTokenLifetimeSeconds + PUBLISH_GRACE_SECONDS;
  const lines = [
    stageSeconds
      ? `New signing key ${r.kid} (${r.alg}) is published now and signs JWT access tokens from ${iso(activation)}, once every node serves it in its JWKS.`
      : `New signing key ${r.kid} (${r.alg}) now signs JWT access tokens.`,
  ];
  if (r.retired.length) {
    lines.push(
      `Retired ${r.retired.join(', ')} from then on: its private key is deleted; its public key stays published until ${iso(until)}, so the tokens it signed stay valid until they expire.`,
    );
  }
  if (r.withdrawn.length) {
    lines.push(
      `Withdrew ${r.withdrawn.join(', ')}: deleted at once, so every JWT they signed is refused from now on; clients get new tokens from the token endpoint.`,
    );
  }
  if (r.pruned.length) lines.push(`Removed expired keys ${r.pruned.join(', ')}.`);
  lines.push(NOTICED);
  return `${lines.join('\n')}\n`;
}

const WHAT: Record<KeyPurpose, string> = {
  opaque: 'opaque-token key, which seals BEARER access tokens',
  session: 'session key, which signs console session cookies',
  'client-secret-hmac': 'client-secret key, which hashes client secrets',
};

function describe(r: InstanceKeyRotation): string {
  const lines = [`New ${WHAT[r.purpose]}: key ${r.id} (was key ${r.previous}).`];
  if (r.purpose === 'opaque') {
    lines.push(
      r.keptUntil !== undefined
        ? `Key ${r.previous} still opens the tokens it sealed until ${iso(r.keptUntil)} (their lifetime), then is deleted.`
        : `Deleted key ${r.deleted.join(', ')} at once: every BEARER token it sealed is refused from now on; clients get new tokens from the token endpoint.`,
    );
  }
  if (r.purpose === 'session') {
    lines.push(`Deleted key ${r.deleted.join(', ')} and signed out ${r.signedOut} console session(s): operators sign in again.`);
  }
  if (r.purpose === 'client-secret-hmac') {
    lines.push(
      r.awaitingRehash
        ? `${r.awaitingRehash} client secret(s) are still hashed with an older key: each is re-hashed with key ${r.id} the next time its client authenticates (or when a new secret is generated), and the older key is deleted once no secret needs it. Clients notice nothing.`
        : r.tokensOnOlderKeys
          ? `Kept key ${r.previous}: no client secret needs it, but personal access tokens made with it do.`
          : `Deleted key ${r.previous}: no client secret or personal access token needed it.`,
    );
    if (r.tokensOnOlderKeys) {
      lines.push(
        `${r.tokensOnOlderKeys} personal access token(s) are hashed with an older key, which is kept until the last of them is removed or expires. They keep working.`,
      );
    }
  }
  lines.push(NOTICED);
  return `${lines.join('\n')}\n`;
}
