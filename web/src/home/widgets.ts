// The Home widgets: label, what a click lists, and the actions the seeds describe, each
// offered only when the admin's effective actions include it.
export type WidgetId =
  | 'total_users'
  | 'total_organizations'
  | 'user_lockouts'
  | 'expired_passwords'
  | 'upcoming_password_expirations'
  | 'new_users'
  | 'devices_inactive'
  | 'devices_long_uptime'
  | 'scheduled_suspensions'
  | 'scheduled_activations'
  | 'admins_without_mfa'
  | 'users_with_sudo'
  | 'users_with_passwordless_sudo'
  | 'users_without_password'
  | 'users_with_samba'
  | 'mdm_status'
  | 'reports_ready'
  | 'recent_os_releases';

export type UserAction = 'unlock' | 'suspend' | 'force_password_reset' | 'resend_activation';

export interface WidgetAction {
  id: UserAction | 'require_mfa';
  label: string;
  needs: string; // the engine action
}

const unlock: WidgetAction = { id: 'unlock', label: 'Unlock user account', needs: 'users.unlock' };
const suspend: WidgetAction = { id: 'suspend', label: 'Suspend now', needs: 'users.suspend' };
const reset: WidgetAction = { id: 'force_password_reset', label: 'Force password reset', needs: 'users.reset_password' };
const resendReset: WidgetAction = { id: 'force_password_reset', label: 'Resend email', needs: 'users.reset_password' };
const resendActivation: WidgetAction = { id: 'resend_activation', label: 'Resend activation email', needs: 'users.update' };
const requireMfa: WidgetAction = { id: 'require_mfa', label: 'Require MFA', needs: 'admins.update' };

export interface WidgetInfo {
  id: WidgetId;
  label: string;
  group: 'Organizational stats' | 'Users' | 'Devices' | 'Administrators' | 'Organizations' | 'Releases';
  kind: 'user' | 'device' | 'admin' | 'mdm' | 'report' | 'release' | 'org';
  actions: WidgetAction[];
  days?: 'upcomingPasswordExpirationDays' | 'longUptimeDays' | 'scheduledDays';
}

export const WIDGETS: WidgetInfo[] = [
  { id: 'total_users', label: 'Total users', group: 'Organizational stats', kind: 'user', actions: [] },
  { id: 'total_organizations', label: 'Total organizations', group: 'Organizational stats', kind: 'org', actions: [] },
  { id: 'user_lockouts', label: 'User lockouts', group: 'Users', kind: 'user', actions: [unlock, reset, suspend] },
  { id: 'expired_passwords', label: 'Expired passwords', group: 'Users', kind: 'user', actions: [resendReset] },
  { id: 'upcoming_password_expirations', label: 'Upcoming password expirations', group: 'Users', kind: 'user', actions: [resendReset], days: 'upcomingPasswordExpirationDays' },
  { id: 'new_users', label: 'New users (past 7 days)', group: 'Users', kind: 'user', actions: [resendActivation, { ...reset, label: 'Force password change' }] },
  { id: 'scheduled_suspensions', label: 'Scheduled user suspensions', group: 'Users', kind: 'user', actions: [], days: 'scheduledDays' },
  { id: 'scheduled_activations', label: 'Scheduled user activations', group: 'Users', kind: 'user', actions: [], days: 'scheduledDays' },
  { id: 'users_with_sudo', label: 'Users with sudo', group: 'Users', kind: 'user', actions: [] },
  { id: 'users_with_passwordless_sudo', label: 'Users with passwordless sudo', group: 'Users', kind: 'user', actions: [] },
  { id: 'users_without_password', label: 'Users without a password', group: 'Users', kind: 'user', actions: [resendActivation] },
  { id: 'users_with_samba', label: 'Users with Samba', group: 'Users', kind: 'user', actions: [] },
  { id: 'devices_inactive', label: 'Devices inactive over 7 days', group: 'Devices', kind: 'device', actions: [] },
  { id: 'devices_long_uptime', label: 'Devices with long uptime', group: 'Devices', kind: 'device', actions: [], days: 'longUptimeDays' },
  { id: 'admins_without_mfa', label: 'Admins without MFA required', group: 'Administrators', kind: 'admin', actions: [requireMfa] },
  { id: 'mdm_status', label: 'MDM certificates and tokens', group: 'Organizations', kind: 'mdm', actions: [] },
  { id: 'reports_ready', label: 'Reports ready (past 24 hours)', group: 'Organizations', kind: 'report', actions: [] },
  { id: 'recent_os_releases', label: 'Recent OS releases', group: 'Releases', kind: 'release', actions: [] },
];

export const widgetInfo = (id: string): WidgetInfo | undefined => WIDGETS.find((w) => w.id === id);
