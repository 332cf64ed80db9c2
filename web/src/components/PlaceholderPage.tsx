import { EmptyState, EmptyStateBody, PageSection, Title } from '@patternfly/react-core';

// A page the portal does not have (the shell's catch-all route).
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
