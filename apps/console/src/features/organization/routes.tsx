import type { RouteObject } from 'react-router';

export const organizationRoutes: RouteObject[] = [
  { path: 'org', lazy: { Component: async () => (await import('./components/OrganizationPage')).OrganizationPage } },
];
