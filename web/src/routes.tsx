// Every client route; mtpd answers index.html for each of them.
import type { RouteObject } from 'react-router';
import { ActivatePage, PasswordResetPage, TotpResetPage } from './auth/EmailLinkPages';
import { MfaEnrollPage } from './auth/MfaEnrollPage';
import { SignInPage } from './auth/SignInPage';
import { AppShell } from './components/AppShell';
import { PlaceholderPage } from './components/PlaceholderPage';
import { OrgConsolePage } from './console/OrgConsolePage';
import { homeRoutes } from './home/routes';
import { organizationRoutes } from './organizations/routes';
import { administratorRoutes } from './administrators/routes';
import { accountRoutes } from './account/routes';
import { userRoutes } from './users/routes';
import { deviceRoutes } from './devices/routes';
import { activityRoutes } from './activity/routes';
import { userConsoleRoutes } from './userconsole/routes';
import { integrationRoutes } from './integrations/routes';
import { reportRoutes } from './reports/routes';
import { commandRoutes } from './commands/routes';

export const routes: RouteObject[] = [
  { path: '/signin', element: <SignInPage /> },
  { path: '/mfa-enroll', element: <MfaEnrollPage /> },
  { path: '/activate', element: <ActivatePage /> },
  { path: '/password-reset', element: <PasswordResetPage /> },
  { path: '/totp-reset', element: <TotpResetPage /> },
  { path: '/org/:orgId', element: <OrgConsolePage /> },
  ...userConsoleRoutes,
  {
    path: '/',
    element: <AppShell />,
    children: [
      ...homeRoutes,
      ...organizationRoutes,
      ...administratorRoutes,
      ...accountRoutes,
      ...userRoutes,
      ...deviceRoutes,
      ...activityRoutes,
      ...integrationRoutes,
      ...reportRoutes,
      ...commandRoutes,
      { path: '*', element: <PlaceholderPage title="Page not found" /> },
    ],
  },
];
