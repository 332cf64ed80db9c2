import { lazy } from 'react';
import type { RouteObject } from 'react-router';
import { Lazy } from '../components/Lazy';
import { RequireAction } from '../components/RequireAction';

const ReportsPage = lazy(() => import('./ReportsPage').then((m) => ({ default: m.ReportsPage })));

export const reportRoutes: RouteObject[] = [
  {
    path: 'reports',
    element: (
      <RequireAction action="orgs.read">
        <Lazy>
          <ReportsPage />
        </Lazy>
      </RequireAction>
    ),
  },
];
