import { z } from 'zod';
import { ORG_ROLE_KEYS } from './roles.js';
import { idSchema, listDetailsSchema, objectDetailsSchema } from './details.js';
import { listQuerySchema, searchTerm, textQueryMethod } from './users.js';

export const ORG_STATES = ['ORG_STATE_ACTIVE', 'ORG_STATE_INACTIVE'] as const;
export type OrgState = (typeof ORG_STATES)[number];

export const orgNameSchema = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(200, 'Name must be at most 200 characters')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Name must not contain control characters');

/** UpdateOrg (PUT /orgs/me) and AddOrg (POST /orgs). */
export const updateOrgSchema = z.strictObject({ name: orgNameSchema });
export const addOrgSchema = z.strictObject({ name: orgNameSchema });
export type UpdateOrgRequest = z.input<typeof updateOrgSchema>;
export type AddOrgRequest = z.input<typeof addOrgSchema>;

/**
 * Role keys are checked against ORG_ROLES by the server, which names the unknown ones;
 * the schema only bounds the list.
 */
export const roleKeysSchema = (max: number) =>
  z
    .array(z.string().max(100))
    .min(1, 'at least one role is required')
    .max(max, `at most ${max} roles`)
    .refine((rs) => new Set(rs).size === rs.length, 'roles must not repeat');
const roles = roleKeysSchema(ORG_ROLE_KEYS.length);

export const addOrgMemberSchema = z.strictObject({ userId: idSchema, roles });
export const updateOrgMemberSchema = z.strictObject({ roles });
export type AddOrgMemberRequest = z.input<typeof addOrgMemberSchema>;
export type UpdateOrgMemberRequest = z.input<typeof updateOrgMemberSchema>;

/** ListOrgMemberRoles takes no parameters; anything else is a mistake worth reporting. */
export const listOrgMemberRolesSchema = z.strictObject({});

const memberQuery = z.strictObject({ userIdQuery: z.strictObject({ userId: idSchema }) });

export const listMembersSchema = z.strictObject({
  query: listQuerySchema,
  queries: z.array(memberQuery).max(10).optional(),
});
export type ListOrgMembersRequest = z.input<typeof listMembersSchema>;
export type ListOrgMembersQuery = z.output<typeof listMembersSchema>;

export const orgSearchQuerySchema = z.union([
  z.strictObject({ nameQuery: z.strictObject({ name: searchTerm, method: textQueryMethod }) }),
  z.strictObject({ domainQuery: z.strictObject({ domain: searchTerm, method: textQueryMethod }) }),
  z.strictObject({ stateQuery: z.strictObject({ state: z.enum(ORG_STATES) }) }),
]);
export type OrgSearchQuery = z.output<typeof orgSearchQuerySchema>;

export const ORG_SORTING_COLUMNS = ['ORG_FIELD_NAME_UNSPECIFIED', 'ORG_FIELD_NAME_NAME'] as const;
export type OrgSortingColumn = (typeof ORG_SORTING_COLUMNS)[number];

/** ListOrgs (admin API, POST /admin/v1/orgs/_search). */
export const listOrgsSchema = z.strictObject({
  query: listQuerySchema,
  sortingColumn: z.enum(ORG_SORTING_COLUMNS).optional(),
  queries: z.array(orgSearchQuerySchema).max(10).optional(),
});
export type ListOrgsRequest = z.input<typeof listOrgsSchema>;
export type ListOrgsQuery = z.output<typeof listOrgsSchema>;

export const orgViewSchema = z.strictObject({
  id: idSchema,
  details: objectDetailsSchema,
  state: z.enum(ORG_STATES),
  name: z.string(),
  primaryDomain: z.string(),
});
export type OrgView = z.infer<typeof orgViewSchema>;

/** GetMyOrg's answer. */
export const getMyOrgResponseSchema = z.strictObject({ org: orgViewSchema });

export const orgMemberViewSchema = z.strictObject({
  userId: idSchema,
  details: objectDetailsSchema,
  roles: z.array(z.string()),
  preferredLoginName: z.string(),
  displayName: z.string(),
  userType: z.enum(['TYPE_HUMAN', 'TYPE_MACHINE']),
});
export type OrgMemberView = z.infer<typeof orgMemberViewSchema>;

export const listOrgMembersResponseSchema = z.strictObject({ details: listDetailsSchema, result: z.array(orgMemberViewSchema) });
export type ListOrgMembersResponse = z.infer<typeof listOrgMembersResponseSchema>;

export const listOrgMemberRolesResponseSchema = z.strictObject({ result: z.array(z.enum(ORG_ROLE_KEYS)) });
export type ListOrgMemberRolesResponse = z.infer<typeof listOrgMemberRolesResponseSchema>;

export const listOrgsResponseSchema = z.strictObject({
  details: listDetailsSchema,
  sortingColumn: z.enum(ORG_SORTING_COLUMNS),
  result: z.array(orgViewSchema),
});
export type ListOrgsResponse = z.infer<typeof listOrgsResponseSchema>;

/** AddOrg's answer. */
export const addOrgResponseSchema = z.strictObject({ id: idSchema, details: objectDetailsSchema });
export type AddOrgResponse = z.infer<typeof addOrgResponseSchema>;
