import { lazy } from 'react';
import { Lazy } from '../components/Lazy';
import type { RouteObject } from 'react-router';
import { RequireAction } from '../components/RequireAction';

const OrganizationsPage = lazy(() => import('./OrganizationsPage').then((m) => ({ default: m.OrganizationsPage })));

export const organizationRoutes: RouteObject[] = [
  { path: 'organizations', element: <RequireAction action="orgs.read"><Lazy><OrganizationsPage /></Lazy></RequireAction> },
];
