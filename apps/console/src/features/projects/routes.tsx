import type { RouteObject } from 'react-router';
import { ProjectDetailPage } from './components/ProjectDetailPage';
import { ProjectsPage } from './components/ProjectsPage';

export const projectRoutes: RouteObject[] = [
  { path: 'projects', element: <ProjectsPage /> },
  { path: 'projects/:projectId', element: <ProjectDetailPage /> },
];
