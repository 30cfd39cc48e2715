import { z } from 'zod';
import { idSchema, listDetailsSchema, objectDetailsSchema, timestampSchema, uint64String } from './details.js';

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
  revokeTokens: z.boolean().optional().default(false).describe("Tessera's: every access token the service user got so far stops working too."),
  keepPreviousFor: durationSchema
    .optional()
    .describe('Tessera\'s, PUT only: the secrets valid now stay valid this long beside the new one (at most 30 days), e.g. "3600s".'),
});
export type MachineSecretOptions = z.input<typeof machineSecretOptionsSchema>;

/** GenerateMachineSecret's answer: the only place the plaintext secret ever appears. secretId is Tessera's. */
export const machineSecretResponseSchema = z.strictObject({
  clientId: z.string().describe("The service user's username, which is its OAuth client_id."),
  clientSecret: z.string().describe('The secret itself: it appears here and nowhere else.'),
  secretId: idSchema,
  details: objectDetailsSchema,
});
export type MachineSecretResponse = z.infer<typeof machineSecretResponseSchema>;

export const SECRET_STATES = ['SECRET_STATE_ACTIVE', 'SECRET_STATE_EXPIRING', 'SECRET_STATE_EXPIRED', 'SECRET_STATE_REVOKED'] as const;
export type SecretState = (typeof SECRET_STATES)[number];

/** One client secret as listed: never its value or hash. */
export const machineSecretViewSchema = z.strictObject({
  id: idSchema,
  hint: z.string().optional().describe("The secret's last 4 characters, to tell which one a job holds; absent for a secret made before Tessera kept them."),
  creationDate: timestampSchema,
  expirationDate: timestampSchema.describe("'9999-12-31T23:59:59Z' while it does not expire (ZITADEL's \"no expiration\")."),
  state: z.enum(SECRET_STATES),
  revocationDate: timestampSchema.optional().describe('When it was revoked, for a revoked one (kept, expired, until the next rotation).'),
  lastUsed: z
    .strictObject({ date: timestampSchema, address: z.string() })
    .optional()
    .describe("The last successful authentication with it: exact for the node that answers, other nodes' within 5 seconds."),
  usesLast24h: uint64String.describe('Successful authentications in the current hour and the 23 before it.'),
});
export type MachineSecretView = z.infer<typeof machineSecretViewSchema>;

export const listMachineSecretsResponseSchema = z.strictObject({ details: listDetailsSchema, result: z.array(machineSecretViewSchema) });
export type ListMachineSecretsResponse = z.infer<typeof listMachineSecretsResponseSchema>;
