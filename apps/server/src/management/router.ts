import { idSchema } from '@tessera/contracts';
import express, { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { DomainError, invalidArgument } from '../domain/errors.js';
import { declaredBodyLimit } from '../http/body-limit.js';
import { gatewayErrorHandler, gatewayNotFound } from '../http/gateway-errors.js';
import { authenticate } from './auth.js';
import type { Endpoint } from './endpoint.js';
import { endpoints } from './endpoints.js';

export const ORG_HEADER = 'x-zitadel-orgid';
const BODY_LIMIT = 64 * 1024;

function checkIds(params: Record<string, string>): void {
  for (const [name, value] of Object.entries(params)) {
    if (name.endsWith('Id') && !idSchema.safeParse(value).success) {
      throw invalidArgument('ID-INVALID', `${name} must be a numeric id`, name);
    }
  }
}

function hasBody(req: express.Request): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

function handle(ctx: AppContext, e: Endpoint): RequestHandler {
  return async (req, res) => {
    const principal = req.principal!;
    const params = req.params as Record<string, string>;
    checkIds(params);
    let orgId = '';
    if (e.scope === 'instance') {
      ctx.authorizer.authorizeInstance(principal, e.permission);
    } else {
      const requested = req.get(ORG_HEADER);
      if (requested !== undefined && !idSchema.safeParse(requested).success) {
        throw invalidArgument('ORG-HEADER', `${ORG_HEADER} must be a numeric organization id`, ORG_HEADER);
      }
      orgId = ctx.authorizer.authorizeInOrg(principal, requested, e.permission);
    }
    let body: unknown;
    if (e.body) {
      if (hasBody(req) && !req.is('application/json')) {
        throw new DomainError('invalid_argument', 'BODY-CONTENT-TYPE', 'request body must be application/json');
      }
      body = e.body.parse(req.body ?? {});
    }
    const result = await e.handler({ ctx, principal, orgId, params, body });
    res.set('Cache-Control', 'no-store').json(result ?? {});
  };
}

/**
 * A gRPC-gateway style API over a list of endpoints: authentication, then each endpoint's
 * declared permission and body, then its handler; errors in the gateway shape.
 */
export function apiRouter(ctx: AppContext, list: readonly Endpoint[]): Router {
  const r = Router();
  r.use(declaredBodyLimit(BODY_LIMIT), express.json({ limit: BODY_LIMIT }));
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
