import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import type { components } from '../api/schema';

export type HomeSettings = components['schemas']['HomeSettings'];

export function useHomeCounts(pid: string) {
  return useQuery({
    queryKey: ['home', pid],
    queryFn: () => call(api.GET('/api/v2/providers/{pid}/home', { params: { path: { pid } } })),
  });
}

export function useHomeSettings() {
  return useQuery({ queryKey: ['home-settings'], queryFn: () => call(api.GET('/api/v2/me/home')) });
}
