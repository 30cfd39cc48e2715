import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessLog } from '../http/request-log.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';

/**
 * The OAuth routes' request log: the one access line every boundary writes (http/request-log.ts),
 * plus the nosniff header Express adds to everything else. Only the path is logged: never a
 * header, a body or a query string.
 */
export function oauthAccessLog(logger: Logger, metrics?: Metrics): (req: IncomingMessage, res: ServerResponse, path: string) => void {
  const log = accessLog(logger, metrics);
  return (req, res, path) => {
    log(req, res, path);
    res.setHeader('X-Content-Type-Options', 'nosniff');
  };
}
