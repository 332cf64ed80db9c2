// An administrator picker that asks the server as the admin types (email:search, 20 at a
// time, components/ServerTypeahead.tsx): a provider may have 10,000 administrators.
import { api, call } from '../api/client';
import { ServerTypeahead, type Found, type TypeaheadProps } from './ServerTypeahead';

export function AdminTypeahead({ pid, placeholder, ...props }: TypeaheadProps & { pid: string }) {
  const find = async (term: string): Promise<Found> => {
    const r = (await call(
      api.GET('/api/v2/providers/{pid}/administrators', {
        params: { path: { pid }, query: { limit: 20, sort: 'email', ...(term ? { filter: `email:search:${term}` } : {}) } as never },
      }),
    )) as { results?: { id?: string; email?: string }[]; totalCount?: number };
    return { choices: (r.results ?? []).map((x) => ({ id: x.id ?? '', name: x.email ?? '' })), total: r.totalCount ?? 0 };
  };
  return (
    <ServerTypeahead
      {...props}
      queryKey={['admins', pid]}
      find={find}
      noneText="No administrator matches"
      placeholder={placeholder ?? props.allLabel ?? 'Type to search administrators'}
    />
  );
}
