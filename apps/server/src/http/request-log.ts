import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { REDACT_PATHS, type Logger } from '../logger.js';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request id: the caller's X-Request-Id when it is a sane one, else a fresh UUID. */
    id?: string;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The logger's redaction, spelled out for the access line's own shape: its only object-valued
 * keys are req and res, so `*.password` means req.password and res.password there. The same
 * fields are censored; the wildcards cost 6-7 µs a line, more than the rest of the line.
 */
const ACCESS_REDACT_PATHS = REDACT_PATHS.flatMap((p) => (p.startsWith('*.') ? [`req${p.slice(1)}`, `res${p.slice(1)}`] : [p]));

/** Starts the access log of one request; `path` is what gets logged (never a query string). */
export type AccessLog = (req: IncomingMessage, res: ServerResponse, path: string) => void;

/**
 * One structured line per request, written with the pino logger when the response is finished:
 * request id, method, path, caller address, status and milliseconds. Nothing else: no header, body
 * or query string, so no credential can reach the log (the logger's redaction stays as a second
 * line of defence). Every boundary uses this one function: the OAuth hot path, the management
 * API's Bearer path, and Express for the console and its session API.
 *
 * It replaces pino-http, whose per-request child logger and serializers cost more than issuing a
 * token. 5xx answers log at error level, so they are kept when the level is above info.
 */
export function accessLog(parent: Logger): AccessLog {
  const logger = parent.child({}, { redact: { paths: ACCESS_REDACT_PATHS, censor: '[redacted]' } });
  return (req, res, path) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    if (!logger.isLevelEnabled('error')) return;
    const start = performance.now();
    const remoteAddress = req.socket.remoteAddress;
    const line = (msg: string) => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          reqId: id,
          req: { method: req.method, path, remoteAddress },
          res: { statusCode: status },
          responseTime: Math.round(performance.now() - start),
        },
        status >= 500 && msg === 'request completed' ? 'request errored' : msg,
      );
    };
    // 'close' follows 'finish' on every response; unfinished, the client went away first.
    res.once('close', () => line(res.writableFinished ? 'request completed' : 'request aborted'));
  };
}

/** The access log as Express middleware, for everything Express serves. */
export function requestLog(logger: Logger): RequestHandler {
  const log = accessLog(logger);
  return (req, res, next) => {
    const url = req.originalUrl;
    const q = url.indexOf('?');
    log(req, res, q < 0 ? url : url.slice(0, q));
    next();
  };
}
