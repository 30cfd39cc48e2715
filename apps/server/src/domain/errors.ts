/**
 * Domain errors carry a kind (what went wrong, in protocol-neutral terms) and a stable id.
 * Each protocol boundary maps the kind to its own status and shape; domain code never picks
 * an HTTP status.
 */
export type ErrorKind =
  'invalid_argument' | 'not_found' | 'already_exists' | 'failed_precondition' | 'permission_denied' | 'unauthenticated' | 'resource_exhausted';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly id: string,
    message: string,
    readonly field?: string,
    /** Seconds to wait before trying again, for resource_exhausted: the answer's Retry-After. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalidArgument = (id: string, message: string, field?: string) => new DomainError('invalid_argument', id, message, field);
export const notFound = (id: string, message: string) => new DomainError('not_found', id, message);
export const alreadyExists = (id: string, message: string, field?: string) => new DomainError('already_exists', id, message, field);
export const failedPrecondition = (id: string, message: string) => new DomainError('failed_precondition', id, message);
export const permissionDenied = (message = 'No matching permissions found') => new DomainError('permission_denied', 'AUTH-5mWD2', message);
export const tooMany = (id: string, message: string, retryAfter: number) => new DomainError('resource_exhausted', id, message, undefined, retryAfter);
export const unauthenticated = (message: string, id = 'AUTH-7fs1e') => new DomainError('unauthenticated', id, message);
