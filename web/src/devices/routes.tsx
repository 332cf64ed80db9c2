import type { RouteObject } from 'react-router';
import { RequireAction } from '../components/RequireAction';
import { DevicesPage } from './DevicesPage';

export const deviceRoutes: RouteObject[] = [{ path: 'devices', element: <RequireAction action="devices.read"><DevicesPage /></RequireAction> }];
