// The API's error body `{"error":{"code","message","requestId","decisionId"?}}` as a value.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly decisionId?: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; decisionId?: string; requestId?: string };
}

export function toApiError(status: number, body: unknown): ApiError {
  const e = (body as ErrorBody | undefined)?.error;
  return new ApiError(
    status,
    e?.code ?? (status === 503 ? 'unavailable' : 'error'),
    e?.message ?? `request failed (${status})`,
    e?.decisionId,
    e?.requestId,
  );
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

// "the field `email` ..." → "email": the field an API message names, to show it next to it.
export function fieldOf(e: unknown): string | undefined {
  if (!isApiError(e)) return undefined;
  const m = /`([A-Za-z0-9_.]+)`/.exec(e.message);
  return m?.[1];
}

// The If-Match header of an edit made from row version `version` (the API's ETag is `"<version>"`):
// a newer version on the server answers 412 and writes nothing. No version known: no condition.
export const ifMatch = (version: number | undefined): Record<string, string> =>
  version === undefined || version === null ? {} : { 'If-Match': `"${version}"` };
