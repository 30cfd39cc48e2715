import type { RouteObject } from 'react-router';

// Each page is its own chunk, loaded when its route first matches (docs/architecture.md, "Console").
export const serviceUserRoutes: RouteObject[] = [
  { path: 'service-users', lazy: { Component: async () => (await import('./components/ServiceUsersPage')).ServiceUsersPage } },
  { path: 'service-users/new', lazy: { Component: async () => (await import('./components/NewServiceUserPage')).NewServiceUserPage } },
  { path: 'service-users/:userId', lazy: { Component: async () => (await import('./components/ServiceUserDetailPage')).ServiceUserDetailPage } },
];
