import type { RouteObject } from 'react-router';
import { RequireAction } from '../components/RequireAction';
import { AdministratorsPage } from './AdministratorsPage';

export const administratorRoutes: RouteObject[] = [
  { path: 'administrators', element: <RequireAction action="admins.read"><AdministratorsPage /></RequireAction> },
];
