import type { RouteObject } from 'react-router';
import { NewServiceUserPage } from './components/NewServiceUserPage';
import { ServiceUserDetailPage } from './components/ServiceUserDetailPage';
import { ServiceUsersPage } from './components/ServiceUsersPage';

export const serviceUserRoutes: RouteObject[] = [
  { path: 'service-users', element: <ServiceUsersPage /> },
  { path: 'service-users/new', element: <NewServiceUserPage /> },
  { path: 'service-users/:userId', element: <ServiceUserDetailPage /> },
];
