import { lazy } from 'react';
import { Lazy } from '../components/Lazy';
import type { RouteObject } from 'react-router';
import { RequireAction } from '../components/RequireAction';

const AdministratorsPage = lazy(() => import('./AdministratorsPage').then((m) => ({ default: m.AdministratorsPage })));

export const administratorRoutes: RouteObject[] = [
  { path: 'administrators', element: <RequireAction action="admins.read"><Lazy><AdministratorsPage /></Lazy></RequireAction> },
];
