// Devices of every org the admin reaches (one server-side page at a time), their commands and
// the org's connect key. The command routes are JumpCloud v1 style (x-org-id header).
import { useQuery } from '@tanstack/react-query';
import { api, call, rawFetch } from '../api/client';

export interface Device {
  id: string;
  displayName?: string;
  hostname?: string;
  os?: string;
  osFamily?: string;
  version?: string;
  active?: boolean;
  lastContact?: string | null;
  uptimeSeconds?: number | null;
  remoteAssist?: boolean;
  organization: string;
}

export interface Command {
  id: string;
  type: string;
  status: 'pending' | 'sent' | 'done' | 'failed' | string;
  device: string;
  organization: string;
  output?: string | null;
  created?: string;
  sentAt?: string | null;
  finishedAt?: string | null;
}

export interface DeviceFilters {
  organization: string;
  status: '' | 'true' | 'false';
  os: string;
}

export type CommandType = 'lock' | 'restart' | 'shutdown' | 'remote_assist';

export const COMMANDS: { type: CommandType; label: string; needs: string }[] = [
  { type: 'lock', label: 'Lock', needs: 'devices.lock' },
  { type: 'restart', label: 'Restart', needs: 'devices.restart' },
  { type: 'shutdown', label: 'Shut down', needs: 'devices.shutdown' },
  { type: 'remote_assist', label: 'Remote assist', needs: 'devices.remote_assist' },
];

const enc = encodeURIComponent;

export function useDevices(pid: string, f: DeviceFilters, sort: string, page: number, perPage: number) {
  return useQuery({
    queryKey: ['devices', pid, f, sort, page, perPage],
    queryFn: async () => {
      const q = new URLSearchParams({ limit: String(perPage), skip: String((page - 1) * perPage), sort });
      if (f.organization) q.set('organization', f.organization);
      if (f.status) q.set('active', f.status);
      if (f.os) q.set('os', f.os);
      const r = await rawFetch(`/api/v2/providers/${enc(pid)}/devices?${q.toString()}`);
      return (await r.json()) as { results?: Device[]; totalCount?: number };
    },
    placeholderData: (prev) => prev,
  });
}

export async function queueCommand(d: { id: string; organization: string }, type: CommandType): Promise<Command> {
  const r = await rawFetch(`/api/systems/${enc(d.id)}/command/builtin/${type}`, {
    method: 'POST',
    headers: { 'x-org-id': d.organization, 'Content-Type': 'application/json' },
    body: '{}',
  });
  return (await r.json()) as Command;
}

const final = (s: string | undefined) => s === 'done' || s === 'failed';

// The device's latest commands; polled every 2 s while one is still pending or sent.
export function useCommands(d: { id: string; organization: string }, enabled: boolean) {
  return useQuery({
    queryKey: ['commands', d.organization, d.id],
    queryFn: async () => {
      const r = await rawFetch(`/api/systems/${enc(d.id)}/commands?limit=5`, { headers: { 'x-org-id': d.organization } });
      return ((await r.json()) as { results?: Command[] }).results ?? [];
    },
    enabled,
    refetchInterval: (q) => ((q.state.data ?? []).some((c) => !final(c.status)) ? 2000 : false),
  });
}

export function useConnectKey(pid: string, org: string) {
  return useQuery({
    queryKey: ['connectkey', pid, org],
    queryFn: () =>
      call(api.GET('/api/v2/providers/{pid}/organizations/{id}/connectkey', { params: { path: { pid, id: org } } })) as Promise<{
        connectKey?: string;
        connectKeyPrefix?: string;
      }>,
    enabled: !!org,
  });
}
