import { lazy } from 'react';
import { Lazy } from '../components/Lazy';
import type { RouteObject } from 'react-router';
import { RequireAction } from '../components/RequireAction';

const DevicesPage = lazy(() => import('./DevicesPage').then((m) => ({ default: m.DevicesPage })));

export const deviceRoutes: RouteObject[] = [{ path: 'devices', element: <RequireAction action="devices.read"><Lazy><DevicesPage /></Lazy></RequireAction> }];
