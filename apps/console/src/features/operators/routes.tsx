import type { RouteObject } from 'react-router';

export const operatorRoutes: RouteObject[] = [
  { path: 'operators', lazy: { Component: async () => (await import('./components/OperatorsPage')).OperatorsPage } },
];
