import { lazy } from 'react';
import type { RouteObject } from 'react-router';
import { Lazy } from '../components/Lazy';
import { RequireAction } from '../components/RequireAction';

const IntegrationsPage = lazy(() => import('./IntegrationsPage').then((m) => ({ default: m.IntegrationsPage })));

export const integrationRoutes: RouteObject[] = [
  {
    path: 'integrations',
    element: (
      <RequireAction action="integrations.read">
        <Lazy>
          <IntegrationsPage />
        </Lazy>
      </RequireAction>
    ),
  },
];
