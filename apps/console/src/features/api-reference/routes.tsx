import { lazy, Suspense } from 'react';
import type { RouteObject } from 'react-router';
import { PageLoading } from '../../components/PageState';
import { usePageTitle } from '../../lib/use-page-title';

// The renderer is large; it loads with this page only, so the console's own bundle does not carry it.
const ApiReferencePage = lazy(() => import('./components/ApiReferencePage').then((m) => ({ default: m.ApiReferencePage })));

/** Titled at once, while the renderer still loads. */
function ApiReferenceRoute() {
  usePageTitle('API reference');
  return (
    <Suspense fallback={<PageLoading label="Loading the API reference" />}>
      <ApiReferencePage />
    </Suspense>
  );
}

export const apiReferenceRoutes: RouteObject[] = [{ path: 'api-reference', element: <ApiReferenceRoute /> }];
