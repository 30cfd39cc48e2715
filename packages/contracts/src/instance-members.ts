import { z } from 'zod';
import { roleKeysSchema } from './orgs.js';
import { INSTANCE_ROLES } from './roles.js';
import { idSchema, listQuerySchema, type ObjectDetails } from './users.js';

/** Role keys are checked against INSTANCE_ROLES by the server, which names the unknown ones. */
const roles = roleKeysSchema(INSTANCE_ROLES.length);

/** AddIAMMember and UpdateIAMMember (POST /admin/v1/members, PUT /admin/v1/members/{userId}). */
export const addInstanceMemberSchema = z.strictObject({ userId: idSchema, roles });
export const updateInstanceMemberSchema = z.strictObject({ roles });
export type AddInstanceMemberRequest = z.input<typeof addInstanceMemberSchema>;

/** ListIAMMembers (POST /admin/v1/members/_search). */
export const listInstanceMembersSchema = z.strictObject({
  query: listQuerySchema,
  queries: z.array(z.strictObject({ userIdQuery: z.strictObject({ userId: idSchema }) })).max(10).optional(),
});
export type ListInstanceMembersRequest = z.input<typeof listInstanceMembersSchema>;
export type ListInstanceMembersQuery = z.output<typeof listInstanceMembersSchema>;

/** ZITADEL's zitadel.member.v1.Member, as an instance member. */
export interface InstanceMemberView {
  userId: string;
  details: ObjectDetails;
  roles: string[];
  preferredLoginName: string;
  displayName: string;
  userType: 'TYPE_HUMAN' | 'TYPE_MACHINE';
}

export interface ListInstanceMembersResponse {
  details: { totalResult: string; viewTimestamp: string };
  result: InstanceMemberView[];
}
