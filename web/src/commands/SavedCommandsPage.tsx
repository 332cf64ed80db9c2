// Saved commands, per organization: choose the org (server-side type-ahead), list its saved
// commands, create one, delete one, open one to run it on the org's devices and follow the
// results. Changing needs commands.run; reading commands.read.
import { Breadcrumb, BreadcrumbItem, Button, EmptyState, EmptyStateBody, FormGroup, PageSection, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { Link } from 'react-router';
import { can } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { OrgTypeahead } from '../components/OrgTypeahead';
import { useMeOutlet } from '../components/RequireAction';
import { useDeleteCommand, useSavedCommands } from './api';
import { CommandDetail } from './CommandDetail';
import { CommandFormModal } from './CommandFormModal';

export function SavedCommandsPage() {
  const me = useMeOutlet();
  const pid = me.provider ?? '';
  const mayRun = can(me, 'commands.run');
  const [org, setOrg] = useState({ id: '', name: '' });
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const list = useSavedCommands(org.id);
  const remove = useDeleteCommand(org.id);
  const rows = list.data?.results ?? [];
  const current = rows.find((c) => c.id === open);
  return (
    <PageSection>
      <Breadcrumb>
        <BreadcrumbItem>
          <Link to="/devices">Devices</Link>
        </BreadcrumbItem>
        <BreadcrumbItem isActive>Saved commands</BreadcrumbItem>
      </Breadcrumb>
      <Title headingLevel="h1">Saved commands</Title>
      <FormGroup label="Organization" fieldId="commands-org" className="mtp-org-pick">
        <OrgTypeahead
          pid={pid}
          label="Organization of the commands"
          placeholder="Type to find the organization"
          value={org.id}
          valueName={org.name}
          onChange={(id, name) => {
            setOrg({ id, name });
            setOpen(null);
          }}
        />
      </FormGroup>
      {!org.id ? (
        <EmptyState titleText="Choose an organization" headingLevel="h2">
          <EmptyStateBody>Saved commands belong to one organization and run on its devices.</EmptyStateBody>
        </EmptyState>
      ) : (
        <>
          <ErrorAlert error={list.error ?? remove.error} onRetry={() => void list.refetch()} />
          {mayRun && (
            <Button className="mtp-gap-top" onClick={() => setCreating(true)}>
              New command
            </Button>
          )}
          <Table aria-label={`Saved commands of ${org.name}`} variant="compact">
            <Thead>
              <Tr>
                <Th>Name</Th>
                <Th>Target OS</Th>
                <Th>Shell</Th>
                <Th>Updated</Th>
                {mayRun && <Th screenReaderText="Actions" />}
              </Tr>
            </Thead>
            <Tbody>
              {rows.map((c) => (
                <Tr key={c.id} isRowSelected={open === c.id}>
                  <Td dataLabel="Name">
                    <Button variant="link" isInline onClick={() => setOpen(c.id)}>
                      {c.name}
                    </Button>
                  </Td>
                  <Td dataLabel="Target OS">{c.targetOS}</Td>
                  <Td dataLabel="Shell">{c.shell}</Td>
                  <Td dataLabel="Updated">{c.updated ? new Date(c.updated).toLocaleString() : ''}</Td>
                  {mayRun && (
                    <Td isActionCell>
                      <Button
                        variant="link"
                        isDanger
                        isInline
                        aria-label={`Delete ${c.name}`}
                        onClick={() => remove.mutate(c.id, { onSuccess: () => open === c.id && setOpen(null) })}
                      >
                        Delete
                      </Button>
                    </Td>
                  )}
                </Tr>
              ))}
              {list.isSuccess && rows.length === 0 && (
                <Tr>
                  <Td colSpan={mayRun ? 5 : 4}>No saved command in this organization yet.</Td>
                </Tr>
              )}
            </Tbody>
          </Table>
          {current && <CommandDetail key={current.id} pid={pid} command={current} mayRun={mayRun} />}
        </>
      )}
      {creating && <CommandFormModal org={org.id} orgName={org.name} onClose={() => setCreating(false)} onSaved={(c) => setOpen(c.id)} />}
    </PageSection>
  );
}
