import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { endpointOf, NO_METRICS, routeFamily, type Metrics } from './metrics.js';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request id: the caller's X-Request-Id when it is a sane one, else a fresh UUID. */
    id?: string;
  }
}

/**
 * A caller's request id is echoed and logged as sent, so it must be too short to be a credential
 * sent by mistake: 36 characters (a UUID, or any shorter id of these characters) is below every
 * credential Tessera hands out over HTTP (client secrets are 64 characters, CSRF tokens 43,
 * access tokens longer).
 */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,36}$/;

/** What a query string is logged as: that there was one, never what it held. */
export const REDACTED_QUERY = '?[redacted]';

/**
 * Starts the access log of one request. `path` is the request's path without its query string;
 * if the request had one, the line says so with REDACTED_QUERY, whichever boundary logs it.
 */
export type AccessLog = (req: IncomingMessage, res: ServerResponse, path: string) => void;

/** The access line: an allow-list of scalars in pino-http's shape, and nothing else. */
export function accessLine(id: string, method: string | undefined, path: string, remoteAddress: string | undefined, statusCode: number, ms: number) {
  return { reqId: id, req: { method, path, remoteAddress }, res: { statusCode }, responseTime: ms };
}

interface Pending {
  logger: Logger;
  metrics: Metrics;
  id: string;
  path: string;
  remoteAddress: string | undefined;
  start: number;
}

const PENDING = Symbol('tessera.accessLog');

// One listener function for every response: no closure per request.
function onClose(this: ServerResponse & { [PENDING]?: Pending }) {
  const p = this[PENDING]!;
  const status = this.statusCode;
  const ms = performance.now() - p.start;
  p.metrics.responded(routeFamily(p.path), status, ms / 1000);
  const endpoint = endpointOf(this);
  if (endpoint) p.metrics.managementCall(endpoint, status);
  const level = status >= 500 ? 'error' : 'info';
  if (!p.logger.isLevelEnabled(level)) return;
  // 'close' follows 'finish' on every response; unfinished, the client went away first.
  const msg = !this.writableFinished ? 'request aborted' : status >= 500 ? 'request errored' : 'request completed';
  p.logger[level](accessLine(p.id, this.req.method, p.path, p.remoteAddress, status, Math.round(ms)), msg);
}

/**
 * One structured line per request, written with the pino logger when the response is done:
 * request id, method, path, caller address, status and milliseconds. Every boundary uses this
 * one function: the OAuth hot path, the management API's Bearer path, and Express for the
 * console and its session API. 5xx answers log at error level, so they are kept when the level is
 * above info.
 *
 * It replaces pino-http, whose per-request child logger and serializers cost more than issuing a
 * token. The line is built from an allow-list of scalars (accessLine): no header, body or query
 * string can reach it, and none of the logger's redaction paths can match one of its keys (a test
 * holds the two together). So its child logger skips the redaction pass, which on this shape
 * could censor nothing and cost 4-8 µs a line; every other log call is redacted as before.
 */
export function accessLog(parent: Logger, metrics: Metrics = NO_METRICS): AccessLog {
  const logger = parent.child({}, { redact: { paths: [] } });
  return (req, res, path) => {
    // originalUrl inside Express routers (req.url is relative there); the query is the same in both.
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '';
    if (url.includes('?')) path += REDACTED_QUERY;
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    if (!logger.isLevelEnabled('error') && metrics === NO_METRICS) return;
    (res as ServerResponse & { [PENDING]?: Pending })[PENDING] = {
      logger,
      metrics,
      id,
      path,
      remoteAddress: req.socket.remoteAddress,
      start: performance.now(),
    };
    res.on('close', onClose);
  };
}

/** The access log as Express middleware, for everything Express serves. */
export function requestLog(logger: Logger, metrics?: Metrics): RequestHandler {
  const log = accessLog(logger, metrics);
  return (req, res, next) => {
    const url = req.originalUrl;
    const q = url.indexOf('?');
    log(req, res, q < 0 ? url : url.slice(0, q));
    next();
  };
}
