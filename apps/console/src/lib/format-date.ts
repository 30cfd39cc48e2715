/**
 * The console's one way of showing a moment: the reader's locale, medium date and short time
 * ("Dec 3, 2026, 4:07 AM"). Every table, card and detail uses it; a sentence that speaks of how long
 * ago or how soon ("expires in 3 hours") uses formatRelative, with this one beside it or on hover.
 */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

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
