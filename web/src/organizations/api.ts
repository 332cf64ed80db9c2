import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { ifMatch, isApiError } from '../api/errors';
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

export interface OrgEdit {
  name?: string;
  remoteAssist?: boolean;
  tags?: string[];
  maxSystemUsers?: number | null;
}

// An edit made from row version `version` (If-Match): when someone else changed the org since,
// the API answers 412 and the org is reloaded for the admin to redo the change.
export function useOrgUpdate(pid: string, id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ version, ...body }: OrgEdit & { version?: number }) =>
      call(
        api.PUT('/api/v2/providers/{pid}/organizations/{id}', { params: { path: { pid, id }, header: ifMatch(version) as never }, body: body as never }),
      ) as Promise<Org>,
    onSuccess: (o) => {
      // The new version at once: a next edit before the refetch must not look stale.
      qc.setQueryData(['orgs', pid, 'one', id], o);
      void qc.invalidateQueries({ queryKey: ['orgs', pid] });
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 412) void qc.invalidateQueries({ queryKey: ['orgs', pid] });
    },
  });
}
