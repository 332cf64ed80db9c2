import type { RouteObject } from 'react-router';
import { AccountPage } from './AccountPage';

// Every admin has an account page (provider id, their own API key); its billing and
// settings parts follow their actions.
export const accountRoutes: RouteObject[] = [{ path: 'account', element: <AccountPage /> }];
