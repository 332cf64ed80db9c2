import { lazy } from 'react';
import { Lazy } from '../components/Lazy';
import { Navigate, type RouteObject } from 'react-router';
import { can } from '../auth/session';
import { TABS } from '../components/AppShell';
import { PlaceholderPage } from '../components/PlaceholderPage';
import { RequireAction, useMeOutlet } from '../components/RequireAction';
import { HomePage } from './HomePage';

const WidgetDetailPage = lazy(() => import('./WidgetDetailPage').then((m) => ({ default: m.WidgetDetailPage })));

// `/`: Home, or the first tab the admin has when Home is not theirs (billing only).
function HomeIndex() {
  const me = useMeOutlet();
  if (can(me, 'home.read')) return <HomePage />;
  const first = TABS.find((t) => t.path !== '/' && t.show(me));
  return first ? <Navigate to={first.path} replace /> : <PlaceholderPage title="Nothing to show for your role" />;
}

export const homeRoutes: RouteObject[] = [
  { index: true, element: <HomeIndex /> },
  { path: 'home/:widget', element: <RequireAction action="home.read"><Lazy><WidgetDetailPage /></Lazy></RequireAction> },
];
