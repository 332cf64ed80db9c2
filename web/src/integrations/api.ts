// The PSA integrations (ConnectWise Manage, Autotask) of the provider: their state, the
// configuration (credentials write-only), the org mappings, the sync runs and "request an
// integration". Reads need integrations.read, every change integrations.update.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import type { components } from '../api/schema';

export type Integration = components['schemas']['Integration'];
export type Mapping = components['schemas']['IntegrationMapping'];
export type SyncRun = components['schemas']['IntegrationSyncRun'];
export type Kind = 'connectwise' | 'autotask';

export interface IntegrationForm {
  siteUrl: string;
  companyId?: string;
  clientId?: string;
  publicKey?: string;
  privateKey?: string;
  integrationCode?: string;
  userName?: string;
  secret?: string;
  enabled: boolean;
  pricePerUserCents: number;
  ticketAlertKinds: ('user_locked' | 'device_inactive_7d')[];
}

const key = (pid: string) => ['integrations', pid] as const;

export function useIntegrations(pid: string) {
  return useQuery({
    queryKey: key(pid),
    queryFn: () =>
      call(api.GET('/api/v2/providers/{pid}/integrations', { params: { path: { pid } } })) as Promise<{ results?: Integration[] }>,
    // A queued or running sync ends on its own: look again until it has.
    refetchInterval: (q) =>
      (q.state.data?.results ?? []).some((i) => i.lastSync?.status === 'queued' || i.lastSync?.status === 'running') ? 3000 : false,
  });
}

export function useMappings(pid: string, kind: Kind, enabled: boolean) {
  return useQuery({
    queryKey: [...key(pid), kind, 'mappings'],
    queryFn: () =>
      call(api.GET('/api/v2/providers/{pid}/integrations/{kind}/mappings', { params: { path: { pid, kind } } })) as Promise<{
        results?: Mapping[];
      }>,
    enabled,
  });
}

export function useSyncs(pid: string, kind: Kind, enabled: boolean, running: boolean) {
  return useQuery({
    queryKey: [...key(pid), kind, 'syncs'],
    queryFn: () =>
      call(api.GET('/api/v2/providers/{pid}/integrations/{kind}/syncs', { params: { path: { pid, kind }, query: { limit: 10 } } })) as Promise<{
        results?: SyncRun[];
      }>,
    enabled,
    refetchInterval: running ? 3000 : false,
  });
}

function useInvalidate(pid: string) {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: key(pid) });
}

export function useConfigure(pid: string, kind: Kind) {
  const done = useInvalidate(pid);
  return useMutation({
    mutationFn: (body: IntegrationForm) =>
      call(api.PUT('/api/v2/providers/{pid}/integrations/{kind}', { params: { path: { pid, kind } }, body })) as Promise<Integration>,
    onSuccess: done,
  });
}

export function useRemove(pid: string, kind: Kind) {
  const done = useInvalidate(pid);
  return useMutation({
    mutationFn: () => call(api.DELETE('/api/v2/providers/{pid}/integrations/{kind}', { params: { path: { pid, kind } } })),
    onSuccess: done,
  });
}

export function useTestConnection(pid: string, kind: Kind) {
  return useMutation({
    mutationFn: () =>
      call(api.POST('/api/v2/providers/{pid}/integrations/{kind}/test', { params: { path: { pid, kind } } })) as Promise<{
        ok?: boolean;
        message?: string;
      }>,
  });
}

export function useSyncNow(pid: string, kind: Kind) {
  const done = useInvalidate(pid);
  return useMutation({
    mutationFn: () => call(api.POST('/api/v2/providers/{pid}/integrations/{kind}/sync', { params: { path: { pid, kind } } })) as Promise<SyncRun>,
    onSuccess: done,
  });
}

export function usePutMappings(pid: string, kind: Kind) {
  const done = useInvalidate(pid);
  return useMutation({
    mutationFn: (mappings: Mapping[]) =>
      call(
        api.PUT('/api/v2/providers/{pid}/integrations/{kind}/mappings', {
          params: { path: { pid, kind } },
          // organizationName is the server's (read-only): never sent back.
          body: { mappings: mappings.map(({ organizationName: _n, ...m }) => m) },
        }),
      ) as Promise<{ results?: Mapping[] }>,
    onSuccess: done,
  });
}

export function useRequestIntegration(pid: string) {
  return useMutation({
    mutationFn: (body: { kind: 'integration' | 'beta'; text?: string }) =>
      call(api.POST('/api/v2/providers/{pid}/integrations/requests', { params: { path: { pid } }, body })),
  });
}

// The agreement (ConnectWise) or contract (Autotask) fields of a mapping, named as the PSA does.
export const mappingFields = (kind: Kind) =>
  kind === 'connectwise'
    ? ({ agreement: 'agreementId', service: 'additionId', agreementLabel: 'Agreement id', serviceLabel: 'Addition id' } as const)
    : ({ agreement: 'contractId', service: 'serviceId', agreementLabel: 'Contract id', serviceLabel: 'Service id' } as const);

export const when = (t: string | null | undefined) => (t ? new Date(t).toLocaleString() : '—');
