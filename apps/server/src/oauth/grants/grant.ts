import type { AppContext } from '../../context.js';
import type { AuthenticatedClient } from '../client-auth.js';
import type { FormParams } from '../form.js';
import type { GrantedScope } from '../scopes.js';

/** RFC 6749 5.1; `scope` is always present because it may differ from what was asked. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export interface GrantContext {
  ctx: AppContext;
  client: AuthenticatedClient;
  params: FormParams;
  /** Set by the pipeline's scope step when the grant takes a scope parameter. */
  granted: GrantedScope;
}

/** One module per grant type (node-oidc-provider lib/actions/grants): what it reads, and what it does. */
export interface Grant {
  grantType: string;
  /** The grant's label in the tokens-issued metric. */
  metricsLabel: string;
  /** Request parameters the grant reads, besides grant_type and client authentication. */
  parameters: ReadonlySet<string>;
  handler: (c: GrantContext) => Promise<TokenResponse>;
}
