import type { RouteObject } from 'react-router';

export const operatorRoutes: RouteObject[] = [
  { path: 'operators', lazy: async () => ({ Component: (await import('./components/OperatorsPage')).OperatorsPage }) },
];
