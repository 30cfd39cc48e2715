import type { RouteObject } from 'react-router';
import { OrganizationPage } from './components/OrganizationPage';

export const organizationRoutes: RouteObject[] = [{ path: 'org', element: <OrganizationPage /> }];
