import path from 'node:path';
import { z } from 'zod';
import type { MasterKey } from './security/envelope.js';
import { readMasterKey } from './security/master-key-source.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const envSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  TESSERA_DB: z.string().min(1).default('./data/tessera.db'),
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
  TESSERA_CORS_ORIGINS: z.string().optional(),
  TESSERA_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  TESSERA_MASTER_KEY: z.string().optional(),
  TESSERA_MASTER_KEY_FILE: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  dbFile: string;
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
  trustProxy: boolean;
  /** Wraps the instance and signing keys in the database (security/envelope.ts); none: they are stored as is. */
  masterKey: MasterKey | undefined;
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
    corsOrigins: (e.TESSERA_CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: e.TESSERA_TRUST_PROXY === 'true',
    masterKey: master.key,
  };
}
