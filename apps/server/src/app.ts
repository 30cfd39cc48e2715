import express, { type Express } from 'express';
import { consoleSessionRouter } from './console-session/routes.js';
import { sessionMiddleware } from './console-session/session.js';
import type { AppContext } from './context.js';
import { consoleRouter } from './http/console.js';
import { requestLog } from './http/request-log.js';
import { consoleSecurityHeaders } from './http/security-headers.js';
import { managementRouter } from './management/router.js';
import { oauthHotPath, serveBeforeExpress } from './oauth/hot-path.js';
import { oauthRouter } from './oauth/router.js';

/** Builds the whole server from its context; no listen, so tests run it in-process. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', ctx.config.trustProxy);
  app.set('query parser', 'simple');

  // The OAuth boundary is the hot path: token, introspection, revocation and userinfo are answered
  // before Express (oauth/hot-path.ts); the rest of it runs before any other middleware.
  const hot = oauthHotPath(ctx);
  serveBeforeExpress(app, hot);
  app.use(oauthRouter(ctx, hot));
  app.use(requestLog(ctx.logger));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    try {
      ctx.db.prepare('SELECT 1 FROM schema_migrations LIMIT 1').get();
      res.set('Cache-Control', 'no-store').json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'unavailable', database: 'error' });
    }
  });

  app.use(sessionMiddleware(ctx));
  app.use('/api/session', consoleSecurityHeaders, consoleSessionRouter(ctx));
  app.use('/management/v1', managementRouter(ctx));
  app.use(consoleSecurityHeaders, consoleRouter(ctx.config.consoleDir));

  app.use((req, res) => {
    res.status(404).set('Cache-Control', 'no-store').json({ error: 'not_found', message: `no such path: ${req.path}`.slice(0, 200) });
  });
  app.use(((err, req, res, _next) => {
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) ctx.logger.error({ err, reqId: req.id }, 'unhandled error');
    res.status(status).json({ error: status === 500 ? 'internal_error' : 'bad_request' });
  }) as express.ErrorRequestHandler);
  return app;
}
