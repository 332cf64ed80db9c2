// An organization picker that asks the server as the admin types (name:search, 20 at a time,
// components/ServerTypeahead.tsx): a provider may have 10,000 orgs.
import { api, call } from '../api/client';
import { ServerTypeahead, type Found, type TypeaheadProps } from './ServerTypeahead';

export function OrgTypeahead({ pid, placeholder, ...props }: TypeaheadProps & { pid: string }) {
  const find = async (term: string): Promise<Found> => {
    const r = (await call(
      api.GET('/api/v2/providers/{pid}/organizations', {
        params: { path: { pid }, query: { limit: 20, sort: 'name', ...(term ? { filter: `name:search:${term}` } : {}) } as never },
      }),
    )) as { results?: { id?: string; name?: string }[]; totalCount?: number };
    return { choices: (r.results ?? []).map((o) => ({ id: o.id ?? '', name: o.name ?? '' })), total: r.totalCount ?? 0 };
  };
  return (
    <ServerTypeahead
      {...props}
      queryKey={['orgs', pid]}
      find={find}
      noneText="No organization matches"
      placeholder={placeholder ?? props.allLabel ?? 'Type to search organizations'}
    />
  );
}
