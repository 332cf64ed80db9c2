// The org users' portal: outside the admin shell, no admin session needed.
import { lazy } from 'react';
import { Lazy } from '../components/Lazy';
import type { RouteObject } from 'react-router';

const UserConsolePage = lazy(() => import('./UserConsolePage').then((m) => ({ default: m.UserConsolePage })));
const UserActivatePage = lazy(() => import('./UserActivatePage').then((m) => ({ default: m.UserActivatePage })));

export const userConsoleRoutes: RouteObject[] = [
  { path: '/userconsole', element: <Lazy><UserConsolePage /></Lazy> },
  { path: '/userconsole/activate', element: <Lazy><UserActivatePage /></Lazy> },
];
