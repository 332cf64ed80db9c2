// Saved commands of one org (x-org-id): list, create, delete, run on devices of the org and
// the results per device (pending until the agent takes it, then sent, done or failed).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { rawFetch } from '../api/client';

export interface SavedCommand {
  id: string;
  name: string;
  targetOS: 'windows' | 'mac' | 'linux';
  shell: string;
  script: string;
  organization: string;
  created?: string;
  updated?: string;
}

export interface CommandResult {
  id: string;
  command: string;
  device: string;
  status: 'pending' | 'sent' | 'done' | 'failed' | 'timed_out' | 'not_executed';
  exitCode?: number | null;
  output?: string | null;
  truncated?: boolean;
  created?: string;
  finishedAt?: string | null;
}

export const SHELLS: Record<SavedCommand['targetOS'], string[]> = {
  linux: ['bash', 'sh', 'zsh'],
  mac: ['zsh', 'bash', 'sh'],
  windows: ['powershell', 'cmd'],
};

// The device's osFamily a command's targetOS runs on.
export const FAMILY: Record<SavedCommand['targetOS'], string> = { linux: 'linux', mac: 'darwin', windows: 'windows' };

const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
const org = (o: string) => ({ 'x-org-id': o });

export function useSavedCommands(o: string) {
  return useQuery({
    queryKey: ['saved-commands', o],
    queryFn: async () => (await (await rawFetch('/api/commands?limit=100&sort=name', { headers: org(o) })).json()) as { results?: SavedCommand[]; totalCount?: number },
    enabled: !!o,
  });
}

export function useCreateCommand(o: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (c: Pick<SavedCommand, 'name' | 'targetOS' | 'shell' | 'script'>) => {
      const init = json(c);
      return (await (await rawFetch('/api/commands', { ...init, headers: { ...init.headers, ...org(o) } })).json()) as SavedCommand;
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['saved-commands', o] }),
  });
}

export function useDeleteCommand(o: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => rawFetch(`/api/commands/${encodeURIComponent(id)}`, { method: 'DELETE', headers: org(o) }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['saved-commands', o] }),
  });
}

export function useRunCommand(o: string, id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (devices: string[]) => {
      const init = json({ devices });
      return (await (await rawFetch(`/api/commands/${encodeURIComponent(id)}/run`, { ...init, headers: { ...init.headers, ...org(o) } })).json()) as {
        results?: CommandResult[];
      };
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['command-results', o, id] }),
  });
}

export function useCommandResults(o: string, id: string) {
  return useQuery({
    queryKey: ['command-results', o, id],
    queryFn: async () =>
      (await (await rawFetch(`/api/commands/${encodeURIComponent(id)}/results?limit=100`, { headers: org(o) })).json()) as { results?: CommandResult[] },
    // Until every result is final, the agent may still take or report it.
    refetchInterval: (q) => ((q.state.data?.results ?? []).some((r) => r.status === 'pending' || r.status === 'sent') ? 3000 : false),
  });
}
