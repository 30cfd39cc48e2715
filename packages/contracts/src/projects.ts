import { z } from 'zod';
import { idSchema, listDetailsSchema, objectDetailsSchema } from './details.js';
import { expirationDateSchema, KEY_TYPES, machineKeyViewSchema } from './keys.js';
import { listQuerySchema, listUserChangesResponseSchema, listUserChangesSchema, searchTerm, textQueryMethod } from './users.js';

/** Projects, their roles and their API applications, in ZITADEL's shapes (project.proto, app.proto). */

const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

const projectName = z
  .string()
  .trim()
  .min(1, 'name is required')
  .max(200, 'name must be at most 200 characters')
  .refine(noControl, 'name must not contain control characters');

export const PROJECT_STATES = ['PROJECT_STATE_ACTIVE', 'PROJECT_STATE_INACTIVE'] as const;

/** Settings of ZITADEL's project that Tessera does not have: accepted only as their defaults, which clients send. */
const unsupported = (field: string) => z.literal(false, { error: `${field} is not supported: leave it out or false` }).optional();

/** AddProject and UpdateProject: the name, unique in the organization. */
export const addProjectSchema = z.strictObject({
  name: projectName,
  projectRoleAssertion: unsupported('projectRoleAssertion'),
  projectRoleCheck: unsupported('projectRoleCheck'),
  hasProjectCheck: unsupported('hasProjectCheck'),
  privateLabelingSetting: z.literal('PRIVATE_LABELING_SETTING_UNSPECIFIED', { error: 'privateLabelingSetting is not supported: leave it out' }).optional(),
});
export type AddProjectRequest = z.input<typeof addProjectSchema>;
export const updateProjectSchema = addProjectSchema;

export const addProjectResponseSchema = z.strictObject({ id: idSchema, details: objectDetailsSchema });
export type AddProjectResponse = z.infer<typeof addProjectResponseSchema>;

export const projectViewSchema = z.strictObject({
  id: idSchema,
  details: objectDetailsSchema,
  name: z.string(),
  state: z.enum(PROJECT_STATES),
});
export type ProjectView = z.infer<typeof projectViewSchema>;

export const getProjectResponseSchema = z.strictObject({ project: projectViewSchema });

export const listProjectsSchema = z.strictObject({
  query: listQuerySchema,
  queries: z
    .array(z.strictObject({ nameQuery: z.strictObject({ name: searchTerm, method: textQueryMethod }) }))
    .max(10)
    .optional(),
});
export type ListProjectsRequest = z.output<typeof listProjectsSchema>;
export const listProjectsResponseSchema = z.strictObject({ details: listDetailsSchema, result: z.array(projectViewSchema) });
export type ListProjectsResponse = z.infer<typeof listProjectsResponseSchema>;

/** A role key as it travels in scopes (urn:zitadel:iam:org:project:role:{key}) and claims: no spaces or control characters. */
export const ROLE_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
export const roleKeySchema = z
  .string()
  .min(1, 'roleKey is required')
  .max(200, 'roleKey must be at most 200 characters')
  .regex(ROLE_KEY_PATTERN, 'roleKey may contain letters, digits and . _ : - and must start with a letter or digit');

export const addProjectRoleSchema = z.strictObject({
  roleKey: roleKeySchema,
  displayName: z.string().trim().max(200).refine(noControl, 'displayName must not contain control characters').optional().default(''),
  group: z.string().trim().max(200).refine(noControl, 'group must not contain control characters').optional().default(''),
});
export type AddProjectRoleRequest = z.output<typeof addProjectRoleSchema>;

export const projectRoleViewSchema = z.strictObject({
  key: z.string(),
  details: objectDetailsSchema,
  displayName: z.string(),
  group: z.string(),
});
export type ProjectRoleView = z.infer<typeof projectRoleViewSchema>;

export const listProjectRolesSchema = z.strictObject({ query: listQuerySchema });
export type ListProjectRolesRequest = z.output<typeof listProjectRolesSchema>;
export const listProjectRolesResponseSchema = z.strictObject({ details: listDetailsSchema, result: z.array(projectRoleViewSchema) });
export type ListProjectRolesResponse = z.infer<typeof listProjectRolesResponseSchema>;

export const API_AUTH_METHODS = ['API_AUTH_METHOD_TYPE_BASIC', 'API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT'] as const;
export type ApiAuthMethod = (typeof API_AUTH_METHODS)[number];

/** AddAPIApp: BASIC answers a client secret once; PRIVATE_KEY_JWT authenticates with keys added by AddAppKey. */
export const addApiAppSchema = z.strictObject({
  name: projectName,
  authMethodType: z
    .enum(API_AUTH_METHODS, { error: 'must be API_AUTH_METHOD_TYPE_BASIC or API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT' })
    .optional()
    .default('API_AUTH_METHOD_TYPE_BASIC'),
});
export type AddApiAppRequest = z.output<typeof addApiAppSchema>;

export const addApiAppResponseSchema = z.strictObject({
  appId: idSchema,
  details: objectDetailsSchema,
  clientId: z.string(),
  clientSecret: z.string().optional().describe('BASIC only: the secret appears here and nowhere else.'),
});
export type AddApiAppResponse = z.infer<typeof addApiAppResponseSchema>;

export const APP_STATES = ['APP_STATE_ACTIVE', 'APP_STATE_INACTIVE'] as const;

export const appViewSchema = z.strictObject({
  id: idSchema,
  details: objectDetailsSchema,
  state: z.enum(APP_STATES),
  name: z.string(),
  apiConfig: z.strictObject({ clientId: z.string(), authMethodType: z.enum(API_AUTH_METHODS) }),
});
export type AppView = z.infer<typeof appViewSchema>;

export const getAppResponseSchema = z.strictObject({ app: appViewSchema });
export const listAppsSchema = z.strictObject({ query: listQuerySchema });
export type ListAppsRequest = z.output<typeof listAppsSchema>;
export const listAppsResponseSchema = z.strictObject({ details: listDetailsSchema, result: z.array(appViewSchema) });
export type ListAppsResponse = z.infer<typeof listAppsResponseSchema>;

export const regenerateApiClientSecretSchema = z.strictObject({});
export const regenerateApiClientSecretResponseSchema = z.strictObject({
  clientSecret: z.string().describe('The new secret: it appears here and nowhere else; the previous one stops working at once.'),
  details: objectDetailsSchema,
});
export type RegenerateApiClientSecretResponse = z.infer<typeof regenerateApiClientSecretResponseSchema>;

/** AddAppKey: a key of a PRIVATE_KEY_JWT application, as AddMachineKey makes one. */
export const addAppKeySchema = z.strictObject({
  type: z.enum(KEY_TYPES, { error: 'must be KEY_TYPE_JSON' }),
  expirationDate: expirationDateSchema,
});
export type AddAppKeyRequest = z.input<typeof addAppKeySchema>;
export const addAppKeyResponseSchema = z.strictObject({
  id: idSchema,
  details: objectDetailsSchema,
  keyDetails: z.string().describe('The key file (JSON, type "application") as base64 bytes: the private key appears here and nowhere else.'),
});
export type AddAppKeyResponse = z.infer<typeof addAppKeyResponseSchema>;

/** An application's key as ListAppKeys and GetAppKey show it (ZITADEL's authn Key): never its public key. */
export const appKeyViewSchema = machineKeyViewSchema;
export type AppKeyView = z.infer<typeof appKeyViewSchema>;
export const listAppKeysSchema = z.strictObject({ query: listQuerySchema });
export type ListAppKeysRequest = z.output<typeof listAppKeysSchema>;
export const listAppKeysResponseSchema = z.strictObject({ details: listDetailsSchema, result: z.array(appKeyViewSchema) });
export type ListAppKeysResponse = z.infer<typeof listAppKeysResponseSchema>;
export const getAppKeyResponseSchema = z.strictObject({ key: appKeyViewSchema });

/** ListProjectChanges: the project's history, in exactly ListUserChanges' request and answer (ZITADEL's ChangeQuery and Change). */
export const listProjectChangesSchema = listUserChangesSchema;
export type ListProjectChangesRequest = z.output<typeof listProjectChangesSchema>;
export const listProjectChangesResponseSchema = listUserChangesResponseSchema;
export type ListProjectChangesResponse = z.infer<typeof listProjectChangesResponseSchema>;
