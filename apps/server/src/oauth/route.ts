import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { StorageUnavailable } from '../storage/port.js';
import { OAuthError, ServerError, sendOAuthError, TemporarilyUnavailable } from './errors.js';

/** An OAuth endpoint: plain Node request and response, so it runs with or without Express. */
export type OAuthHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The OAuth boundary's error translator: OAuth errors answer in RFC 6749's shape, anything else
 * is logged and answers server_error without detail. Never the management API's gateway shape.
 */
export function oauthRoute(logger: Logger, handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void): OAuthHandler {
  const fail = (req: IncomingMessage, res: ServerResponse, err: unknown) => {
    if (res.headersSent) return;
    if (err instanceof OAuthError) return sendOAuthError(res, err);
    if (err instanceof StorageUnavailable) return sendOAuthError(res, new TemporarilyUnavailable('the database is unavailable; try again shortly'));
    logger.error({ err, reqId: req.id }, 'unhandled error on the OAuth boundary');
    sendOAuthError(res, new ServerError('internal error'));
  };
  return (req, res) => {
    try {
      const done = handler(req, res);
      if (done) done.catch((err: unknown) => fail(req, res, err));
    } catch (err) {
      fail(req, res, err);
    }
  };
}
