// The one typed client of the REST API, generated from docs/openapi.yaml (src/api/schema.d.ts).
// The browser's session is an HttpOnly cookie the server sets (no token ever reaches this
// code); every request sends `X-Requested-With: mtp`, which the server demands of a
// cookie-authenticated request that changes state. Inside a launched org console
// (/org/...), `X-MTP-Console: org` selects the org-scoped launch cookie.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, toApiError } from './errors';

export const inOrgConsole = (): boolean => window.location.pathname.startsWith('/org/');

const headers: Middleware = {
  onRequest({ request }) {
    request.headers.set('X-Requested-With', 'mtp');
    if (inOrgConsole()) request.headers.set('X-MTP-Console', 'org');
    return request;
  },
  async onResponse({ request, response }) {
    // An expired or revoked session: the shell sends the user to sign-in and back (an
    // enrollment-only session asked for more is sent to enrollment by the shell instead).
    if (response.status === 401 && !request.url.includes('/api/v2/auth/')) {
      const body = (await response.clone().json().catch(() => ({}))) as { error?: { code?: string } };
      if (body.error?.code !== 'mfa_required') window.dispatchEvent(new CustomEvent('mtp:unauthenticated'));
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(headers);

// Unwraps an openapi-fetch answer: the data, or an ApiError thrown for the caller (TanStack
// Query hands it to the page's error display).
export async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await p;
  } catch {
    throw new ApiError(0, 'unavailable', 'The server cannot be reached.');
  }
  if (!r.response.ok) throw toApiError(r.response.status, r.error);
  return r.data as T;
}

// Raw requests the generated client cannot express (binary bodies, downloads).
export async function rawFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const h = new Headers(init.headers);
  h.set('X-Requested-With', 'mtp');
  if (inOrgConsole()) h.set('X-MTP-Console', 'org');
  const r = await fetch(path, { ...init, headers: h, credentials: 'same-origin' });
  if (r.status === 401) window.dispatchEvent(new CustomEvent('mtp:unauthenticated'));
  if (!r.ok) {
    let body: unknown = undefined;
    try {
      body = await r.json();
    } catch {
      /* not JSON */
    }
    throw toApiError(r.status, body);
  }
  return r;
}
