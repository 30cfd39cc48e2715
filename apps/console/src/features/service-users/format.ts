import type { AccessTokenType, UserState } from '@tessera/contracts';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

export const TOKEN_TYPE_LABELS: Record<AccessTokenType, string> = {
  ACCESS_TOKEN_TYPE_BEARER: 'Bearer',
  ACCESS_TOKEN_TYPE_JWT: 'JWT',
};

/** Options for the Access Token Type field, Bearer (the default) first. */
export const TOKEN_TYPE_OPTIONS = Object.entries(TOKEN_TYPE_LABELS).map(([value, label]) => ({ value, label }));

export const STATE_LABELS: Record<UserState, string> = {
  USER_STATE_ACTIVE: 'Active',
  USER_STATE_INACTIVE: 'Inactive',
};

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** A time relative to now, in the largest whole unit: "in 59 minutes", "3 hours ago", "now". */
export function formatRelative(iso: string, now = Date.now()): string {
  const diff = Date.parse(iso) - now;
  for (const [unit, ms] of UNITS) if (Math.abs(diff) >= ms) return relative.format(Math.round(diff / ms), unit);
  return relative.format(0, 'second');
}
