// A route's page loaded on first visit (its own bundle chunk): a spinner until it arrives.
import { Bullseye, Spinner } from '@patternfly/react-core';
import { Suspense, type ReactNode } from 'react';

export function Lazy({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <Bullseye>
          <Spinner aria-label="Loading the page" />
        </Bullseye>
      }
    >
      {children}
    </Suspense>
  );
}
