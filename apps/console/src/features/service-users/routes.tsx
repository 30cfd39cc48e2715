import type { RouteObject } from 'react-router';
import { ServiceUsersPage } from './components/ServiceUsersPage';

export const serviceUserRoutes: RouteObject[] = [{ path: 'service-users', element: <ServiceUsersPage /> }];
