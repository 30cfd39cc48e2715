import { JWT_BEARER_GRANT } from '../assertion-auth.js';
import { clientCredentialsGrant } from './client-credentials.js';
import type { Grant } from './grant.js';

/**
 * RFC 7523 2.1, ZITADEL's JWT profile: the service user proves itself with an assertion signed by
 * one of its keys (the token endpoint's authenticateClient step verifies it) and is given the same
 * token as with its client secret.
 */
export const jwtBearerGrant: Grant = {
  grantType: JWT_BEARER_GRANT,
  metricsLabel: 'jwt_bearer',
  parameters: new Set(['scope', 'assertion']),
  handler: clientCredentialsGrant.handler,
};
