// One saved command: its script, "run on devices" (the org's devices of the command's OS
// family, at most 100 at once) and its results per device, updated until each is final.
import { Button, Checkbox, Flex, Label, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { rawFetch } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
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

export function CommandDetail({ pid, command: c, mayRun }: { pid: string; command: SavedCommand; mayRun: boolean }) {
  const devices = useQuery({
    queryKey: ['devices', pid, 'of-org', c.organization],
    queryFn: async () =>
      ((await (await rawFetch(`/api/v2/providers/${encodeURIComponent(pid)}/devices?organization=${encodeURIComponent(c.organization)}&limit=100`)).json()) as {
        results?: Device[];
      }).results ?? [],
    enabled: mayRun,
  });
  const results = useCommandResults(c.organization, c.id);
  const run = useRunCommand(c.organization, c.id);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const fits = (devices.data ?? []).filter((d) => d.osFamily === FAMILY[c.targetOS]);
  const nameOf = (id: string) => {
    const d = (devices.data ?? []).find((x) => x.id === id);
    return d ? d.displayName || d.hostname || id : id;
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
          {devices.isSuccess && fits.length === 0 && <p>This organization has no {c.targetOS} device.</p>}
          <Flex direction={{ default: 'column' }} spaceItems={{ default: 'spaceItemsXs' }}>
            {fits.map((d) => (
              <Checkbox
                key={d.id}
                id={`run-on-${d.id}`}
                label={`${d.displayName || d.hostname} (${d.os})`}
                isChecked={picked.has(d.id)}
                onChange={(_e, on) => {
                  const next = new Set(picked);
                  if (on) next.add(d.id);
                  else next.delete(d.id);
                  setPicked(next);
                }}
              />
            ))}
          </Flex>
          {fits.length > 0 && (
            <Button
              className="mtp-gap-top"
              isDisabled={picked.size === 0 || run.isPending}
              isLoading={run.isPending}
              onClick={() => run.mutate([...picked], { onSuccess: () => setPicked(new Set()) })}
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
