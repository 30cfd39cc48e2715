import { z } from 'zod';
import { expirationDateSchema } from './keys.js';
import { listQuerySchema, type ObjectDetails } from './users.js';

/** AddPersonalAccessToken: an optional RFC 3339 expiration date in the future; without one the token does not expire. */
export const addPersonalAccessTokenSchema = z.strictObject({
  expirationDate: expirationDateSchema,
});
export type AddPersonalAccessTokenRequest = z.input<typeof addPersonalAccessTokenSchema>;

/** The only place the token itself ever appears. */
export interface AddPersonalAccessTokenResponse {
  tokenId: string;
  token: string;
  details: ObjectDetails;
}

export interface PersonalAccessTokenView {
  id: string;
  details: ObjectDetails;
  expirationDate: string;
  scopes: string[];
}

export const listPersonalAccessTokensSchema = z.strictObject({ query: listQuerySchema });
export type ListPersonalAccessTokensRequest = z.input<typeof listPersonalAccessTokensSchema>;

export interface ListPersonalAccessTokensResponse {
  details: { totalResult: string; viewTimestamp: string };
  result: PersonalAccessTokenView[];
}
