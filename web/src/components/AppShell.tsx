// The portal's frame: masthead with the MTP org menu (Launch) and the initials menu (email,
// change password, my API key, log out), and the eight tabs shown by the effective actions
// of /api/v2/me. An expired or revoked session goes to sign-in and back.
import {
  Avatar,
  Brand,
  Divider,
  Dropdown,
  DropdownItem,
  DropdownList,
  Masthead,
  MastheadBrand,
  MastheadContent,
  MastheadMain,
  MenuToggle,
  Nav,
  NavItem,
  NavList,
  Page,
  PageSection,
  PageSidebar,
  PageSidebarBody,
  Spinner,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
  Bullseye,
} from '@patternfly/react-core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { isApiError } from '../api/errors';
import { can, initials, useMe, type Me } from '../auth/session';
import { ErrorAlert } from './ErrorAlert';
import { ChangePasswordModal } from './ChangePasswordModal';
import { ApiKeyModal } from './ApiKeyModal';
import { useLaunch } from '../organizations/launch';

export interface Tab {
  path: string;
  label: string;
  show: (me: Me) => boolean;
}

export const TABS: Tab[] = [
  { path: '/', label: 'Home', show: (m) => can(m, 'home.read') },
  { path: '/organizations', label: 'Organizations', show: (m) => can(m, 'orgs.read') },
  { path: '/users', label: 'Users', show: (m) => can(m, 'users.read') },
  { path: '/devices', label: 'Devices', show: (m) => can(m, 'devices.read') },
  { path: '/administrators', label: 'Administrators', show: (m) => can(m, 'admins.read') },
  { path: '/activity', label: 'Activity', show: (m) => can(m, 'activity.read') },
  { path: '/account', label: 'Account', show: (m) => can(m, 'settings.read') || can(m, 'billing.read') || !!m.apiKeyAllowed },
  { path: '/integrations', label: 'Integrations', show: (m) => can(m, 'integrations.read') },
];

// Sends the user to sign-in (and back) when any request finds the session gone.
export function useSessionExpiry() {
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => {
    const onExpired = () => {
      const next = location.pathname + location.search;
      navigate(`/signin?expired=1&next=${encodeURIComponent(next)}`, { replace: true });
    };
    window.addEventListener('mtp:unauthenticated', onExpired);
    return () => window.removeEventListener('mtp:unauthenticated', onExpired);
  }, [navigate, location]);
}

function OrgMenu({ me }: { me: Me }) {
  const [open, setOpen] = useState(false);
  const launch = useLaunch();
  const orgs = useQuery({
    queryKey: ['org-menu', me.provider],
    queryFn: () =>
      call(api.GET('/api/v2/providers/{pid}/organizations', { params: { path: { pid: me.provider ?? '' }, query: { limit: 100, sort: 'name' } as never } })),
    enabled: open && can(me, 'orgs.read'),
  });
  const data = orgs.data as { results?: { id: string; name: string }[]; totalCount?: number } | undefined;
  const list = data?.results ?? [];
  // Beyond the first 100 by name (a provider may have 10,000): Organizations finds any.
  const more = (data?.totalCount ?? 0) - list.length;
  const navigate = useNavigate();
  return (
    <Dropdown
      isOpen={open}
      onOpenChange={setOpen}
      onSelect={() => setOpen(false)}
      toggle={(ref) => (
        <MenuToggle ref={ref} onClick={() => setOpen(!open)} isExpanded={open} variant="plainText" aria-label="MTP organization menu">
          MTP
        </MenuToggle>
      )}
      popperProps={{ position: 'left' }}
    >
      <DropdownList aria-label="Organizations you reach">
        {orgs.isFetching && <DropdownItem isDisabled>Loading…</DropdownItem>}
        {!can(me, 'orgs.read') && <DropdownItem isDisabled>No organizations</DropdownItem>}
        {list.map((o) => (
          <DropdownItem
            key={o.id}
            description={can(me, 'orgs.launch') ? 'Launch its console' : undefined}
            isDisabled={!can(me, 'orgs.launch')}
            onClick={() => launch.mutate({ id: o.id, name: o.name })}
          >
            {o.name}
          </DropdownItem>
        ))}
        {more > 0 && (
          <DropdownItem key="more" description="Search them by name on Organizations" onClick={() => navigate('/organizations')}>
            {more} more organizations
          </DropdownItem>
        )}
      </DropdownList>
    </Dropdown>
  );
}

function UserMenu({ me }: { me: Me }) {
  const [open, setOpen] = useState(false);
  const [modal, setModal] = useState<'password' | 'apikey' | null>(null);
  const navigate = useNavigate();
  const qc = useQueryClient();
  async function logout() {
    try {
      await call(api.POST('/api/v2/auth/logout'));
    } catch {
      /* the session may already be gone: sign-in either way */
    }
    qc.clear();
    navigate('/signin', { replace: true });
  }
  return (
    <>
      <Dropdown
        isOpen={open}
        onOpenChange={setOpen}
        onSelect={() => setOpen(false)}
        popperProps={{ position: 'right' }}
        toggle={(ref) => (
          <MenuToggle ref={ref} onClick={() => setOpen(!open)} isExpanded={open} variant="plain" aria-label="Your account menu">
            <Avatar alt="" src={avatarSvg(initials(me))} size="md" />
          </MenuToggle>
        )}
      >
        <DropdownList>
          <DropdownItem isDisabled description="Signed in as">
            {me.email}
          </DropdownItem>
          <Divider component="li" />
          <DropdownItem onClick={() => setModal('password')}>Change password</DropdownItem>
          {me.apiKeyAllowed && <DropdownItem onClick={() => setModal('apikey')}>My API key</DropdownItem>}
          <DropdownItem onClick={() => void logout()}>Log out</DropdownItem>
        </DropdownList>
      </Dropdown>
      {modal === 'password' && <ChangePasswordModal onClose={() => setModal(null)} />}
      {modal === 'apikey' && <ApiKeyModal onClose={() => setModal(null)} />}
    </>
  );
}

// An initials avatar drawn as an SVG data URL (text is escaped by encodeURIComponent and
// only A-Z/? reach it).
function avatarSvg(text: string): string {
  const safe = text.replace(/[^A-Z?]/g, '');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="36" height="36"><circle cx="18" cy="18" r="18" fill="#0066cc"/><text x="18" y="23" font-size="14" font-family="sans-serif" fill="#fff" text-anchor="middle">${safe}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

export function AppShell() {
  useSessionExpiry();
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();

  useEffect(() => {
    if (me.error && isApiError(me.error)) {
      if (me.error.code === 'mfa_required') navigate('/mfa-enroll', { replace: true });
      else if (me.error.status === 401)
        navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    }
  }, [me.error, navigate, location]);

  if (me.isPending) {
    return (
      <Bullseye style={{ minHeight: '100vh' }}>
        <Spinner aria-label="Loading the portal" />
      </Bullseye>
    );
  }
  if (me.error || !me.data) {
    return (
      <PageSection>
        <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />
      </PageSection>
    );
  }
  const m = me.data;
  const masthead = (
    <Masthead>
      <MastheadMain>
        <MastheadBrand>
          <Brand src={logoSvg} alt="MTP portal" heights={{ default: '32px' }} />
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent>
        <Toolbar isFullHeight isStatic>
          <ToolbarContent>
            <ToolbarGroup align={{ default: 'alignEnd' }}>
              <ToolbarItem>
                <OrgMenu me={m} />
              </ToolbarItem>
              <ToolbarItem>
                <UserMenu me={m} />
              </ToolbarItem>
            </ToolbarGroup>
          </ToolbarContent>
        </Toolbar>
      </MastheadContent>
    </Masthead>
  );
  const sidebar = (
    <PageSidebar>
      <PageSidebarBody>
        <Nav aria-label="Main">
          <NavList>
            {TABS.filter((t) => t.show(m)).map((t) => (
              <NavItem key={t.path} isActive={t.path === '/' ? location.pathname === '/' : location.pathname.startsWith(t.path)}>
                <NavLink to={t.path} end={t.path === '/'}>
                  {t.label}
                </NavLink>
              </NavItem>
            ))}
          </NavList>
        </Nav>
      </PageSidebarBody>
    </PageSidebar>
  );
  return (
    <Page masthead={masthead} sidebar={sidebar} isManagedSidebar>
      <Outlet context={m} />
    </Page>
  );
}

const logoSvg = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="32"><rect width="96" height="32" rx="6" fill="#0066cc"/><text x="48" y="22" font-size="16" font-family="sans-serif" font-weight="bold" fill="#fff" text-anchor="middle">MTP</text></svg>',
)}`;
