import type { RouteObject } from 'react-router';

export const projectRoutes: RouteObject[] = [
  { path: 'projects', lazy: async () => ({ Component: (await import('./components/ProjectsPage')).ProjectsPage }) },
  { path: 'projects/:projectId', lazy: async () => ({ Component: (await import('./components/ProjectDetailPage')).ProjectDetailPage }) },
];
