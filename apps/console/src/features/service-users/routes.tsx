import type { RouteObject } from 'react-router';

// Each page is its own chunk, loaded when its route first matches (docs/architecture.md, "Console").
export const serviceUserRoutes: RouteObject[] = [
  { path: 'service-users', lazy: async () => ({ Component: (await import('./components/ServiceUsersPage')).ServiceUsersPage }) },
  { path: 'service-users/new', lazy: async () => ({ Component: (await import('./components/NewServiceUserPage')).NewServiceUserPage }) },
  { path: 'service-users/:userId', lazy: async () => ({ Component: (await import('./components/ServiceUserDetailPage')).ServiceUserDetailPage }) },
];
