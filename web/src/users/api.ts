// The users of every org the admin reaches: one server-side page at a time (filter, sort,
// limit, skip), never the whole list in the browser.
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import type { components } from '../api/schema';

export type SystemUser = components['schemas']['SystemUser'];

export interface UserFilters {
  search: string;
  state: string;
  organization: string;
  locked: boolean;
  passwordExpired: boolean;
  mfa: '' | 'true' | 'false';
}

// `field:op:value` terms joined by `;` (one `filter` parameter).
export function filterOf(f: UserFilters): string {
  const t: string[] = [];
  if (f.search.trim()) t.push(`username:search:${f.search.trim().replace(/[;:]/g, ' ')}`);
  if (f.state) t.push(`state:eq:${f.state}`);
  if (f.organization) t.push(`organization:eq:${f.organization}`);
  if (f.locked) t.push('account_locked:eq:true');
  if (f.passwordExpired) t.push('password_expired:eq:true');
  if (f.mfa) t.push(`totp_enabled:eq:${f.mfa}`);
  return t.join(';');
}

export function useUsers(pid: string, f: UserFilters, sort: string, page: number, perPage: number) {
  const filter = filterOf(f);
  return useQuery({
    queryKey: ['users', pid, filter, sort, page, perPage],
    queryFn: () =>
      call(
        api.GET('/api/v2/providers/{pid}/users', {
          params: { path: { pid }, query: { limit: perPage, skip: (page - 1) * perPage, sort, ...(filter ? { filter } : {}) } },
        }),
      ) as Promise<{ results?: SystemUser[]; totalCount?: number }>,
    placeholderData: (prev) => prev,
  });
}

export const orgHeader = (org: string) => ({ 'x-org-id': org });

export type BulkAction = 'unlock' | 'suspend' | 'force_password_reset' | 'resend_activation';

export const BULK_ACTIONS: { id: BulkAction; label: string; needs: string }[] = [
  { id: 'unlock', label: 'Unlock', needs: 'users.unlock' },
  { id: 'suspend', label: 'Suspend', needs: 'users.suspend' },
  { id: 'force_password_reset', label: 'Force password change', needs: 'users.reset_password' },
  { id: 'resend_activation', label: 'Resend activation email', needs: 'users.update' },
];

export async function bulkUsers(pid: string, action: BulkAction, users: { organization: string; id: string }[]) {
  const r = (await call(api.POST('/api/v2/providers/{pid}/users/actions', { params: { path: { pid } }, body: { action, users } }))) as {
    results?: { status?: number; error?: { message?: string } }[];
  };
  return r.results ?? [];
}
