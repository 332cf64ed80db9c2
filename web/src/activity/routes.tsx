import { lazy } from 'react';
import { Lazy } from '../components/Lazy';
import type { RouteObject } from 'react-router';
import { RequireAction } from '../components/RequireAction';

const ActivityPage = lazy(() => import('./ActivityPage').then((m) => ({ default: m.ActivityPage })));

export const activityRoutes: RouteObject[] = [{ path: 'activity', element: <RequireAction action="activity.read"><Lazy><ActivityPage /></Lazy></RequireAction> }];
