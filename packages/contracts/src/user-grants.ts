import { z } from 'zod';
import { idSchema, listDetailsSchema, objectDetailsSchema } from './details.js';
import { roleKeySchema } from './projects.js';
import { listQuerySchema } from './users.js';

/** User grants (ZITADEL's authorizations): the roles of one project a user of the organization holds. */

/** Most role keys one grant holds, and most roles a project has. */
export const MAX_GRANT_ROLES = 100;

const roleKeys = z
  .array(roleKeySchema)
  .max(MAX_GRANT_ROLES, `at most ${MAX_GRANT_ROLES} role keys`)
  .refine((keys) => new Set(keys).size === keys.length, 'roleKeys must not repeat a key');

export const addUserGrantSchema = z.strictObject({ projectId: idSchema, roleKeys: roleKeys.optional().default([]) });
export type AddUserGrantRequest = z.output<typeof addUserGrantSchema>;
export const addUserGrantResponseSchema = z.strictObject({ userGrantId: idSchema, details: objectDetailsSchema });
export type AddUserGrantResponse = z.infer<typeof addUserGrantResponseSchema>;

export const updateUserGrantSchema = z.strictObject({ roleKeys: roleKeys.optional().default([]) });
export type UpdateUserGrantRequest = z.output<typeof updateUserGrantSchema>;

export const userGrantQuerySchema = z.union([
  z.strictObject({ userIdQuery: z.strictObject({ userId: idSchema }) }),
  z.strictObject({ projectIdQuery: z.strictObject({ projectId: idSchema }) }),
  z.strictObject({
    roleKeyQuery: z.strictObject({
      roleKey: roleKeySchema,
      method: z.literal('TEXT_QUERY_METHOD_EQUALS', { error: 'roleKeyQuery supports TEXT_QUERY_METHOD_EQUALS only' }).optional(),
    }),
  }),
]);
export const listUserGrantsSchema = z.strictObject({ query: listQuerySchema, queries: z.array(userGrantQuerySchema).max(10).optional() });
export type ListUserGrantsRequest = z.output<typeof listUserGrantsSchema>;

export const userGrantViewSchema = z.strictObject({
  id: idSchema,
  details: objectDetailsSchema,
  roleKeys: z.array(z.string()),
  state: z.literal('USER_GRANT_STATE_ACTIVE'),
  userId: idSchema,
  userName: z.string(),
  displayName: z.string(),
  preferredLoginName: z.string(),
  userType: z.enum(['TYPE_HUMAN', 'TYPE_MACHINE']),
  orgId: idSchema,
  orgName: z.string(),
  orgDomain: z.string(),
  projectId: idSchema,
  projectName: z.string(),
});
export type UserGrantView = z.infer<typeof userGrantViewSchema>;
export const listUserGrantsResponseSchema = z.strictObject({ details: listDetailsSchema, result: z.array(userGrantViewSchema) });
export type ListUserGrantsResponse = z.infer<typeof listUserGrantsResponseSchema>;
