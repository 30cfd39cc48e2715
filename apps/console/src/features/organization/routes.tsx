import type { RouteObject } from 'react-router';

export const organizationRoutes: RouteObject[] = [
  { path: 'org', lazy: async () => ({ Component: (await import('./components/OrganizationPage')).OrganizationPage }) },
];
