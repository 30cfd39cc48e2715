import { describe, expect, it } from 'vitest';
import { formatDate, formatRelative } from './format-date';

// Every source file of the console, to check that none formats a date its own way.
const sources = import.meta.glob<string>(['../**/*.{ts,tsx}', '!../**/*.test.{ts,tsx}', '!../lib/format-date.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('the one date format', () => {
  it("is the locale's medium date and short time, and a dash for no date", () => {
    const iso = '2026-03-04T05:06:00Z';
    expect(formatDate(iso)).toBe(new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
    expect(formatDate(undefined)).toBe('—');
  });

  it('says how soon or how long ago in the largest whole unit', () => {
    const now = Date.parse('2026-03-04T05:06:00Z');
    expect(formatRelative('2026-03-04T08:06:00Z', now)).toBe(new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(3, 'hour'));
    expect(formatRelative('2026-03-02T05:06:00Z', now)).toBe(new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(-2, 'day'));
  });

  it('is the only date formatting in the console', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    // Numbers may still be written the locale's way ("1,234"): their variables are named for what they count.
    const counts = /\b(total|count|uses)\w*\.toLocaleString\(\)/g;
    const ownFormats = Object.entries(sources)
      .filter(([, text]) => /toLocale(Date|Time)?String\(|Intl\.(DateTimeFormat|RelativeTimeFormat)/.test(text.replace(counts, '')))
      .map(([file]) => file);
    expect(ownFormats).toEqual([]);
  });
});
