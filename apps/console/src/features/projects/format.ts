import type { ApiAuthMethod, ProjectView } from '@tessera/contracts';

/** ZITADEL's console names for the authentication methods of an API application. */
export const AUTH_METHOD_LABELS: Record<ApiAuthMethod, string> = {
  API_AUTH_METHOD_TYPE_BASIC: 'Basic',
  API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT: 'Private Key JWT',
};

export const PROJECT_STATE_LABELS: Record<ProjectView['state'], string> = {
  PROJECT_STATE_ACTIVE: 'Active',
  PROJECT_STATE_INACTIVE: 'Inactive',
};
