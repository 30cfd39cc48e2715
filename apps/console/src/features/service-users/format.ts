import type { AccessTokenType, UserState } from '@tessera/contracts';

export const TOKEN_TYPE_LABELS: Record<AccessTokenType, string> = {
  ACCESS_TOKEN_TYPE_BEARER: 'Bearer',
  ACCESS_TOKEN_TYPE_JWT: 'JWT',
};

/** Options for the Access Token Type field, Bearer (the default) first. */
export const TOKEN_TYPE_OPTIONS = Object.entries(TOKEN_TYPE_LABELS).map(([value, label]) => ({ value, label }));

export const STATE_LABELS: Record<UserState, string> = {
  USER_STATE_ACTIVE: 'Active',
  USER_STATE_INACTIVE: 'Inactive',
};
