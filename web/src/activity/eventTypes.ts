// The event types the service writes (service/app), for the Event type filter.
export const EVENT_TYPES = [
  'admin_create', 'admin_delete', 'admin_lockout', 'admin_login_attempt', 'admin_logout', 'admin_password_reset',
  'admin_suspended', 'admin_totp_reset', 'admin_unsuspend', 'admin_update', 'billing_information_update',
  'billing_settings_update', 'device_command_queued', 'device_command_result', 'device_registered',
  'home_settings_update', 'integration_delete', 'integration_mappings_update', 'integration_request',
  'integration_sync', 'integration_sync_queued', 'integration_ticket', 'integration_update', 'invoice_create',
  'invoice_payment', 'organization_create', 'organization_delete',
  'organization_launch', 'organization_password_policy_update', 'organization_update', 'provider_update',
  'user_activated', 'user_activation_resent', 'user_create', 'user_delete', 'user_lockout', 'user_login_attempt',
  'user_password_expired', 'user_suspended', 'user_unlocked', 'user_update',
] as const;
