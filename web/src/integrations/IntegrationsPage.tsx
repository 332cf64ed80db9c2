// Integrations: the supported PSAs (ConnectWise Manage, Autotask) with their state, and the
// request form. Every change is offered only with integrations.update (admins with billing);
// other readers see the same page without a button that changes anything.
import { PageSection, Skeleton, Stack, StackItem, Title } from '@patternfly/react-core';
import { can } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMeOutlet } from '../components/RequireAction';
import { useIntegrations } from './api';
import { IntegrationCard } from './IntegrationCard';
import { RequestCard } from './RequestCard';

export function IntegrationsPage() {
  const me = useMeOutlet();
  const pid = me.provider ?? '';
  const editable = can(me, 'integrations.update');
  const list = useIntegrations(pid);
  return (
    <PageSection>
      <Title headingLevel="h1">Integrations</Title>
      <p className="mtp-gap-bottom">Bill your managed organizations through your PSA and open tickets for their alerts.</p>
      <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      {list.isPending && <Skeleton height="8rem" screenreaderText="Loading integrations" />}
      <Stack hasGutter>
        {(list.data?.results ?? []).map((i) => (
          <StackItem key={i.kind}>
            <IntegrationCard pid={pid} integration={i} editable={editable} />
          </StackItem>
        ))}
        {editable && list.isSuccess && (
          <StackItem>
            <RequestCard pid={pid} />
          </StackItem>
        )}
      </Stack>
    </PageSection>
  );
}
