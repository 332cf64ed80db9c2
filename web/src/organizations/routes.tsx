import type { RouteObject } from 'react-router';
import { RequireAction } from '../components/RequireAction';
import { OrganizationsPage } from './OrganizationsPage';

export const organizationRoutes: RouteObject[] = [
  { path: 'organizations', element: <RequireAction action="orgs.read"><OrganizationsPage /></RequireAction> },
];
