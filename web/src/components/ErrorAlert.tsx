// How a failed request shows: a denial with its decision id, a retry banner for 503, "changed
// by someone else" for a stale If-Match (412), the API's own message otherwise. Text only:
// nothing here is rendered as HTML.
import { Alert, AlertActionLink } from '@patternfly/react-core';
import { isApiError } from '../api/errors';

// 412 precondition_failed: the If-Match version is no longer the record's.
export const isStale = (e: unknown): boolean => isApiError(e) && e.status === 412 && !/password/i.test(e.message);

export function ErrorAlert({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  if (!error) return null;
  if (isApiError(error) && (error.status === 503 || error.status === 0)) {
    return (
      <Alert
        variant="warning"
        isInline
        title="The service is unavailable right now"
        data-testid="retry-banner"
        actionLinks={onRetry ? <AlertActionLink onClick={onRetry}>Retry</AlertActionLink> : undefined}
      >
        {error.message}. Your changes were not lost; try again in a moment.
      </Alert>
    );
  }
  if (isStale(error)) {
    return (
      <Alert variant="warning" isInline title="Changed by someone else" data-testid="stale">
        Someone else changed this record after you opened it, so your change was not saved. It has been reloaded: check it and
        make your change again.
      </Alert>
    );
  }
  if (isApiError(error) && error.status === 403) {
    return (
      <Alert variant="danger" isInline title="Permission denied" data-testid="denied">
        Your role does not allow this.{' '}
        {error.decisionId ? <>Decision id: <code>{error.decisionId}</code> (give it to your administrator; it explains the refusal).</> : error.message}
      </Alert>
    );
  }
  const message = isApiError(error) ? error.message : error instanceof Error ? error.message : String(error);
  return (
    <Alert variant="danger" isInline title={title ?? 'Something went wrong'}>
      {message}
    </Alert>
  );
}
