import { invalidArgument } from './errors.js';

/** What a key or personal access token made without an expiration date carries, as ZITADEL's do. */
export const NO_EXPIRATION = '9999-12-31T23:59:59Z';

/**
 * A credential's expiration date as stored and answered: RFC 3339 in UTC, without fractions of a
 * second when there are none (as ZITADEL writes a Timestamp); NO_EXPIRATION when none is given.
 */
export function expiration(given: string | undefined, now = Date.now()): string {
  if (!given) return NO_EXPIRATION;
  const at = new Date(given);
  if (at.getTime() <= now) throw invalidArgument('EXPIRATION-Past', 'expirationDate must be in the future', 'expirationDate');
  return at.toISOString().replace('.000Z', 'Z');
}

/** Whether a stored expiration date has passed. */
export const hasExpired = (stored: string, now = Date.now()): boolean => Date.parse(stored) <= now;
