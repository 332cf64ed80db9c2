// Home: every widget the admin chose and may see, with its count; a click opens its list.
// Manage Home (toggles and N values) saves at once.
import { Button, Card, CardBody, CardHeader, CardTitle, Gallery, PageSection, Spinner, Title, Flex } from '@patternfly/react-core';
import { Link } from 'react-router';
import { useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMeOutlet } from '../components/RequireAction';
import { useHomeCounts } from './api';
import { ManageHomeModal } from './ManageHomeModal';
import { widgetInfo } from './widgets';

export function HomePage() {
  const me = useMeOutlet();
  const counts = useHomeCounts(me.provider ?? '');
  const [manage, setManage] = useState(false);
  const widgets = counts.data?.widgets ?? [];
  return (
    <PageSection>
      <Flex justifyContent={{ default: 'justifyContentSpaceBetween' }}>
        <Title headingLevel="h1">Home</Title>
        <Button variant="secondary" onClick={() => setManage(true)}>
          Manage Home
        </Button>
      </Flex>
      <p>Statuses and issues across your organizations. Click a widget to see who is affected and resolve it.</p>
      <ErrorAlert error={counts.error} onRetry={() => void counts.refetch()} />
      {counts.isPending && <Spinner aria-label="Loading the widgets" />}
      <Gallery hasGutter minWidths={{ default: '220px' }} style={{ marginTop: 16 }} data-testid="home-widgets">
        {widgets.map((w) => {
          const info = widgetInfo(w.id ?? '');
          if (!info) return null;
          return (
            <Card key={w.id} isCompact data-testid={`widget-${w.id}`}>
              <CardHeader>
                <CardTitle>
                  <Link to={`/home/${w.id}`}>{info.label}</Link>
                </CardTitle>
              </CardHeader>
              <CardBody>
                <span style={{ fontSize: '2rem', fontWeight: 600 }} aria-label={`${info.label}: ${w.count}`} data-testid="widget-count">
                  {w.count}
                </span>
                <div>{info.group}</div>
              </CardBody>
            </Card>
          );
        })}
      </Gallery>
      {counts.isSuccess && widgets.length === 0 && <p>No widget to show: choose some in Manage Home.</p>}
      {manage && <ManageHomeModal onClose={() => setManage(false)} />}
    </PageSection>
  );
}
