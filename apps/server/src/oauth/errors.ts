import type { ServerResponse } from 'node:http';
import { NO_STORE, sendJson } from '../http/respond.js';

export const REALM = 'tessera';
/** RFC 7617 section 2.1: the charset parameter tells clients the credentials are UTF-8. */
export const BASIC_CHALLENGE = `Basic realm="${REALM}", charset="UTF-8"`;

/**
 * One class per OAuth error (RFC 6749 5.2, RFC 6750 3.1, RFC 7009 2.2.1); the status and any
 * challenge header live on the class. Descriptions are for humans and never hold a secret.
 */
export abstract class OAuthError extends Error {
  abstract readonly error: string;
  abstract readonly status: number;

  constructor(readonly description: string) {
    super(description);
    this.name = new.target.name;
  }

  headers(): Record<string, string> {
    return {};
  }
}

export class InvalidRequest extends OAuthError {
  readonly error = 'invalid_request';
  readonly status = 400;
}

/** 401 with a Basic challenge, whichever way the client tried (RFC 6749 5.2). */
export class InvalidClient extends OAuthError {
  readonly error = 'invalid_client';
  readonly status = 401;
  override headers() {
    return { 'WWW-Authenticate': BASIC_CHALLENGE };
  }
}

/** The client proved who it is but may not be given a token (a deactivated service user). */
export class UnauthorizedClient extends OAuthError {
  readonly error = 'unauthorized_client';
  readonly status = 400;
}

/** RFC 6749 5.2 and RFC 7523 3.1: the grant (here, a JWT assertion) is invalid, expired or already used. */
export class InvalidGrant extends OAuthError {
  readonly error = 'invalid_grant';
  readonly status = 400;
}

/** RFC 6749 5.2: a requested scope is unknown or not the client's to ask for (a project audience of another organization). */
export class InvalidScope extends OAuthError {
  readonly error = 'invalid_scope';
  readonly status = 400;
}

export class UnsupportedGrantType extends OAuthError {
  readonly error = 'unsupported_grant_type';
  readonly status = 400;
}

export class RequestTooLarge extends OAuthError {
  readonly error = 'invalid_request';
  readonly status = 413;
  /** The rest of the body is left unread, so the connection cannot be reused. */
  override headers() {
    return { Connection: 'close' };
  }
}

export class NoSuchEndpoint extends OAuthError {
  readonly error = 'invalid_request';
  readonly status = 404;
}

export class MethodNotAllowed extends OAuthError {
  readonly error = 'invalid_request';
  readonly status = 405;
  constructor(readonly allow: string) {
    super(`this endpoint accepts ${allow} only`);
  }
  override headers() {
    return { Allow: this.allow };
  }
}

/**
 * Too many failed client authentications. "slow_down" is the registered token-endpoint error
 * (RFC 8628 3.5) that tells a client to back off; Retry-After says for how long.
 */
export class SlowDown extends OAuthError {
  readonly error = 'slow_down';
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed client authentications; retry in ${retryAfterSeconds} s`);
  }
  override headers() {
    return { 'Retry-After': String(this.retryAfterSeconds) };
  }
}

/**
 * RFC 6750 3.1: a request with no Bearer token at all (no Authorization header, or another scheme)
 * is told how to authenticate and nothing else: no error code, so no body either.
 */
export const BEARER_CHALLENGE = `Bearer realm="${REALM}"`;

export function sendBearerChallenge(res: ServerResponse): void {
  res.writeHead(401, { ...NO_STORE, 'WWW-Authenticate': BEARER_CHALLENGE, 'Content-Length': 0 });
  res.end();
}

/** RFC 6750 3.1, for the userinfo endpoint: a token was sent and is not valid; the challenge repeats the error. */
export class InvalidToken extends OAuthError {
  readonly error = 'invalid_token';
  readonly status = 401;
  override headers() {
    return { 'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${this.description}"` };
  }
}

/** RFC 6749 4.1.2.1's temporarily_unavailable: the database cannot be reached; try again shortly. */
export class TemporarilyUnavailable extends OAuthError {
  readonly error = 'temporarily_unavailable';
  readonly status = 503;
  override headers() {
    return { 'Retry-After': '1' };
  }
}

export class ServerError extends OAuthError {
  readonly error = 'server_error';
  readonly status = 500;
}

/** Errors on the OAuth boundary are never cached (RFC 6749 5.1 applies the same to errors in practice). */
export function sendOAuthError(res: ServerResponse, err: OAuthError): void {
  sendJson(res, err.status, { error: err.error, error_description: err.description }, { ...NO_STORE, ...err.headers() });
}
