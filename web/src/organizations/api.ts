import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import type { components } from '../api/schema';

export type Org = components['schemas']['Organization'];

export interface OrgListParams {
  search: string;
  sort: string;
  page: number;
  perPage: number;
}

export function useOrgs(pid: string, p: OrgListParams) {
  return useQuery({
    queryKey: ['orgs', pid, p],
    queryFn: () =>
      call(
        api.GET('/api/v2/providers/{pid}/organizations', {
          params: {
            path: { pid },
            query: {
              limit: p.perPage,
              skip: (p.page - 1) * p.perPage,
              sort: p.sort,
              ...(p.search.trim() ? { filter: `name:search:${p.search.trim()}` } : {}),
            } as never,
          },
        }),
      ) as Promise<{ results?: Org[]; totalCount?: number }>,
    placeholderData: (prev) => prev,
  });
}

export function useOrgUpdate(pid: string, id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name?: string; remoteAssist?: boolean; tags?: string[]; maxSystemUsers?: number | null }) =>
      call(api.PUT('/api/v2/providers/{pid}/organizations/{id}', { params: { path: { pid, id } }, body: body as never })) as Promise<Org>,
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['orgs', pid] }),
  });
}
