import type { RouteObject } from 'react-router';
import { RequireAction } from '../components/RequireAction';
import { UsersPage } from './UsersPage';

export const userRoutes: RouteObject[] = [{ path: 'users', element: <RequireAction action="users.read"><UsersPage /></RequireAction> }];
