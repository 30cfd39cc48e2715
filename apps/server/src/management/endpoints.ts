import { appEndpoints } from './apps.js';
import type { Endpoint } from './endpoint.js';
import { keyEndpoints } from './keys.js';
import { memberEndpoints } from './members.js';
import { orgEndpoints } from './orgs.js';
import { patEndpoints } from './pats.js';
import { projectEndpoints } from './projects.js';
import { secretEndpoints } from './secrets.js';
import { userGrantEndpoints } from './user-grants.js';
import { userEndpoints } from './users.js';

/** A resource's endpoints: one section of the API reference. */
export interface EndpointGroup {
  name: string;
  endpoints: readonly Endpoint[];
}

/** The management API by resource, in the order the router tries them. */
export const endpointGroups: readonly EndpointGroup[] = [
  { name: 'Organization', endpoints: orgEndpoints },
  { name: 'Managers', endpoints: memberEndpoints },
  { name: 'Users', endpoints: userEndpoints },
  { name: 'Client secrets', endpoints: secretEndpoints },
  { name: 'Keys', endpoints: keyEndpoints },
  { name: 'Personal access tokens', endpoints: patEndpoints },
  { name: 'Projects', endpoints: projectEndpoints },
  { name: 'Applications', endpoints: appEndpoints },
  { name: 'User grants', endpoints: userGrantEndpoints },
];

/** Every management endpoint; the authorization matrix test walks this list. */
export const endpoints: readonly Endpoint[] = endpointGroups.flatMap((g) => g.endpoints);
