import type { RouteObject } from 'react-router';
import { OperatorsPage } from './components/OperatorsPage';

export const operatorRoutes: RouteObject[] = [{ path: 'operators', element: <OperatorsPage /> }];
