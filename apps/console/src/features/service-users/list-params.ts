import type { UserState } from '@tessera/contracts';
import { useSearchParams } from 'react-router';

/** Marks an address written by typing in the search field, not brought by a link, Back or a reload. */
const TYPED = { typedSearch: true } as const;

export const isTypedSearch = (state: unknown) => (state as Partial<typeof TYPED> | null)?.typedSearch === true;

/** The columns the list sorts by, as the address names them, and ZITADEL's sortingColumn for each. */
export const SORT_COLUMNS = {
  userName: 'USER_FIELD_NAME_USER_NAME',
  displayName: 'USER_FIELD_NAME_DISPLAY_NAME',
  state: 'USER_FIELD_NAME_STATE',
  created: 'USER_FIELD_NAME_CREATION_DATE',
} as const;
export type SortColumn = keyof typeof SORT_COLUMNS;

/** The state filter, as the address names it (absent: every state). */
export const STATE_FILTERS = { active: 'USER_STATE_ACTIVE', inactive: 'USER_STATE_INACTIVE' } as const satisfies Record<string, UserState>;
export type StateFilter = keyof typeof STATE_FILTERS;

const isSortColumn = (s: string | null): s is SortColumn => s !== null && Object.hasOwn(SORT_COLUMNS, s);
const isStateFilter = (s: string | null): s is StateFilter => s !== null && Object.hasOwn(STATE_FILTERS, s);

/** The list's order: newest first unless the address says otherwise. */
export interface ListOrder {
  sort: SortColumn;
  asc: boolean;
}

interface Change {
  q?: string;
  page?: number;
  order?: ListOrder;
  state?: StateFilter | null;
}

/**
 * The Service Users list's search (?q=), page (?page=), order (?sort=&asc=) and state filter (?state=)
 * live in the address, so Back, a reload or a shared link shows the same list. A new page, order or
 * filter is a step in the history; a search replaces the current step, one per pause in typing. Every
 * change but a new page starts again from page 1. The default (newest first, every state) is left out.
 */
export function useListParams() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q')?.trim() ?? '';
  const page = Math.max(1, Math.trunc(Number(params.get('page'))) || 1);
  const sortParam = params.get('sort');
  const order: ListOrder = isSortColumn(sortParam) ? { sort: sortParam, asc: params.get('asc') === 'true' } : { sort: 'created', asc: false };
  const stateParam = params.get('state');
  const state = isStateFilter(stateParam) ? stateParam : null;

  const change = (next: Change, options?: { replace: true; state: typeof TYPED }) =>
    setParams((current) => {
      const updated = new URLSearchParams(current);
      if (next.q) updated.set('q', next.q);
      else if (next.q === '') updated.delete('q');
      if (next.order) {
        const isDefault = next.order.sort === 'created' && !next.order.asc;
        updated.delete('sort');
        updated.delete('asc');
        if (!isDefault) updated.set('sort', next.order.sort);
        if (!isDefault && next.order.asc) updated.set('asc', 'true');
      }
      if (next.state !== undefined) {
        if (next.state) updated.set('state', next.state);
        else updated.delete('state');
      }
      if (next.page === undefined || next.page <= 1) updated.delete('page');
      else updated.set('page', String(next.page));
      return updated;
    }, options);

  return {
    search,
    page,
    order,
    state,
    setSearch: (q: string) => change({ q: q.trim() }, { replace: true, state: TYPED }),
    setPage: (p: number) => change({ page: p }),
    /** A column's header was clicked: the current column turns around; another starts A to Z (Created: newest first). */
    sortBy: (sort: SortColumn) => change({ order: { sort, asc: sort === order.sort ? !order.asc : sort !== 'created' } }),
    setState: (s: StateFilter | null) => change({ state: s }),
  };
}
