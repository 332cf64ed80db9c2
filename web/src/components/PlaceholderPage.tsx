import { EmptyState, EmptyStateBody, PageSection, Title } from '@patternfly/react-core';

// A tab whose pages come in a later issue (Users, Devices, Activity, Integrations).
export function PlaceholderPage({ title }: { title: string }) {
  return (
    <PageSection>
      <Title headingLevel="h1">{title}</Title>
      <EmptyState titleText="Coming soon" headingLevel="h2">
        <EmptyStateBody>This part of the portal is not built yet. The REST API already serves it.</EmptyStateBody>
      </EmptyState>
    </PageSection>
  );
}
