import type { RequestListener } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { GrpcCode, type ApiError } from '@tessera/contracts';
import express from 'express';
import { consoleSessionRouter } from './console-session/routes.js';
import { sessionMiddleware } from './console-session/session.js';
import type { AppContext } from './context.js';
import { consoleRouter } from './http/console.js';
import { corsGate } from './http/cors.js';
import { gatewayErrorHandler, gatewayNotFound } from './http/gateway-errors.js';
import { metricsEndpoint, PrometheusMetrics } from './http/metrics.js';
import { openApiEndpoint } from './http/openapi.js';
import { requestLog } from './http/request-log.js';
import { NO_STORE, sendJson } from './http/respond.js';
import { consoleSecurityHeaders } from './http/security-headers.js';
import { adminEndpoints, adminRouter } from './management/admin.js';
import { authEndpoints, authRouter } from './management/my-user.js';
import { bearerPath } from './management/bearer-path.js';
import { serviceHealthz } from './management/healthz.js';
import { endpoints } from './management/endpoints.js';
import { managementRouter } from './management/router.js';
import { oauthHotPath } from './oauth/hot-path.js';
import { oauthRouter } from './oauth/router.js';
import { rpcPath } from './rpc/rpc-path.js';
import { proxyTrust } from './security/client-address.js';

/**
 * What createApp builds: a plain request listener for http.createServer(), supertest, or a bench,
 * and the listener for HTTP/2 connections on the same port (http/front-door.ts).
 */
export type App = RequestListener & { http2: (req: Http2ServerRequest, res: Http2ServerResponse) => void };

const HTTP2_ONLY_RPC: ApiError = {
  code: GrpcCode.Unimplemented,
  message: 'over HTTP/2 without TLS this port serves gRPC, gRPC-Web and Connect; use HTTP/1.1 for REST, OAuth and the console',
  details: [{ id: 'HTTP2-RPC-ONLY', message: 'use HTTP/1.1' }],
};

/**
 * Builds the whole server from its context; no listen, so tests run it in-process. The front door
 * is explicit: CORS (when configured), then the OAuth hot path, then Bearer calls to the
 * management and admin APIs, then Express for everything else (the console, its session API, and
 * the same APIs for session callers).
 */
export function createApp(ctx: AppContext): App {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // The same trust function the OAuth hot path uses (security/client-address.ts), so req.ip and
  // the token endpoint's throttles always name the same client.
  app.set('trust proxy', proxyTrust(ctx.config.trustProxy));
  app.set('query parser', 'simple');

  // The rest of the OAuth boundary (discovery, keys, 405s) runs before any other middleware.
  const hot = oauthHotPath(ctx);
  app.use(oauthRouter(ctx, hot));
  app.use(requestLog(ctx.logger, ctx.metrics));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await ctx.storage.ping();
      res.set('Cache-Control', 'no-store').json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'unavailable', database: 'error' });
    }
  });

  // The API reference, generated from the endpoint lists; before the console, whose SPA fallback would answer HTML.
  app.get('/openapi.json', openApiEndpoint);

  // Off unless TESSERA_METRICS_TOKEN is set; then a 404, never the console's page, so a scraper is not misled.
  const metrics = ctx.metrics instanceof PrometheusMetrics && ctx.config.metricsToken ? metricsEndpoint(ctx.metrics, ctx.config.metricsToken) : gatewayNotFound;
  app.get('/metrics', metrics);

  app.use(sessionMiddleware(ctx));
  app.use('/api/session', consoleSecurityHeaders, consoleSessionRouter(ctx));
  app.use('/management/v1', managementRouter(ctx));
  app.use('/admin/v1', adminRouter(ctx));
  app.use('/auth/v1', authRouter(ctx));
  app.use(consoleSecurityHeaders, consoleRouter(ctx.config.consoleDir));

  // Whatever no router claimed (an unknown /api path, a console path that is not a page) answers
  // like the console's API, in the gateway shape, and so does any error that reached this far.
  app.use(gatewayNotFound);
  app.use(gatewayErrorHandler(ctx.logger));

  // Token, introspection, revocation and userinfo are answered before Express: re-parenting every
  // request and response onto Express's prototypes measured as a third of the token endpoint's
  // throughput (oauth/hot-path.ts). Bearer calls to the APIs likewise (management/bearer-path.ts),
  // from the same endpoint lists the routers above are built from.
  const mounts = [
    { prefix: '/management/v1', endpoints },
    { prefix: '/admin/v1', endpoints: adminEndpoints },
    { prefix: '/auth/v1', endpoints: authEndpoints },
  ];
  const bearer = bearerPath(ctx, mounts);
  // The same endpoints over gRPC, gRPC-Web and Connect (rpc/), for ZITADEL's SDKs.
  const rpc = rpcPath(ctx, new Map(mounts.map((m) => [m.prefix, m.endpoints])));
  const cors = ctx.config.corsOrigins.length ? corsGate(ctx.config.corsOrigins) : undefined;
  const http1: RequestListener = (req, res) => {
    if (cors?.(req, res)) return;
    if (!hot(req, res) && !serviceHealthz(req, res) && !bearer(req, res) && !rpc(req, res)) app(req, res);
  };
  // HTTP/2 (cleartext, prior knowledge) is what gRPC clients speak: it serves the RPCs. Express cannot run
  // on node:http2's request objects (it re-parents them onto HTTP/1.1's), so the rest answers 505 there.
  const http2 = (req: Http2ServerRequest, res: Http2ServerResponse) => {
    if (!rpc(req, res)) sendJson(res, 505, HTTP2_ONLY_RPC, NO_STORE);
  };
  return Object.assign(http1, { http2 });
}
