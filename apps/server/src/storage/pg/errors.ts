import { isUniqueViolation, StorageUnavailable, type StorageFailure } from '../port.js';

/** Socket errors that mean the server is out of reach, not that a statement was wrong. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs that mean the server cannot serve right now: 57P01 admin shutdown, 57P02 crash shutdown,
 * 57P03 cannot connect now (starting up, or in recovery), 53300 too many connections; and class 08,
 * connection exceptions (PostgreSQL's errcodes.txt).
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What pg and pg-pool say, without a code, when a connection is lost or cannot be had in time. */
const CLIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'timeout expired',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

/** True when err says the database cannot be reached, rather than that a statement failed. */
export function isConnectionFailure(err: unknown): boolean {
  if (err instanceof StorageUnavailable) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (err instanceof AggregateError) return err.errors.some(isConnectionFailure);
  return CLIENT_MESSAGES.some((m) => err.message.startsWith(m));
}

/** A conflict between concurrent transactions that running the command again resolves: 40001, 40P01. */
export function isRetryableConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

/** err as the port names it: StorageUnavailable when the database is out of reach, else err itself. */
export function storageError(err: unknown): unknown {
  return isConnectionFailure(err) && !(err instanceof StorageUnavailable) ? new StorageUnavailable(err) : err;
}

/** What a PostgreSQL error says of the database, or undefined when it is not the database's (a domain error, a unique violation). */
export function pgFailure(err: unknown): StorageFailure | undefined {
  if (isConnectionFailure(err)) return 'unavailable';
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !isUniqueViolation(err) ? 'statement' : undefined;
}
