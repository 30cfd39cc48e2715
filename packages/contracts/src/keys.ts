import { z } from 'zod';
import { idSchema, listDetailsSchema, objectDetailsSchema, timestampSchema } from './details.js';
import { listQuerySchema } from './users.js';

export const KEY_TYPES = ['KEY_TYPE_JSON'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** An optional RFC 3339 time (checked to be in the future by the command). */
export const expirationDateSchema = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time, e.g. 2030-01-01T00:00:00Z' }).optional();

/** proto3 JSON's bytes: standard or URL-safe base64, padded or not. */
const bytesSchema = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

/**
 * AddMachineKey. type is KEY_TYPE_JSON (ZITADEL's only kind); expirationDate an RFC 3339 time in the
 * future; publicKey, a PEM public key as base64 bytes, when the operator keeps the private key himself.
 */
export const addMachineKeySchema = z.strictObject({
  type: z.enum(KEY_TYPES, { error: 'must be KEY_TYPE_JSON' }),
  expirationDate: expirationDateSchema,
  publicKey: bytesSchema.optional(),
});
export type AddMachineKeyRequest = z.input<typeof addMachineKeySchema>;

export const addMachineKeyResponseSchema = z.strictObject({
  keyId: idSchema,
  keyDetails: z
    .string()
    .optional()
    .describe('The key file (JSON) as base64 bytes; absent when the public key was uploaded, as there is no private key to give.'),
  details: objectDetailsSchema,
});
export type AddMachineKeyResponse = z.infer<typeof addMachineKeyResponseSchema>;

export const machineKeyViewSchema = z.strictObject({
  id: idSchema,
  details: objectDetailsSchema,
  type: z.enum(KEY_TYPES),
  expirationDate: timestampSchema,
});
export type MachineKeyView = z.infer<typeof machineKeyViewSchema>;

/** GetMachineKeyByIDs' answer. */
export const getMachineKeyResponseSchema = z.strictObject({ key: machineKeyViewSchema });

export const listMachineKeysSchema = z.strictObject({ query: listQuerySchema });
export type ListMachineKeysRequest = z.input<typeof listMachineKeysSchema>;

export const listMachineKeysResponseSchema = z.strictObject({ details: listDetailsSchema, result: z.array(machineKeyViewSchema) });
export type ListMachineKeysResponse = z.infer<typeof listMachineKeysResponseSchema>;
