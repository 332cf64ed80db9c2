import { lazy } from 'react';
import { Lazy } from '../components/Lazy';
import type { RouteObject } from 'react-router';
import { RequireAction } from '../components/RequireAction';

const UsersPage = lazy(() => import('./UsersPage').then((m) => ({ default: m.UsersPage })));

export const userRoutes: RouteObject[] = [{ path: 'users', element: <RequireAction action="users.read"><Lazy><UsersPage /></Lazy></RequireAction> }];
