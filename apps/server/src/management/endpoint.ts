import type { Permission } from '@tessera/contracts';
import type { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Principal } from '../domain/principal.js';

export interface Call<B> {
  ctx: AppContext;
  principal: Principal;
  /** The organization the call acts on (already authorized), or '' for instance-level calls. */
  orgId: string;
  params: Record<string, string>;
  body: B;
  /** The caller's address as the throttles key it (for a password check). */
  address: () => string;
}

/**
 * A management endpoint declares its contract: path, the permission it needs, where that
 * permission is checked (in the target organization, or instance-wide), its body schema and the
 * schema of its answer. The router enforces the first ones before the handler runs; the API
 * reference (/openapi.json) is generated from all of them. A 'self' endpoint (the auth API's
 * /users/me) needs no permission: whoever is signed in acts on themselves alone.
 */
export type Endpoint<S extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> = {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  /** ZITADEL's name for the call (its RPC), or Tessera's for its own: the reference's operationId. */
  summary?: string;
  body?: S;
  /** What a 200 answers, field by field (strict): the reference publishes it and the tests hold the handler to it. */
  response?: R;
  handler: (call: Call<z.output<S>>) => z.input<R> | Promise<z.input<R>>;
} & ({ scope?: 'org' | 'instance'; permission: Permission } | { scope: 'self'; permission?: never });

export function endpoint<S extends z.ZodType, R extends z.ZodType>(e: Endpoint<S, R>): Endpoint {
  return e as unknown as Endpoint;
}
