import type { RouteObject } from 'react-router';
import { RequireAction } from '../components/RequireAction';
import { ActivityPage } from './ActivityPage';

export const activityRoutes: RouteObject[] = [{ path: 'activity', element: <RequireAction action="activity.read"><ActivityPage /></RequireAction> }];
