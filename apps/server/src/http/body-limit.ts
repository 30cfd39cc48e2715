import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Refuses a body whose declared Content-Length is over the limit before express.json() sees it.
 * body-parser answers 413 only after reading (and discarding) the whole declared body, so a client
 * that declares gigabytes and sends a few bytes would wait for its socket to time out instead of
 * getting an answer. The error takes body-parser's own type, so the router's error translator
 * answers it as it answers a body that was too large; Connection: close, because the rest of the
 * body stays unread.
 */
export function declaredBodyLimit(limitBytes: number) {
  return (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!(declared > limitBytes)) return next();
    res.setHeader('Connection', 'close');
    next(Object.assign(new Error('request body is too large'), { type: 'entity.too.large', status: 413 }));
  };
}
