import { lazy } from 'react';
import { Lazy } from '../components/Lazy';
import type { RouteObject } from 'react-router';

const AccountPage = lazy(() => import('./AccountPage').then((m) => ({ default: m.AccountPage })));

// Every admin has an account page (provider id, their own API key); its billing and
// settings parts follow their actions.
export const accountRoutes: RouteObject[] = [{ path: 'account', element: <Lazy><AccountPage /></Lazy> }];
