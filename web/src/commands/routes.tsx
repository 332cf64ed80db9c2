import { lazy } from 'react';
import type { RouteObject } from 'react-router';
import { Lazy } from '../components/Lazy';
import { RequireAction } from '../components/RequireAction';

const SavedCommandsPage = lazy(() => import('./SavedCommandsPage').then((m) => ({ default: m.SavedCommandsPage })));

export const commandRoutes: RouteObject[] = [
  {
    path: 'commands',
    element: (
      <RequireAction action="commands.read">
        <Lazy>
          <SavedCommandsPage />
        </Lazy>
      </RequireAction>
    ),
  },
];
