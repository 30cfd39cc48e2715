import { z } from 'zod';
import { listDetailsSchema } from './details.js';
import { orgMemberViewSchema, roleKeysSchema } from './orgs.js';
import { INSTANCE_ROLES } from './roles.js';
import { idSchema } from './details.js';
import { listQuerySchema } from './users.js';

/** Role keys are checked against INSTANCE_ROLES by the server, which names the unknown ones. */
const roles = roleKeysSchema(INSTANCE_ROLES.length);

/** AddIAMMember and UpdateIAMMember (POST /admin/v1/members, PUT /admin/v1/members/{userId}). */
export const addInstanceMemberSchema = z.strictObject({ userId: idSchema, roles });
export const updateInstanceMemberSchema = z.strictObject({ roles });
export type AddInstanceMemberRequest = z.input<typeof addInstanceMemberSchema>;

/** ListIAMMembers (POST /admin/v1/members/_search). */
export const listInstanceMembersSchema = z.strictObject({
  query: listQuerySchema,
  queries: z
    .array(z.strictObject({ userIdQuery: z.strictObject({ userId: idSchema }) }))
    .max(10)
    .optional(),
});
export type ListInstanceMembersRequest = z.input<typeof listInstanceMembersSchema>;
export type ListInstanceMembersQuery = z.output<typeof listInstanceMembersSchema>;

/** ZITADEL's zitadel.member.v1.Member: the same shape for the instance's members as for an organization's. */
export const listInstanceMembersResponseSchema = z.strictObject({ details: listDetailsSchema, result: z.array(orgMemberViewSchema) });
export type ListInstanceMembersResponse = z.infer<typeof listInstanceMembersResponseSchema>;
export type InstanceMemberView = ListInstanceMembersResponse['result'][number];
