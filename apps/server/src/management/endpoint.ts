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
}

/**
 * A management endpoint declares its contract: path, the permission it needs, where that
 * permission is checked (in the target organization, or instance-wide), and its body schema.
 * The router enforces all of it before the handler runs.
 */
export interface Endpoint<S extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  permission: Permission;
  scope?: 'org' | 'instance';
  body?: S;
  handler: (call: Call<z.output<S>>) => unknown | Promise<unknown>;
}

export function endpoint<S extends z.ZodType>(e: Endpoint<S>): Endpoint {
  return e as unknown as Endpoint;
}
