import type { Endpoint } from './endpoint.js';
import { keyEndpoints } from './keys.js';
import { memberEndpoints } from './members.js';
import { orgEndpoints } from './orgs.js';
import { patEndpoints } from './pats.js';
import { secretEndpoints } from './secrets.js';
import { userEndpoints } from './users.js';

/** Every management endpoint; the authorization matrix test walks this list. */
export const endpoints: readonly Endpoint[] = [
  ...orgEndpoints,
  ...memberEndpoints,
  ...userEndpoints,
  ...secretEndpoints,
  ...keyEndpoints,
  ...patEndpoints,
];
