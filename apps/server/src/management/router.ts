import { idSchema } from '@tessera/contracts';
import { markEndpoint } from '../http/metrics.js';
import express, { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { DomainError, failedPrecondition, invalidArgument } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { declaredBodyLimit } from '../http/body-limit.js';
import { gatewayErrorHandler, gatewayNotFound } from '../http/gateway-errors.js';
import { throttleBucket } from '../security/client-address.js';
import { authenticate } from './auth.js';
import type { Endpoint } from './endpoint.js';
import { endpoints } from './endpoints.js';

export const ORG_HEADER = 'x-zitadel-orgid';
/** Request bodies of the management API are small JSON documents (bytes). */
export const JSON_BODY_LIMIT = 64 * 1024;

/** One authenticated call to an endpoint, whichever way it arrived (Express or the Bearer path). */
export interface ApiCall {
  principal: Principal;
  params: Record<string, string>;
  /** The x-zitadel-orgid header as sent. */
  orgHeader: string | undefined;
  /** True when the request has a body (Content-Length above 0, or chunked). */
  hasBody: boolean;
  /** Whether that body was declared application/json; asked only when there is one. */
  isJson: () => boolean;
  /** The parsed JSON body (express.json's req.body). */
  body: unknown;
  /** The caller's address as the throttles key it. */
  address: () => string;
}

// Same answer as the gateway error translator gives Express's own URIError.
const pathInvalid = () => invalidArgument('PATH-INVALID', 'request path is not valid percent-encoding');

/** A path parameter as Express decodes it; malformed percent-encoding is the caller's error. */
export function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw pathInvalid();
  }
}

function checkIds(params: Record<string, string>): void {
  for (const name in params) {
    if (name.endsWith('Id') && !idSchema.safeParse(params[name]).success) {
      throw invalidArgument('ID-INVALID', `${name} must be a numeric id`, name);
    }
  }
}

export function hasBody(headers: { 'content-length'?: string; 'transfer-encoding'?: string }): boolean {
  return Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
}

/**
 * Runs an endpoint as it declares itself: path ids, then the permission (in the target
 * organization or instance-wide), then the body schema, then the handler. The only place an
 * endpoint is authorized, for both ways in.
 */
export async function invoke(ctx: AppContext, e: Endpoint, call: ApiCall): Promise<unknown> {
  const { principal, params } = call;
  checkIds(params);
  let orgId = '';
  if (principal.passwordChangeRequired && e.scope !== 'self') {
    throw failedPrecondition(
      'USER-PasswordChangeRequired',
      'choose your own password first: this one was set by someone else (PUT /auth/v1/users/me/password)',
    );
  }
  if (e.scope === 'self') {
    orgId = principal.orgId;
  } else if (e.scope === 'instance') {
    await ctx.authorizer.authorizeInstance(principal, e.permission);
  } else {
    const requested = call.orgHeader;
    if (requested !== undefined && !idSchema.safeParse(requested).success) {
      throw invalidArgument('ORG-HEADER', `${ORG_HEADER} must be a numeric organization id`, ORG_HEADER);
    }
    orgId = await ctx.authorizer.authorizeInOrg(principal, requested, e.permission);
  }
  let body: unknown;
  if (e.body) {
    if (call.hasBody && !call.isJson()) {
      throw new DomainError('invalid_argument', 'BODY-CONTENT-TYPE', 'request body must be application/json');
    }
    body = e.body.parse(call.body ?? {});
  }
  return e.handler({ ctx, principal, orgId, params, body, address: call.address });
}

function handle(ctx: AppContext, e: Endpoint): RequestHandler {
  return async (req, res) => {
    markEndpoint(res, `${e.method.toUpperCase()} ${req.baseUrl}${e.path}`);
    const result = await invoke(ctx, e, {
      principal: req.principal!,
      params: req.params as Record<string, string>,
      orgHeader: req.get(ORG_HEADER),
      hasBody: hasBody(req.headers),
      isJson: () => Boolean(req.is('application/json')),
      body: req.body,
      address: () => throttleBucket(req.ip ?? 'unknown'),
    });
    res.set('Cache-Control', 'no-store').json(result ?? {});
  };
}

/**
 * A gRPC-gateway style API over a list of endpoints: authentication, then each endpoint's
 * declared permission and body, then its handler; errors in the gateway shape. Bearer calls are
 * normally answered before Express by bearer-path.ts, from the same list and through the same
 * invoke(); this router serves the console's session calls, and stays complete on its own.
 */
export function apiRouter(ctx: AppContext, list: readonly Endpoint[]): Router {
  const r = Router();
  r.use(declaredBodyLimit(JSON_BODY_LIMIT), express.json({ limit: JSON_BODY_LIMIT }));
  r.use(authenticate(ctx));
  for (const e of list) r[e.method](e.path, handle(ctx, e));
  r.use(gatewayNotFound);
  r.use(gatewayErrorHandler(ctx.logger));
  return r;
}

/** /management/v1: ZITADEL's REST paths and shapes; every endpoint declares its permission. */
export function managementRouter(ctx: AppContext): Router {
  return apiRouter(ctx, endpoints);
}
