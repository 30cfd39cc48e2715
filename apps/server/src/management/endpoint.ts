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
 * permission is checked (in the target organization, or instance-wide), and its body schema.
 * The router enforces all of it before the handler runs. A 'self' endpoint (the auth API's
 * /users/me) needs no permission: whoever is signed in acts on themselves alone.
 */
export type Endpoint<S extends z.ZodType = z.ZodType> = {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  body?: S;
  handler: (call: Call<z.output<S>>) => unknown | Promise<unknown>;
} & ({ scope?: 'org' | 'instance'; permission: Permission } | { scope: 'self'; permission?: never });

export function endpoint<S extends z.ZodType>(e: Endpoint<S>): Endpoint {
  return e as unknown as Endpoint;
}
