import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The OAuth routes' request log: the same request id and line as http/request-log.ts, without
 * pino-http's per-request child logger, which cost more than issuing the token itself. Only the
 * path is logged: never a header, a body or a query string.
 */
export function oauthAccessLog(logger: Logger): (req: IncomingMessage, res: ServerResponse, path: string) => void {
  return (req, res, path) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!logger.isLevelEnabled('info')) return;
    const start = performance.now();
    res.once('finish', () => {
      const line = {
        reqId: id,
        req: { method: req.method, path, remoteAddress: req.socket.remoteAddress },
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - start),
      };
      if (res.statusCode >= 500) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    });
  };
}
