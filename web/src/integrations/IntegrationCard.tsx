// One PSA integration: its state and non-secret settings, the last sync and its result, and,
// for an admin with integrations.update, configure / test connection / sync now / remove. The
// org mappings and the sync history sit in expandable sections.
import {
  Alert,
  Button,
  Card,
  CardBody,
  CardFooter,
  CardHeader,
  CardTitle,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  ExpandableSection,
  Label,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
} from '@patternfly/react-core';
import { useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert';
import { useRemove, useSyncNow, useTestConnection, when, type Integration, type Kind, type SyncRun } from './api';
import { ConfigureModal } from './ConfigureModal';
import { MappingsSection } from './MappingsSection';
import { SyncHistory } from './SyncHistory';

export function SyncStatus({ run }: { run: SyncRun | null | undefined }) {
  if (!run) return <>Never synced</>;
  const color = run.status === 'ok' ? 'green' : run.status === 'failed' ? 'red' : 'blue';
  const label = { ok: 'Succeeded', failed: 'Failed', queued: 'Queued', running: 'Running' }[run.status ?? 'queued'];
  return (
    <>
      <Label color={color} isCompact>
        {label}
      </Label>{' '}
      {when(run.finishedAt ?? run.startedAt ?? run.queuedAt)}
      {run.message ? <> — {run.message}</> : null}
    </>
  );
}

function StateLabel({ i }: { i: Integration }) {
  if (!i.configured) return <Label>Not configured</Label>;
  return (
    <>
      {i.enabled ? <Label color="green">Enabled</Label> : <Label color="orange">Disabled</Label>}
      {i.demo && (
        <>
          {' '}
          <Label color="purple">Demo</Label>
        </>
      )}
    </>
  );
}

export function IntegrationCard({ pid, integration: i, editable }: { pid: string; integration: Integration; editable: boolean }) {
  const kind = i.kind as Kind;
  const cw = kind === 'connectwise';
  const [configuring, setConfiguring] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [showMappings, setShowMappings] = useState(false);
  const [showSyncs, setShowSyncs] = useState(false);
  const test = useTestConnection(pid, kind);
  const sync = useSyncNow(pid, kind);
  const remove = useRemove(pid, kind);
  const running = i.lastSync?.status === 'queued' || i.lastSync?.status === 'running';

  const details: [string, React.ReactNode][] = i.configured
    ? [
        [cw ? 'Site URL' : 'Zone URL', i.siteUrl],
        ...(cw ? ([['Company id', i.companyId], ['Client id', i.clientId], ['Public key', i.publicKey]] as [string, string][]) : []),
        ...(!cw ? ([['Integration code', i.integrationCode], ['API user name', i.userName]] as [string, string][]) : []),
        ['Credentials', i.hasCredentials ? 'Stored (never shown)' : 'None'],
        ['Price per user', ((i.pricePerUserCents ?? 0) / 100).toFixed(2)],
        ['Mapped organizations', i.mappedOrganizations ?? 0],
        ['Last sync', <SyncStatus key="s" run={i.lastSync} />],
      ]
    : [];

  return (
    <Card component="article" aria-label={i.name} className="mtp-integration-card">
      <CardHeader>
        <CardTitle component="h2">
          {i.name} <StateLabel i={i} />
        </CardTitle>
      </CardHeader>
      <CardBody>
        {!i.configured && (
          <p>
            {cw
              ? 'Bill each managed organization per user through its ConnectWise Manage agreement, and open tickets for alerts.'
              : 'Bill each managed organization per user through its Autotask contract, and open tickets for alerts.'}
          </p>
        )}
        {i.configured && (
          <DescriptionList isHorizontal isCompact aria-label={`${i.name} settings`}>
            {details.map(([t, d]) => (
              <DescriptionListGroup key={t}>
                <DescriptionListTerm>{t}</DescriptionListTerm>
                <DescriptionListDescription>{d}</DescriptionListDescription>
              </DescriptionListGroup>
            ))}
          </DescriptionList>
        )}
        {test.data && (
          <Alert
            isInline
            variant={test.data.ok ? 'success' : 'danger'}
            title={test.data.ok ? 'Connection succeeded' : 'Connection failed'}
            data-testid={`test-result-${kind}`}
            className="mtp-gap-top"
          >
            {test.data.message}
          </Alert>
        )}
        <ErrorAlert error={test.error ?? sync.error ?? remove.error} />
        {i.configured && (
          <>
            <ExpandableSection
              toggleText={showMappings ? 'Hide organization mappings' : `Organization mappings (${i.mappedOrganizations ?? 0})`}
              isExpanded={showMappings}
              onToggle={(_e, on) => setShowMappings(on)}
              className="mtp-gap-top"
            >
              {showMappings && <MappingsSection pid={pid} integration={i} editable={editable} />}
            </ExpandableSection>
            <ExpandableSection toggleText={showSyncs ? 'Hide sync history' : 'Sync history'} isExpanded={showSyncs} onToggle={(_e, on) => setShowSyncs(on)}>
              {showSyncs && <SyncHistory pid={pid} integration={i} running={running} />}
            </ExpandableSection>
          </>
        )}
      </CardBody>
      {editable && (
        <CardFooter>
          <Button variant={i.configured ? 'secondary' : 'primary'} onClick={() => setConfiguring(true)}>
            {i.configured ? 'Edit configuration' : 'Configure'}
          </Button>{' '}
          {i.configured && (
            <>
              <Button variant="secondary" onClick={() => test.mutate()} isLoading={test.isPending} isDisabled={test.isPending}>
                Test connection
              </Button>{' '}
              <Button variant="secondary" onClick={() => sync.mutate()} isLoading={sync.isPending || running} isDisabled={sync.isPending || running}>
                {running ? 'Sync queued' : 'Sync now'}
              </Button>{' '}
              <Button variant="link" isDanger onClick={() => setRemoving(true)}>
                Remove
              </Button>
            </>
          )}
        </CardFooter>
      )}
      {configuring && <ConfigureModal pid={pid} integration={i} onClose={() => setConfiguring(false)} />}
      {removing && (
        <Modal isOpen variant="small" onClose={() => setRemoving(false)} aria-labelledby={`remove-${kind}-title`}>
          <ModalHeader title={`Remove ${i.name}?`} labelId={`remove-${kind}-title`} titleIconVariant="warning" />
          <ModalBody>Its credentials, organization mappings, sync history and tickets are deleted. The PSA itself is not changed.</ModalBody>
          <ModalFooter>
            <Button variant="danger" isLoading={remove.isPending} onClick={() => remove.mutate(undefined, { onSettled: () => setRemoving(false) })}>
              Remove
            </Button>
            <Button variant="link" onClick={() => setRemoving(false)}>
              Cancel
            </Button>
          </ModalFooter>
        </Modal>
      )}
    </Card>
  );
}
