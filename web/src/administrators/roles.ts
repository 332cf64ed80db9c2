// The built-in roles as the seeds name them (the value sent is the role's name).
export const ROLES: { name: string; label: string }[] = [
  { name: 'admin_billing', label: 'Administrator with Billing' },
  { name: 'admin', label: 'Administrator Only' },
  { name: 'manager', label: 'Manager' },
  { name: 'help_desk', label: 'Help Desk' },
  { name: 'command_runner', label: 'Command Runner' },
  { name: 'command_runner_billing', label: 'Command Runner with Billing' },
  { name: 'read_only', label: 'Read Only' },
  { name: 'billing_only', label: 'Billing Only' },
];

export const roleLabel = (name?: string): string => ROLES.find((r) => r.name === name)?.label ?? name ?? '';
