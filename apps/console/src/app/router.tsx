import { createBrowserRouter, Navigate } from 'react-router';
import { apiReferenceRoutes } from '../features/api-reference/routes';
import { operatorRoutes } from '../features/operators/routes';
import { organizationRoutes } from '../features/organization/routes';
import { projectRoutes } from '../features/projects/routes';
import { serviceUserRoutes } from '../features/service-users/routes';
import { SignInPage } from '../features/session/SignInPage';
import { Layout } from './Layout';
import { NotFound } from './NotFound';
import { RequireAuth } from './RequireAuth';

export const router = createBrowserRouter([
  { path: '/signin', element: <SignInPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <Layout />,
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
]);
