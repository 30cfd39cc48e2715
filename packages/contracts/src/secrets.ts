import { z } from 'zod';
import type { ObjectDetails } from './users.js';

/** Client secrets a service user may hold at once (expired ones aside): a rotation needs two, three leaves room for a slow one. */
export const MAX_CLIENT_SECRETS = 3;

/** The longest a replaced secret may stay valid beside its successor: 30 days. */
export const MAX_KEEP_PREVIOUS_SECONDS = 30 * 24 * 3600;

/** proto3 JSON's Duration in whole seconds ("3600s"), as a number of seconds. */
const durationSchema = z
  .string()
  .regex(/^\d{1,8}s$/, 'must be a duration in seconds, e.g. "3600s"')
  .transform((s) => Number(s.slice(0, -1)))
  .refine((n) => n <= MAX_KEEP_PREVIOUS_SECONDS, `must be at most ${MAX_KEEP_PREVIOUS_SECONDS}s (30 days)`);

/**
 * Tessera's extensions to GenerateMachineSecret (PUT) and RemoveMachineSecret (DELETE); ZITADEL's
 * clients send nothing, or {}, and get ZITADEL's behaviour.
 *  - revokeTokens: every access token the service user got so far stops working in the same
 *    command, so a leaked secret's tokens die with it. Otherwise they stay valid until they expire.
 *  - keepPreviousFor (PUT only): the secrets valid now stay valid for this long beside the new one
 *    (never longer than they already would), so running jobs can move over without an outage.
 *    Absent or "0s": they stop working at once, as in ZITADEL.
 */
export const machineSecretOptionsSchema = z.strictObject({
  revokeTokens: z.boolean().optional().default(false),
  keepPreviousFor: durationSchema.optional(),
});
export type MachineSecretOptions = z.input<typeof machineSecretOptionsSchema>;

/** GenerateMachineSecret's answer: the only place the plaintext secret ever appears. secretId is Tessera's. */
export interface MachineSecretResponse {
  clientId: string;
  clientSecret: string;
  secretId: string;
  details: ObjectDetails;
}

export const SECRET_STATES = ['SECRET_STATE_ACTIVE', 'SECRET_STATE_EXPIRING', 'SECRET_STATE_EXPIRED', 'SECRET_STATE_REVOKED'] as const;
export type SecretState = (typeof SECRET_STATES)[number];

/** One client secret as listed: never its value or hash. */
export interface MachineSecretView {
  id: string;
  /** The secret's last 4 characters, to tell which one a job holds; absent for a secret made before Tessera kept them. */
  hint?: string;
  creationDate: string;
  /** '9999-12-31T23:59:59Z' while it does not expire (ZITADEL's "no expiration"). */
  expirationDate: string;
  state: SecretState;
  /** When it was revoked, for a revoked one (kept, expired, until the next rotation). */
  revocationDate?: string;
  /** The last successful authentication with it, as last flushed (see the README: at most a few seconds behind). */
  lastUsed?: { date: string; address: string };
  /** Successful authentications in the current hour and the 23 before it. */
  usesLast24h: string;
}

export interface ListMachineSecretsResponse {
  details: { totalResult: string; viewTimestamp: string };
  result: MachineSecretView[];
}
