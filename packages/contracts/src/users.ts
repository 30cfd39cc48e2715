import { z } from 'zod';
import { idSchema, listDetailsSchema, objectDetailsSchema, timestampSchema, uint64String } from './details.js';

export const ACCESS_TOKEN_TYPES = ['ACCESS_TOKEN_TYPE_BEARER', 'ACCESS_TOKEN_TYPE_JWT'] as const;
export type AccessTokenType = (typeof ACCESS_TOKEN_TYPES)[number];

/** ZITADEL's REST gateway accepts the short enum names as well as the full ones. */
const accessTokenType = z
  .enum([...ACCESS_TOKEN_TYPES, 'BEARER', 'JWT'])
  .transform((v): AccessTokenType => (v.startsWith('ACCESS_TOKEN_TYPE_') ? (v as AccessTokenType) : `ACCESS_TOKEN_TYPE_${v as 'BEARER' | 'JWT'}`));

export const USER_STATES = ['USER_STATE_ACTIVE', 'USER_STATE_INACTIVE'] as const;
export type UserState = (typeof USER_STATES)[number];

/**
 * A username is also the OAuth client_id, so it keeps to characters that survive
 * form-urlencoding, headers and URLs unchanged. Unique across the instance,
 * compared case-insensitively.
 */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
const USERNAME_MIN = 2;
const USERNAME_MAX = 200;
/** The rule above in words, as the console's form states it next to the field. */
export const USERNAME_RULE = `${USERNAME_MIN}–${USERNAME_MAX} characters: A–Z, a–z, 0–9 and . _ @ -, starting with a letter or digit. No spaces or accented letters.`;
export const userNameSchema = z
  .string()
  .trim()
  .min(1, 'Username is required')
  .min(USERNAME_MIN, `Username must be at least ${USERNAME_MIN} characters`)
  .max(USERNAME_MAX, `Username must be at most ${USERNAME_MAX} characters`)
  .regex(USERNAME_PATTERN, 'Username may contain only A–Z, a–z, 0–9 and . _ @ - and must start with a letter or digit');

const displayName = z
  .string()
  .trim()
  .min(1, 'Display Name is required')
  .max(200, 'Display Name must be at most 200 characters')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Display Name must not contain control characters');
const description = z
  .string()
  .trim()
  .max(500, 'Description must be at most 500 characters')
  .refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), 'Description must not contain control characters');

export const addMachineUserSchema = z.strictObject({
  userName: userNameSchema,
  name: displayName,
  description: description.optional().default(''),
  accessTokenType: accessTokenType.optional().default('ACCESS_TOKEN_TYPE_BEARER'),
});
export type AddMachineUserRequest = z.input<typeof addMachineUserSchema>;

export const updateMachineSchema = z.strictObject({
  name: displayName,
  description: description.optional().default(''),
  accessTokenType: accessTokenType.optional().default('ACCESS_TOKEN_TYPE_BEARER'),
});
export type UpdateMachineRequest = z.input<typeof updateMachineSchema>;

/** ZITADEL's TextQueryMethod; searches default to contains, ignoring case. */
export const textQueryMethod = z
  .enum([
    'TEXT_QUERY_METHOD_EQUALS',
    'TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE',
    'TEXT_QUERY_METHOD_STARTS_WITH',
    'TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE',
    'TEXT_QUERY_METHOD_CONTAINS',
    'TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE',
    'TEXT_QUERY_METHOD_ENDS_WITH',
    'TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE',
  ])
  .default('TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE');
export type TextQueryMethod = z.output<typeof textQueryMethod>;

/** No stored name holds a control character, so a search term with one is a mistake, not a query. */
export const searchTerm = z
  .string()
  .max(200)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

const userNameQuery = z.strictObject({
  userNameQuery: z.strictObject({ userName: searchTerm, method: textQueryMethod }),
});
const displayNameQuery = z.strictObject({
  displayNameQuery: z.strictObject({ displayName: searchTerm, method: textQueryMethod }),
});

/**
 * ZITADEL's UserState values a stateQuery may name. Tessera's users are only ever active or inactive,
 * so the others are valid questions that match nobody.
 */
const ZITADEL_USER_STATES = [
  'USER_STATE_UNSPECIFIED',
  ...USER_STATES,
  'USER_STATE_DELETED',
  'USER_STATE_LOCKED',
  'USER_STATE_SUSPENDED',
  'USER_STATE_INITIAL',
] as const;

/** The subset of ZITADEL's user queries the console and scripts need. */
export const userSearchQuerySchema = z.union([
  userNameQuery,
  displayNameQuery,
  z.strictObject({ stateQuery: z.strictObject({ state: z.enum(ZITADEL_USER_STATES) }) }),
  z.strictObject({ typeQuery: z.strictObject({ type: z.enum(['TYPE_HUMAN', 'TYPE_MACHINE']) }) }),
  z.strictObject({
    orQuery: z.strictObject({
      queries: z
        .array(z.union([userNameQuery, displayNameQuery]))
        .min(1)
        .max(10),
    }),
  }),
]);
export type UserSearchQuery = z.input<typeof userSearchQuerySchema>;

/** uint64 fields arrive as JSON strings from ZITADEL clients and as numbers from others; both are accepted. */
const uint = (max: number) =>
  z
    .union(
      [
        z
          .string()
          .regex(/^\d{1,18}$/)
          .transform(Number),
        z.number(),
      ],
      { error: 'must be a non-negative integer' },
    )
    .pipe(z.number().int('must be a non-negative integer').min(0, 'must be a non-negative integer').max(max, `must be at most ${max}`));

/** A page of at most 1000; 0 means the default. */
const limitSchema = uint(1000);

export const listQuerySchema = z
  .strictObject({
    offset: uint(1e9).optional(),
    limit: limitSchema.optional(),
    asc: z.boolean().optional(),
  })
  .optional();

export const USER_SORTING_COLUMNS = [
  'USER_FIELD_NAME_UNSPECIFIED',
  'USER_FIELD_NAME_USER_NAME',
  'USER_FIELD_NAME_DISPLAY_NAME',
  'USER_FIELD_NAME_STATE',
  'USER_FIELD_NAME_CREATION_DATE',
] as const;

/**
 * ListUsers' paging: ZITADEL's offset and limit, and also a cursor, which Tessera adds: the `nextCursor` of
 * the previous page, for the same sorting column and direction. A page after a cursor costs the same at
 * row 900,000 as at row 20; an offset is walked (an offset given with a cursor counts from it).
 */
export const listUsersQuerySchema = z
  .strictObject({
    offset: uint(1e9).optional(),
    limit: limitSchema.optional(),
    asc: z.boolean().optional(),
    cursor: z.string().min(1).max(1024).optional(),
  })
  .optional();

export const listUsersSchema = z.strictObject({
  query: listUsersQuerySchema,
  sortingColumn: z.enum(USER_SORTING_COLUMNS).optional(),
  queries: z.array(userSearchQuerySchema).max(10).optional(),
});
export type ListUsersRequest = z.input<typeof listUsersSchema>;

/** A user as every query answers it: a service user has `machine`, a human `human`. */
export const machineUserViewSchema = z.strictObject({
  id: idSchema,
  details: objectDetailsSchema,
  state: z.enum(USER_STATES),
  userName: z.string(),
  loginNames: z.array(z.string()),
  preferredLoginName: z.string(),
  machine: z
    .strictObject({
      name: z.string(),
      description: z.string(),
      hasSecret: z.boolean().describe('Whether a client secret still works.'),
      accessTokenType: z.enum(ACCESS_TOKEN_TYPES),
      secretChangeDate: timestampSchema.optional().describe('When the newest client secret was made; only while one works.'),
    })
    .optional(),
  human: z
    .strictObject({
      profile: z.strictObject({ displayName: z.string() }),
      passwordChangeRequired: z.boolean().describe("Tessera's: the user has not yet replaced a password someone else chose."),
    })
    .optional(),
});
export type MachineUserView = z.infer<typeof machineUserViewSchema>;

/** AddMachineUser's answer. */
export const addMachineUserResponseSchema = z.strictObject({ userId: idSchema, details: objectDetailsSchema });

/** GetUserByID's answer. */
export const getUserResponseSchema = z.strictObject({ user: machineUserViewSchema });

/** Parsed (defaults applied) forms, as the server sees them. */
export type ListUsersQuery = z.output<typeof listUsersSchema>;
export type UserQuery = z.output<typeof userSearchQuerySchema>;

/** ListUsers' answer: one page and the size of the whole result. */
export const listUsersResponseSchema = z.strictObject({
  details: listDetailsSchema.extend({
    /**
     * Set when totalResult is a floor, not the count: a search by text counts its matches up to 10,000 and
     * stops there ("more than 10,000"), so a broad term over a million users is not counted for every page.
     */
    totalResultCapped: z.boolean().optional(),
  }),
  sortingColumn: z.enum(USER_SORTING_COLUMNS),
  result: z.array(machineUserViewSchema),
  /** The cursor of the next page (query.cursor), when there is one. */
  nextCursor: z.string().optional(),
});
export type ListUsersResponse = z.infer<typeof listUsersResponseSchema>;

/**
 * ListUserChanges: `sequence` is a cursor (changes older than it when descending, newer when
 * ascending), as ZITADEL's ChangeQuery.
 */
export const listUserChangesSchema = z.strictObject({
  query: z
    .strictObject({
      sequence: uint(Number.MAX_SAFE_INTEGER).optional(),
      limit: limitSchema.optional(),
      asc: z.boolean().optional(),
    })
    .optional(),
});
export type ListUserChangesRequest = z.input<typeof listUserChangesSchema>;

export const userChangeSchema = z.strictObject({
  changeDate: timestampSchema,
  eventType: z.strictObject({ key: z.string(), localizedMessage: z.string() }),
  sequence: uint64String,
  editorId: z.string().describe('Empty when Tessera itself made the change.'),
  editorDisplayName: z.string(),
  resourceOwnerId: idSchema,
});
export type UserChange = z.infer<typeof userChangeSchema>;

export const listUserChangesResponseSchema = z.strictObject({ result: z.array(userChangeSchema) });
export type ListUserChangesResponse = z.infer<typeof listUserChangesResponseSchema>;
