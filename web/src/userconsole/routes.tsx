// The org users' portal: outside the admin shell, no admin session needed.
import type { RouteObject } from 'react-router';
import { UserActivatePage } from './UserActivatePage';
import { UserConsolePage } from './UserConsolePage';

export const userConsoleRoutes: RouteObject[] = [
  { path: '/userconsole', element: <UserConsolePage /> },
  { path: '/userconsole/activate', element: <UserActivatePage /> },
];
