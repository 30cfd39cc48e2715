import { clientCredentialsGrant } from './client-credentials.js';
import type { Grant } from './grant.js';

/** Every grant the token endpoint serves; discovery lists the same. */
export const grants: ReadonlyMap<string, Grant> = new Map([clientCredentialsGrant].map((g) => [g.grantType, g]));
