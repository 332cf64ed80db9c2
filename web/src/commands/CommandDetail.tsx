// One saved command: its script, "run on devices" (the org's devices of the command's OS
// family, found by the server: the first 50 by name, and any other by a search on its host
// name; an org may have thousands) and its results per device, updated until each is final.
import { Button, Checkbox, Flex, Label, SearchInput, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { rawFetch } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { useDebounced } from '../components/useDebounced';
import type { Device } from '../devices/api';
import { FAMILY, useCommandResults, useRunCommand, type CommandResult, type SavedCommand } from './api';

const STATUS_COLOR: Record<string, 'blue' | 'green' | 'red' | 'orange' | 'grey'> = {
  pending: 'grey',
  sent: 'blue',
  done: 'green',
  failed: 'red',
  timed_out: 'orange',
  not_executed: 'orange',
};

function StatusLabel({ r }: { r: CommandResult }) {
  return <Label color={STATUS_COLOR[r.status] ?? 'grey'}>{r.status.replace('_', ' ')}</Label>;
}

const SHOWN = 50;

type DeviceList = { results?: Device[]; totalCount?: number };

async function listDevices(pid: string, org: string, filters: string[], limit: number): Promise<DeviceList> {
  const q = new URLSearchParams({ organization: org, limit: String(limit), sort: 'displayName', filter: filters.join(';') });
  return (await (await rawFetch(`/api/v2/providers/${encodeURIComponent(pid)}/devices?${q.toString()}`)).json()) as DeviceList;
}

export function CommandDetail({ pid, command: c, mayRun }: { pid: string; command: SavedCommand; mayRun: boolean }) {
  const family = FAMILY[c.targetOS];
  const [text, setText] = useState('');
  const term = useDebounced(text.trim().replace(/[;:|]/g, ' '), 200);
  const devices = useQuery({
    queryKey: ['devices', pid, 'of-org', c.organization, family, term],
    queryFn: () => listDevices(pid, c.organization, [`osFamily:eq:${family}`, ...(term ? [`hostname:search:${term}`] : [])], SHOWN),
    enabled: mayRun,
    placeholderData: (prev) => prev,
  });
  const results = useCommandResults(c.organization, c.id);
  const run = useRunCommand(c.organization, c.id);
  const [picked, setPicked] = useState<Map<string, string>>(new Map());
  const fits = devices.data?.results ?? [];
  const more = (devices.data?.totalCount ?? 0) - fits.length;
  const label = (d: Device) => d.displayName || d.hostname || d.id;
  // The results' devices by id (not only those of the list above).
  const resultIds = [...new Set((results.data?.results ?? []).map((r) => r.device))].sort().slice(0, 100);
  const resultDevices = useQuery({
    queryKey: ['devices', pid, 'of-org', c.organization, 'ids', resultIds],
    queryFn: () => listDevices(pid, c.organization, [`id:in:${resultIds.join('|')}`], 100),
    enabled: resultIds.length > 0,
    staleTime: 60_000,
  });
  // Chosen devices the list does not show now (chosen before a new search).
  const hidden = [...picked].filter(([id]) => !fits.some((d) => d.id === id)).map(([, name]) => name);
  const nameOf = (id: string) => {
    const d = [...(resultDevices.data?.results ?? []), ...fits].find((x) => x.id === id);
    return d ? label(d) : (picked.get(id) ?? id);
  };
  return (
    <section aria-label={`Command ${c.name}`} className="mtp-gap-top">
      <Title headingLevel="h2">{c.name}</Title>
      <p>
        {c.targetOS} · {c.shell}
      </p>
      <pre className="mtp-script" aria-label="Script">
        {c.script}
      </pre>
      {mayRun && (
        <>
          <Title headingLevel="h3" size="md" className="mtp-gap-top">
            Run on devices
          </Title>
          <ErrorAlert error={devices.error ?? run.error} />
          <SearchInput
            aria-label="Find devices by host name"
            placeholder="Find devices by host name"
            value={text}
            onChange={(_e, v) => setText(v)}
            onClear={() => setText('')}
            className="mtp-gap-bottom"
          />
          {devices.isSuccess && fits.length === 0 && (
            <p>{term ? `No ${c.targetOS} device of this organization matches “${term}”.` : `This organization has no ${c.targetOS} device.`}</p>
          )}
          <Flex direction={{ default: 'column' }} spaceItems={{ default: 'spaceItemsXs' }}>
            {fits.map((d) => (
              <Checkbox
                key={d.id}
                id={`run-on-${d.id}`}
                label={`${label(d)} (${d.os})`}
                isChecked={picked.has(d.id)}
                onChange={(_e, on) => {
                  const next = new Map(picked);
                  if (on) next.set(d.id, label(d));
                  else next.delete(d.id);
                  setPicked(next);
                }}
              />
            ))}
          </Flex>
          {more > 0 && <p className="mtp-gap-top">{more} more: type part of a host name to find them.</p>}
          {hidden.length > 0 && <p className="mtp-gap-top">Also chosen: {hidden.join(', ')}</p>}
          {(fits.length > 0 || picked.size > 0) && (
            <Button
              className="mtp-gap-top"
              isDisabled={picked.size === 0 || run.isPending}
              isLoading={run.isPending}
              onClick={() => run.mutate([...picked.keys()], { onSuccess: () => setPicked(new Map()) })}
            >
              Run on {picked.size} device{picked.size === 1 ? '' : 's'}
            </Button>
          )}
        </>
      )}
      <Title headingLevel="h3" size="md" className="mtp-gap-top">
        Results
      </Title>
      <ErrorAlert error={results.error} onRetry={() => void results.refetch()} />
      <Table aria-label={`Results of ${c.name}`} variant="compact">
        <Thead>
          <Tr>
            <Th>Device</Th>
            <Th>Status</Th>
            <Th>Exit code</Th>
            <Th>Output</Th>
            <Th>Queued</Th>
          </Tr>
        </Thead>
        <Tbody>
          {(results.data?.results ?? []).map((r) => (
            <Tr key={r.id}>
              <Td dataLabel="Device">{nameOf(r.device)}</Td>
              <Td dataLabel="Status">
                <StatusLabel r={r} />
              </Td>
              <Td dataLabel="Exit code">{r.exitCode ?? ''}</Td>
              <Td dataLabel="Output">
                {r.output ? <pre className="mtp-script">{r.output}{r.truncated ? '\n…(truncated)' : ''}</pre> : ''}
              </Td>
              <Td dataLabel="Queued">{r.created ? new Date(r.created).toLocaleString() : ''}</Td>
            </Tr>
          ))}
          {results.isSuccess && (results.data?.results ?? []).length === 0 && (
            <Tr>
              <Td colSpan={5}>Not run yet.</Td>
            </Tr>
          )}
        </Tbody>
      </Table>
    </section>
  );
}
