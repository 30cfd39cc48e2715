import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { corsOriginsSchema } from './http/cors.js';
import { invalidProxyEntry, type TrustProxy } from './security/client-address.js';
import type { MasterKey } from './security/envelope.js';
import { readMasterKey } from './security/master-key-source.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const envSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  TESSERA_DB: z.string().min(1).default('./data/tessera.db'),
  TESSERA_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (unset: SQLite at TESSERA_DB)')
    .optional(),
  TESSERA_ISSUER: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  TESSERA_ORG_NAME: z.string().trim().min(1).max(200).default('Tessera'),
  TESSERA_ADMIN_USERNAME: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{1,199}$/, 'must be 2-200 letters, digits or . _ @ -')
    .default('admin'),
  TESSERA_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').max(1024).optional(),
  TESSERA_ACCESS_TOKEN_LIFETIME: positiveInt.max(31 * 24 * 3600).default(12 * 3600),
  TESSERA_JWT_ALG: z.enum(['ES256', 'RS256']).default('ES256'),
  TESSERA_SESSION_IDLE_MINUTES: positiveInt.max(7 * 24 * 60).default(60),
  TESSERA_SESSION_MAX_HOURS: positiveInt.max(30 * 24).default(12),
  TESSERA_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  TESSERA_CONSOLE_DIR: z.string().min(1).optional(),
  TESSERA_CORS_ORIGINS: corsOriginsSchema.optional(),
  TESSERA_TRUST_PROXY: z.string().trim().default('false').transform(trustProxySetting),
  TESSERA_MASTER_KEY: z.string().optional(),
  TESSERA_MASTER_KEY_FILE: z.string().optional(),
  TESSERA_METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').max(1024).optional(),
  TESSERA_WORKERS: positiveInt.max(256).optional(),
});

/**
 * false, a number of proxy hops, or the proxies' addresses and CIDR ranges. Never "true": trusting
 * every X-Forwarded-For entry makes the client address the left-most one, which the client writes
 * itself, so anyone could pick a fresh address per request and step around the throttles.
 */
function trustProxySetting(value: string, ctx: z.RefinementCtx): TrustProxy {
  if (value === 'false') return false;
  if (value === 'true') {
    ctx.addIssue({
      code: 'custom',
      message:
        '"true" would trust every X-Forwarded-For entry, and clients write the left-most ones themselves, ' +
        'so anyone could choose the address the throttles count; give the number of proxies in front of ' +
        'Tessera (e.g. 1) or their addresses (e.g. 10.0.0.0/8,::1)',
    });
    return false;
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) ctx.addIssue({ code: 'custom', message: 'at most 10 proxies' });
    return hops === 0 ? false : hops;
  }
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = entries.map(invalidProxyEntry).filter((e) => e !== undefined);
  for (const entry of bad) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(entry)} is not a proxy address or CIDR range: give false, a number of proxies (e.g. 1), or comma-separated addresses and ranges (e.g. 10.0.0.0/8,::1)`,
    });
  }
  if (!entries.length) ctx.addIssue({ code: 'custom', message: 'give false, a number of proxies (e.g. 1), or comma-separated proxy addresses' });
  return entries;
}

export interface Config {
  port: number;
  host: string;
  dbFile: string;
  /** PostgreSQL instead of the SQLite file at dbFile; several nodes may share it. */
  databaseUrl: string | undefined;
  issuer: string;
  orgName: string;
  adminUsername: string;
  adminPassword: string | undefined;
  accessTokenLifetimeSeconds: number;
  jwtAlg: 'ES256' | 'RS256';
  sessionIdleMs: number;
  sessionMaxMs: number;
  logLevel: string;
  consoleDir: string;
  corsOrigins: string[];
  /** Which X-Forwarded-For entries to believe (security/client-address.ts). */
  trustProxy: TrustProxy;
  /** Wraps the instance and signing keys in the database (security/envelope.ts); none: they are stored as is. */
  masterKey: MasterKey | undefined;
  /** The Bearer token /metrics asks for; none: there is no /metrics. */
  metricsToken: string | undefined;
  /** Processes serving the port (node:cluster workers); 1: this process serves it alone. */
  workers: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const defaultConsoleDir = path.resolve(import.meta.dirname, '../../console/dist');

/** Reads the environment once; every bad value is listed, not just the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`TESSERA_ADMIN_PASSWORD=` in an env file) means "not set", not "set to nothing".
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(given);
  const master = readMasterKey(given.TESSERA_MASTER_KEY, given.TESSERA_MASTER_KEY_FILE);
  if (!parsed.success || master.problems.length) {
    const issues = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError([...issues, ...master.problems]);
  }
  const e = parsed.data;
  const issuer = (e.TESSERA_ISSUER ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    dbFile: path.resolve(e.TESSERA_DB),
    databaseUrl: e.TESSERA_DATABASE_URL,
    issuer,
    orgName: e.TESSERA_ORG_NAME,
    adminUsername: e.TESSERA_ADMIN_USERNAME,
    adminPassword: e.TESSERA_ADMIN_PASSWORD,
    accessTokenLifetimeSeconds: e.TESSERA_ACCESS_TOKEN_LIFETIME,
    jwtAlg: e.TESSERA_JWT_ALG,
    sessionIdleMs: e.TESSERA_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: e.TESSERA_SESSION_MAX_HOURS * 3_600_000,
    logLevel: e.TESSERA_LOG_LEVEL,
    consoleDir: path.resolve(e.TESSERA_CONSOLE_DIR ?? defaultConsoleDir),
    corsOrigins: e.TESSERA_CORS_ORIGINS ?? [],
    trustProxy: e.TESSERA_TRUST_PROXY,
    masterKey: master.key,
    metricsToken: e.TESSERA_METRICS_TOKEN,
    workers: e.TESSERA_WORKERS ?? os.availableParallelism(),
  };
}
