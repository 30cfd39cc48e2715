import { z } from 'zod';
import { ORG_ROLE_KEYS } from './roles.js';
import { idSchema, listQuerySchema } from './users.js';
import type { ObjectDetails } from './users.js';

export const ORG_STATES = ['ORG_STATE_ACTIVE', 'ORG_STATE_INACTIVE'] as const;
export type OrgState = (typeof ORG_STATES)[number];

export const orgNameSchema = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(200, 'Name must be at most 200 characters')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Name must not contain control characters');

export const updateOrgSchema = z.strictObject({ name: orgNameSchema });
export const addOrgSchema = z.strictObject({ name: orgNameSchema });

const roles = z
  .array(z.string().max(100))
  .min(1, 'at least one role is required')
  .max(ORG_ROLE_KEYS.length)
  .refine((rs) => new Set(rs).size === rs.length, 'roles must not repeat');

export const addOrgMemberSchema = z.strictObject({ userId: idSchema, roles });
export const updateOrgMemberSchema = z.strictObject({ roles });

export const listMembersSchema = z.strictObject({
  query: listQuerySchema,
  queries: z.array(z.record(z.string(), z.unknown())).max(10).optional(),
});

export interface OrgView {
  id: string;
  details: ObjectDetails;
  state: OrgState;
  name: string;
  primaryDomain: string;
}

export interface OrgMemberView {
  userId: string;
  details: ObjectDetails;
  roles: string[];
  preferredLoginName: string;
  displayName: string;
  userType: 'TYPE_HUMAN' | 'TYPE_MACHINE';
}
