import { useSearchParams } from 'react-router';

/** Marks an address written by typing in the search field, not brought by a link, Back or a reload. */
const TYPED = { typedSearch: true } as const;

export const isTypedSearch = (state: unknown) => (state as Partial<typeof TYPED> | null)?.typedSearch === true;

/**
 * The Service Users list's search (?q=) and page (?page=) live in the address, so Back, a reload or
 * a shared link shows the same list. A new page is a step in the history; a search replaces the
 * current step, one per pause in typing, and starts again from page 1.
 */
export function useListParams() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q')?.trim() ?? '';
  const page = Math.max(1, Math.trunc(Number(params.get('page'))) || 1);

  const change = (next: { q?: string; page?: number }, options?: { replace: true; state: typeof TYPED }) =>
    setParams((current) => {
      const updated = new URLSearchParams(current);
      if (next.q) updated.set('q', next.q);
      else if (next.q === '') updated.delete('q');
      if (next.page === undefined || next.page <= 1) updated.delete('page');
      else updated.set('page', String(next.page));
      return updated;
    }, options);

  return {
    search,
    page,
    setSearch: (q: string) => change({ q: q.trim() }, { replace: true, state: TYPED }),
    setPage: (p: number) => change({ page: p }),
  };
}
