import type { IncomingMessage, ServerResponse } from 'node:http';
import { GrpcCode, type ApiError } from '@tessera/contracts';
import express, { type Request } from 'express';
import type { AppContext } from '../context.js';
import { toGatewayError } from '../http/gateway-errors.js';
import { accessLog } from '../http/request-log.js';
import { NO_STORE, sendJson } from '../http/respond.js';
import { markEndpoint } from '../http/metrics.js';
import { bearerPrincipal } from './auth.js';
import type { Endpoint } from './endpoint.js';
import { declaredBodyLimit } from '../http/body-limit.js';
import { clientAddress, proxyTrust, throttleBucket } from '../security/client-address.js';
import { decodeParam, hasBody, invoke, JSON_BODY_LIMIT, ORG_HEADER } from './router.js';

/** An API mounted at a path prefix (e.g. /management/v1) with its declared endpoints. */
export interface ApiMount {
  prefix: string;
  endpoints: readonly Endpoint[];
}

interface Route {
  method: Endpoint['method'];
  /** Per path segment: the literal (lower case), or null for a parameter. */
  literals: (string | null)[];
  /** Per path segment: the parameter's name, or null for a literal. */
  names: (string | null)[];
  endpoint: Endpoint;
  /** "METHOD /prefix/path" as declared: the endpoint's name in the metrics. */
  key: string;
}

/** Answers the request when it is a Bearer call to one of the mounted APIs; false when it is not. */
export type BearerPath = (req: IncomingMessage, res: ServerResponse) => boolean;

const INTERNAL: ApiError = {
  code: GrpcCode.Internal,
  message: 'internal error',
  details: [{ id: 'INTERNAL', message: 'internal error' }],
};

/** Marks "no endpoint here", which answers only once the caller has authenticated, as Express does. */
class NoRoute extends Error {}

/**
 * Management calls with an Authorization header, answered before Express: the machines' hot path.
 * Express's per-request work (re-parenting req and res onto its prototypes, the middleware chain,
 * session and security-header checks that a Bearer call skips anyway) cost more than the call.
 *
 * Nothing is defined twice: the routes are compiled from the same endpoint list, the caller is
 * authenticated by bearerPrincipal() and each call runs through invoke(), as in the Express router.
 * What Express would do is kept: the body is parsed by express.json() first (its errors answer
 * before authentication), paths match case-insensitively with an optional trailing slash, HEAD is
 * served by GET, unknown paths answer 404 only to an authenticated caller, and every answer is in
 * the gRPC-gateway shape with Cache-Control: no-store, X-Request-Id and nosniff.
 */
export function bearerPath(ctx: AppContext, mounts: readonly ApiMount[]): BearerPath {
  const trust = proxyTrust(ctx.config.trustProxy);
  const tables = mounts.map((m) => ({ prefix: `${m.prefix}/`, routes: m.endpoints.map((e) => compile(m.prefix, e)) }));
  const log = accessLog(ctx.logger, ctx.metrics);
  const limitBody = declaredBodyLimit(JSON_BODY_LIMIT);
  const parseJson = express.json({ limit: JSON_BODY_LIMIT });

  const fail = (req: IncomingMessage, res: ServerResponse, path: string, err: unknown) => {
    if (res.headersSent) return;
    if (err instanceof NoRoute) {
      const message = `no such endpoint: ${req.method} ${path}`.slice(0, 300);
      return sendJson(res, 404, { code: GrpcCode.NotFound, message, details: [{ id: 'ROUTE-NOT-FOUND', message: 'no such endpoint' }] }, NO_STORE);
    }
    const known = toGatewayError(err);
    if (known?.retryAfter) res.setHeader('Retry-After', String(known.retryAfter));
    if (known) return sendJson(res, known.status, known.body, NO_STORE);
    ctx.logger.error({ err, reqId: req.id }, 'unhandled error');
    sendJson(res, 500, INTERNAL, NO_STORE);
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, header: string, routes: Route[], path: string, rest: string) => {
    const principal = await bearerPrincipal(ctx, header);
    const found = match(routes, req.method ?? 'GET', rest);
    if (!found) throw new NoRoute();
    markEndpoint(res, found.key);
    const result = await invoke(ctx, found.endpoint, {
      principal,
      params: found.params,
      orgHeader: req.headers[ORG_HEADER] as string | undefined,
      hasBody: hasBody(req.headers),
      // Express's own req.is(), which reads nothing but the headers: the same answer as the router's.
      isJson: () => Boolean(express.request.is.call(req as Request, 'application/json')),
      body: (req as { body?: unknown }).body,
      address: () => throttleBucket(clientAddress(req, trust)),
    });
    sendJson(res, 200, result ?? {}, NO_STORE);
  };

  return (req, res) => {
    const header = req.headers.authorization;
    if (header === undefined) return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const table = tables.find((t) => path.startsWith(t.prefix));
    if (!table) return false;
    log(req, res, path);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const rest = path.slice(table.prefix.length - 1);
    const parsed = (err?: unknown) => {
      if (err) return fail(req, res, path, err);
      serve(req, res, header, table.routes, path, rest).catch((e: unknown) => fail(req, res, path, e));
    };
    limitBody(req, res, (err?: unknown) => (err ? parsed(err) : parseJson(req, res, parsed)));
    return true;
  };
}

function compile(prefix: string, e: Endpoint): Route {
  const parts = e.path.split('/').slice(1);
  return {
    key: `${e.method.toUpperCase()} ${prefix}${e.path}`,
    method: e.method,
    literals: parts.map((p) => (p.startsWith(':') ? null : p.toLowerCase())),
    names: parts.map((p) => (p.startsWith(':') ? p.slice(1) : null)),
    endpoint: e,
  };
}

/** Express's matching: first declared route wins, literals ignore case, one trailing slash is allowed. */
function match(routes: Route[], method: string, rest: string): { endpoint: Endpoint; key: string; params: Record<string, string> } | undefined {
  const m = method === 'HEAD' ? 'get' : method.toLowerCase();
  const trimmed = rest.length > 1 && rest.endsWith('/') ? rest.slice(0, -1) : rest;
  const parts = trimmed.split('/').slice(1);
  next: for (const r of routes) {
    if (r.method !== m || r.literals.length !== parts.length) continue;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const seg = parts[i]!;
      const literal = r.literals[i];
      if (literal !== null && literal !== undefined) {
        if (seg.toLowerCase() !== literal) continue next;
      } else {
        if (!seg) continue next;
        params[r.names[i]!] = decodeParam(seg);
      }
    }
    return { endpoint: r.endpoint, key: r.key, params };
  }
  return undefined;
}
