// A bulk action's progress bar, then one line per item: done, refused (403/404/412...) or failed.
import { Alert, Progress } from '@patternfly/react-core';

export interface ItemResult {
  key: string;
  label: string;
  status: number;
  error?: string;
}

const ok = (s: number) => s >= 200 && s < 300;
const refused = (s: number) => s === 403 || s === 404 || s === 409 || s === 412;

export function BulkProgress({ progress, results }: { progress: { done: number; total: number } | null; results: ItemResult[] | null }) {
  return (
    <>
      {progress && (
        <Progress
          value={(100 * progress.done) / Math.max(1, progress.total)}
          title={`Working: ${progress.done} of ${progress.total}`}
          aria-label="Bulk action progress"
          data-testid="bulk-progress"
        />
      )}
      {results && (
        <Alert variant={results.every((r) => ok(r.status)) ? 'success' : 'warning'} isInline title="Results" data-testid="bulk-results">
          <ul>
            {results.map((r) => (
              <li key={r.key}>
                {r.label}: {ok(r.status) ? 'done' : refused(r.status) ? `refused (${r.status}${r.error ? `: ${r.error}` : ''})` : `failed (${r.status}${r.error ? `: ${r.error}` : ''})`}
              </li>
            ))}
          </ul>
        </Alert>
      )}
    </>
  );
}
