// The signed-in admin (/api/v2/me) and what the UI may offer: tabs and buttons are shown by
// the effective actions the server computes, never by role names.
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import type { components } from '../api/schema';

export type Me = components['schemas']['Me'] & { firstname?: string; lastname?: string; apiKeySet?: boolean };

export const meKey = ['me'] as const;

export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: () => call(api.GET('/api/v2/me')) as Promise<Me>,
    retry: false,
    staleTime: 30_000,
  });
}

export const can = (me: Me | undefined, action: string): boolean => !!me?.actions?.includes(action);

export function initials(me: Me | undefined): string {
  const f = me?.firstname?.trim()?.[0] ?? '';
  const l = me?.lastname?.trim()?.[0] ?? '';
  return (f + l || me?.email?.[0] || '?').toUpperCase();
}
