import { clientCredentialsGrant } from './client-credentials.js';
import type { Grant } from './grant.js';
import { jwtBearerGrant } from './jwt-bearer.js';

/** Every grant the token endpoint serves; discovery lists the same. */
export const grants: ReadonlyMap<string, Grant> = new Map([clientCredentialsGrant, jwtBearerGrant].map((g) => [g.grantType, g]));
