import { createBrowserRouter, Navigate } from 'react-router';
import { PageLoading } from '../components/PageState';
import { apiReferenceRoutes } from '../features/api-reference/routes';
import { operatorRoutes } from '../features/operators/routes';
import { organizationRoutes } from '../features/organization/routes';
import { projectRoutes } from '../features/projects/routes';
import { serviceUserRoutes } from '../features/service-users/routes';
import { SignInPage } from '../features/session/SignInPage';
import { NotFound } from './NotFound';
import { RouteError } from './RouteError';

// Only the sign-in page is in the first download. Everything behind it (the session check, the
// Layout with its navigation, each feature's pages) is a lazy route: its chunk loads when the route
// first matches. Each feature's routes.tsx declares its own pages the same way (docs/architecture.md).
// `lazy` is a function, not react-router's per-property object: with the object form a chunk that
// fails to load is ignored and the page stays blank; with the function it reaches the errorElement.
export const router = createBrowserRouter([
  {
    // Shown while the first page's chunks load, and in place of the console when one cannot be loaded.
    hydrateFallbackElement: <PageLoading label="Loading the console" />,
    errorElement: <RouteError standalone />,
    children: [
      { path: '/signin', element: <SignInPage /> },
      {
        lazy: async () => ({ Component: (await import('./RequireAuth')).RequireAuth }),
        children: [
          {
            lazy: async () => ({ Component: (await import('./Layout')).Layout }),
            children: [
              {
                // A page that fails to load says so inside the Layout, with the navigation still there.
                errorElement: <RouteError />,
                children: [
                  { index: true, element: <Navigate to="/service-users" replace /> },
                  ...organizationRoutes,
                  ...serviceUserRoutes,
                  ...projectRoutes,
                  ...operatorRoutes,
                  ...apiReferenceRoutes,
                  { path: '*', element: <NotFound /> },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
]);
