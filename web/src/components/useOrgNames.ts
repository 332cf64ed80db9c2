// The orgs the admin reaches (first 100 by name) for an organization filter and an id → name
// map for list cells. Lists with more orgs still show the id of an org beyond the first 100.
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';

export interface OrgOption {
  id: string;
  name: string;
}

export function useOrgNames(pid: string) {
  const q = useQuery({
    queryKey: ['orgs', pid, 'names'],
    queryFn: () =>
      call(api.GET('/api/v2/providers/{pid}/organizations', { params: { path: { pid }, query: { limit: 100, sort: 'name' } as never } })) as Promise<{
        results?: { id?: string; name?: string }[];
      }>,
    staleTime: 60_000,
  });
  const options: OrgOption[] = (q.data?.results ?? []).map((o) => ({ id: o.id ?? '', name: o.name ?? '' }));
  const nameOf = (id: string | undefined): string => options.find((o) => o.id === id)?.name ?? id ?? '';
  return { options, nameOf, error: q.error };
}
