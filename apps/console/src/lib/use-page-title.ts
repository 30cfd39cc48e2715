import { useDocumentTitle } from '@mantine/hooks';

/**
 * The tab's title: the page's names, most specific first, then the product, so a row of tabs and
 * the browser's history tell pages apart ("billing-sync · Service Users · Tessera"). A part not
 * known yet (a name still loading) is left out.
 */
export function usePageTitle(...parts: (string | undefined)[]): void {
  useDocumentTitle(pageTitle(...parts));
}

export const pageTitle = (...parts: (string | undefined)[]) => [...parts.filter((p): p is string => Boolean(p?.trim())), 'Tessera'].join(' · ');
