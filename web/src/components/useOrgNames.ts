// The orgs the admin reaches (first 100 by name) for an organization filter, and an id → name
// map for list cells. Pass the org ids a page shows (`shown`): those beyond the first 100 are
// looked up by id (`filter=id:in:a|b|...`, at most 100 per page), so a provider with 10,000
// orgs still sees names, not ids, in its tables.
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';

export interface OrgOption {
  id: string;
  name: string;
}

type OrgList = { results?: { id?: string; name?: string }[] };

const MAX_IN = 100;

function listOrgs(pid: string, query: Record<string, string | number>): Promise<OrgList> {
  return call(api.GET('/api/v2/providers/{pid}/organizations', { params: { path: { pid }, query: query as never } })) as Promise<OrgList>;
}

export function useOrgNames(pid: string, shown: readonly (string | null | undefined)[] = []) {
  const first = useQuery({
    queryKey: ['orgs', pid, 'names'],
    queryFn: () => listOrgs(pid, { limit: MAX_IN, sort: 'name' }),
    staleTime: 60_000,
  });
  const options: OrgOption[] = (first.data?.results ?? []).map((o) => ({ id: o.id ?? '', name: o.name ?? '' }));
  const known = new Map(options.map((o) => [o.id, o.name]));
  const missing = [...new Set(shown.filter((id): id is string => !!id && !known.has(id)))].sort().slice(0, MAX_IN);
  const more = useQuery({
    queryKey: ['orgs', pid, 'names', missing],
    queryFn: () => listOrgs(pid, { limit: MAX_IN, filter: `id:in:${missing.join('|')}` }),
    enabled: first.isSuccess && missing.length > 0,
    staleTime: 60_000,
  });
  for (const o of more.data?.results ?? []) if (o.id) known.set(o.id, o.name ?? o.id);
  const nameOf = (id: string | undefined): string => (id ? (known.get(id) ?? id) : '');
  return { options, nameOf, error: first.error ?? more.error };
}
