import { z } from 'zod';
import { expirationDateSchema } from './keys.js';
import { idSchema, listDetailsSchema, objectDetailsSchema, timestampSchema } from './details.js';
import { listQuerySchema } from './users.js';

/** AddPersonalAccessToken: an optional RFC 3339 expiration date in the future; without one the token does not expire. */
export const addPersonalAccessTokenSchema = z.strictObject({
  expirationDate: expirationDateSchema,
});
export type AddPersonalAccessTokenRequest = z.input<typeof addPersonalAccessTokenSchema>;

export const addPersonalAccessTokenResponseSchema = z.strictObject({
  tokenId: idSchema,
  token: z.string().describe('The token itself: it appears here and nowhere else.'),
  details: objectDetailsSchema,
});
export type AddPersonalAccessTokenResponse = z.infer<typeof addPersonalAccessTokenResponseSchema>;

export const personalAccessTokenViewSchema = z.strictObject({
  id: idSchema,
  details: objectDetailsSchema,
  expirationDate: timestampSchema,
  scopes: z.array(z.string()),
});
export type PersonalAccessTokenView = z.infer<typeof personalAccessTokenViewSchema>;

/** GetPersonalAccessTokenByIDs' answer. */
export const getPersonalAccessTokenResponseSchema = z.strictObject({ token: personalAccessTokenViewSchema });

export const listPersonalAccessTokensSchema = z.strictObject({ query: listQuerySchema });
export type ListPersonalAccessTokensRequest = z.input<typeof listPersonalAccessTokensSchema>;

export const listPersonalAccessTokensResponseSchema = z.strictObject({
  details: listDetailsSchema,
  result: z.array(personalAccessTokenViewSchema),
});
export type ListPersonalAccessTokensResponse = z.infer<typeof listPersonalAccessTokensResponseSchema>;
