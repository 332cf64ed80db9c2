// A page the signed-in admin's actions do not reach says so instead of failing.
import { EmptyState, EmptyStateBody, PageSection } from '@patternfly/react-core';
import type { ReactNode } from 'react';
import { useOutletContext } from 'react-router';
import { can, type Me } from '../auth/session';

export const useMeOutlet = () => useOutletContext<Me>();

export function RequireAction({ action, children }: { action: string | string[]; children: ReactNode }) {
  const me = useMeOutlet();
  const actions = Array.isArray(action) ? action : [action];
  if (!actions.some((a) => can(me, a))) {
    return (
      <PageSection>
        <EmptyState titleText="Not available for your role" headingLevel="h1">
          <EmptyStateBody>Your administrator role does not include this part of the portal.</EmptyStateBody>
        </EmptyState>
      </PageSection>
    );
  }
  return <>{children}</>;
}
