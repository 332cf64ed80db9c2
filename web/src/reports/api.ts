// Reports: requested of one org or of every org the admin reaches for the kind, built by
// mtpd's report job within seconds, kept 30 days, downloaded when ready.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, rawFetch } from '../api/client';

export interface Report {
  id: string;
  kind: 'users' | 'devices' | 'admins' | 'activity';
  format: 'csv' | 'json';
  organization: string | null;
  organizations: string[];
  from: string | null;
  to: string | null;
  status: 'pending' | 'ready' | 'failed';
  requestedBy: string;
  created: string;
  readyAt: string | null;
  expiresAt: string;
  rowCount: number;
  error: string;
}

export interface ReportRequest {
  kind: Report['kind'];
  format: Report['format'];
  organization?: string;
  from?: string;
  to?: string;
}

const key = (pid: string) => ['reports', pid] as const;

export function useReports(pid: string, page: number, perPage: number) {
  return useQuery({
    queryKey: [...key(pid), page, perPage],
    queryFn: () =>
      call(
        api.GET('/api/v2/providers/{pid}/reports', { params: { path: { pid }, query: { limit: perPage, skip: (page - 1) * perPage } as never } }),
      ) as unknown as Promise<{ results?: Report[]; totalCount?: number }>,
    placeholderData: (prev) => prev,
    // A pending report is built within seconds: look again until none is.
    refetchInterval: (q) => ((q.state.data?.results ?? []).some((r) => r.status === 'pending') ? 2000 : false),
  });
}

export function useRequestReport(pid: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReportRequest) =>
      call(api.POST('/api/v2/providers/{pid}/reports', { params: { path: { pid } }, body })) as unknown as Promise<Report>,
    onSuccess: () => void qc.invalidateQueries({ queryKey: key(pid) }),
  });
}

export async function downloadReport(pid: string, r: Report) {
  const res = await rawFetch(`/api/v2/providers/${encodeURIComponent(pid)}/reports/${encodeURIComponent(r.id)}/file`);
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${r.kind}-report-${r.created.slice(0, 10)}.${r.format}`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
