// The integration's last sync runs, newest first: why it ran, its outcome, how many orgs it
// wrote and the PSA's or the transport's message.
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSyncs, when, type Integration, type Kind } from './api';
import { SyncStatus } from './IntegrationCard';

export function SyncHistory({ pid, integration, running }: { pid: string; integration: Integration; running: boolean }) {
  const syncs = useSyncs(pid, integration.kind as Kind, true, running);
  const rows = syncs.data?.results ?? [];
  return (
    <>
      <ErrorAlert error={syncs.error} onRetry={() => void syncs.refetch()} />
      <Table aria-label={`${integration.name} sync history`} variant="compact">
        <Thead>
          <Tr>
            <Th>Queued</Th>
            <Th>Reason</Th>
            <Th>Attempt</Th>
            <Th>Result</Th>
            <Th>Organizations synced</Th>
          </Tr>
        </Thead>
        <Tbody>
          {rows.map((r) => (
            <Tr key={r.id}>
              <Td dataLabel="Queued">{when(r.queuedAt)}</Td>
              <Td dataLabel="Reason">{r.reason}</Td>
              <Td dataLabel="Attempt">{r.attempt}</Td>
              <Td dataLabel="Result">
                <SyncStatus run={r} />
              </Td>
              <Td dataLabel="Organizations synced">{r.organizationsSynced}</Td>
            </Tr>
          ))}
          {syncs.isSuccess && rows.length === 0 && (
            <Tr>
              <Td colSpan={5}>No sync has run yet.</Td>
            </Tr>
          )}
        </Tbody>
      </Table>
    </>
  );
}
