import { formatDate } from '../lib/format-date';

/** A moment as the console shows it everywhere, machine-readable in a time element; "—" when there is none. */
export function DateTime({ iso }: { iso: string | undefined }) {
  return iso ? <time dateTime={iso}>{formatDate(iso)}</time> : <>—</>;
}
