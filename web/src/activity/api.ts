// The provider's activity log, newest first, one page at a time by `search_after`; a download
// (CSV or JSON) is the same filtered set.
import { useQuery } from '@tanstack/react-query';
import { api, call, rawFetch } from '../api/client';
import type { components } from '../api/schema';

export type ActivityEvent = components['schemas']['ActivityEvent'];
export type ActivityPageData = components['schemas']['ActivityPage'];

export interface ActivityFilters {
  range: string; // '24h' | '7d' | '30d' | '90d' | 'all'
  eventType: string;
  initiatedBy: string;
  organization: string;
}

const HOURS: Record<string, number> = { '1h': 1, '24h': 24, '7d': 24 * 7, '30d': 24 * 30, '90d': 24 * 90 };

// The query for a filter set; `now` fixes the window's end so pages and downloads agree.
export function activityQuery(f: ActivityFilters, now: number): Record<string, string> {
  const q: Record<string, string> = {};
  const h = HOURS[f.range];
  if (h) {
    q.start_time = new Date(now - h * 3600_000).toISOString();
    q.end_time = new Date(now + 1000).toISOString();
  }
  if (f.eventType) q.event_type = f.eventType;
  if (f.initiatedBy) q.initiated_by = f.initiatedBy;
  if (f.organization) q.organization = f.organization;
  return q;
}

export function useActivity(pid: string, query: Record<string, string>, after: string, limit: number) {
  return useQuery({
    queryKey: ['activity', pid, query, after, limit],
    queryFn: () =>
      call(
        api.GET('/api/v2/providers/{pid}/activity', {
          params: { path: { pid }, query: { ...query, limit, ...(after ? { search_after: after } : {}) } },
        }),
      ) as Promise<ActivityPageData>,
    placeholderData: (prev) => prev,
  });
}

// Downloads the filtered set (as many rows as the service gives in one download) as a file.
export async function downloadActivity(pid: string, query: Record<string, string>, format: 'csv' | 'json') {
  const q = new URLSearchParams({ ...query, format });
  const r = await rawFetch(`/api/v2/providers/${encodeURIComponent(pid)}/activity?${q.toString()}`);
  const blob = await r.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `activity.${format}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
