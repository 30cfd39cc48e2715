import { StorageUnavailable } from '../storage/port.js';
import { STATUS_CODES } from 'node:http';
import { GrpcCode, type ApiError } from '@tessera/contracts';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { DomainError, type ErrorKind } from '../domain/errors.js';
import type { Logger } from '../logger.js';

/** The management API and the console's session API speak the gRPC-gateway error shape. */
const byKind: Record<ErrorKind, { status: number; code: number }> = {
  invalid_argument: { status: 400, code: GrpcCode.InvalidArgument },
  failed_precondition: { status: 400, code: GrpcCode.FailedPrecondition },
  not_found: { status: 404, code: GrpcCode.NotFound },
  already_exists: { status: 409, code: GrpcCode.AlreadyExists },
  permission_denied: { status: 403, code: GrpcCode.PermissionDenied },
  unauthenticated: { status: 401, code: GrpcCode.Unauthenticated },
  resource_exhausted: { status: 429, code: GrpcCode.ResourceExhausted },
};

export function sendGatewayError(res: Response, status: number, body: ApiError): void {
  res.status(status).set('Cache-Control', 'no-store').json(body);
}

function fromZod(err: ZodError): { status: number; body: ApiError } {
  const details = err.issues.slice(0, 10).map((i) => {
    const field = i.path.join('.');
    return { id: 'INVALID_ARGUMENT', message: field ? `${field}: ${i.message}` : i.message, ...(field ? { field } : {}) };
  });
  return { status: 400, body: { code: GrpcCode.InvalidArgument, message: details[0]?.message ?? 'invalid argument', details } };
}

/** Errors from express.json(): malformed JSON, too large, wrong charset. */
function fromBodyParser(err: { type?: string; status?: number }): { status: number; body: ApiError } | undefined {
  const messages: Record<string, string> = {
    'entity.parse.failed': 'request body is not valid JSON',
    'entity.too.large': 'request body is too large',
    'encoding.unsupported': 'request body encoding is not supported',
    'charset.unsupported': 'request body charset is not supported',
    'request.aborted': 'request was aborted',
    'entity.verify.failed': 'request body could not be verified',
  };
  const message = err.type ? messages[err.type] : undefined;
  if (!message) return undefined;
  const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 400;
  return { status, body: { code: GrpcCode.InvalidArgument, message, details: [{ id: 'BODY-INVALID', message }] } };
}

// Codes of zlib's gzip/deflate errors (Z_DATA_ERROR, ...) and of its brotli decoder.
const ZLIB_ERROR = /^(Z_|ERR__ERROR_|ERR_BROTLI)/;

/**
 * Other errors Express and its middleware raise for a bad request (http-errors with a 4xx status):
 * a path parameter that is not valid percent-encoding (a URIError), a body that does not
 * decompress, a static file refused. The client's mistake, never a 500; the message is fixed
 * text, so nothing the client sent is echoed back.
 */
function fromHttpError(err: object): { status: number; body: ApiError } | undefined {
  const e = err as { status?: unknown; statusCode?: unknown; code?: unknown };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  let id = status === 404 ? 'NOT-FOUND' : status === 403 ? 'FORBIDDEN' : 'REQUEST-INVALID';
  let message = (STATUS_CODES[status] ?? 'bad request').toLowerCase();
  if (err instanceof URIError) [id, message] = ['PATH-INVALID', 'request path is not valid percent-encoding'];
  else if (typeof e.code === 'string' && ZLIB_ERROR.test(e.code)) [id, message] = ['BODY-INVALID', 'request body could not be decompressed'];
  const code = status === 404 ? GrpcCode.NotFound : status === 403 ? GrpcCode.PermissionDenied : GrpcCode.InvalidArgument;
  return { status, body: { code, message, details: [{ id, message }] } };
}

export function toGatewayError(err: unknown): { status: number; body: ApiError; retryAfter?: number } | undefined {
  if (err instanceof DomainError) {
    const { status, code } = byKind[err.kind];
    return {
      status,
      ...(err.retryAfter ? { retryAfter: err.retryAfter } : {}),
      body: { code, message: err.message, details: [{ id: err.id, message: err.message, ...(err.field ? { field: err.field } : {}) }] },
    };
  }
  if (err instanceof ZodError) return fromZod(err);
  if (!err || typeof err !== 'object') return undefined;
  return ('type' in err ? fromBodyParser(err as { type?: string; status?: number }) : undefined) ?? fromHttpError(err);
}

export function gatewayErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = toGatewayError(err);
    if (known?.retryAfter) res.setHeader('Retry-After', String(known.retryAfter));
    if (known) return sendGatewayError(res, known.status, known.body);
    if (err instanceof StorageUnavailable) {
      res.setHeader('Retry-After', '1');
      return sendGatewayError(res, 503, {
        code: GrpcCode.Unavailable,
        message: 'the database is unavailable; try again shortly',
        details: [{ id: 'STORAGE-UNAVAILABLE', message: 'the database is unavailable' }],
      });
    }
    logger.error({ err, reqId: req.id }, 'unhandled error');
    sendGatewayError(res, 500, {
      code: GrpcCode.Internal,
      message: 'internal error',
      details: [{ id: 'INTERNAL', message: 'internal error' }],
    });
  };
}

export const gatewayNotFound: RequestHandler = (req, res) => {
  sendGatewayError(res, 404, {
    code: GrpcCode.NotFound,
    message: `no such endpoint: ${req.method} ${req.baseUrl}${req.path}`.slice(0, 300),
    details: [{ id: 'ROUTE-NOT-FOUND', message: 'no such endpoint' }],
  });
};
