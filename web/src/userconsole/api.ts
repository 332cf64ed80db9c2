// The org users' portal calls: public endpoints (no admin session, no session token at all).
import { api, call } from '../api/client';
import { isApiError } from '../api/errors';
import type { components } from '../api/schema';

export type PortalUser = components['schemas']['PortalUser'];

export const portalLogin = (body: { organization: string; username: string; password: string }) =>
  call(api.POST('/api/v1/users/login', { body })) as Promise<PortalUser>;

export const portalSetPassword = (body: { organization: string; username: string; password: string; newPassword: string }) =>
  call(api.POST('/api/v1/users/password', { body })) as Promise<PortalUser>;

export const portalActivate = (body: { token: string; password: string }) =>
  call(api.POST('/api/v1/users/activate', { body })) as Promise<PortalUser>;

// 412 "password expired: set a new password to sign in": the sign-in form turns into the
// set-a-new-password form (a locked or inactive account is a plain error instead).
export const isPasswordExpired = (e: unknown): boolean =>
  isApiError(e) && e.status === 412 && /password expired/i.test(e.message);

// The client-side check of a new password and its repeat (the server checks the policy again).
export function checkNewPassword(password: string, again: string): Record<string, string> {
  const bad: Record<string, string> = {};
  if (password.length < 12) bad.password = 'Use at least 12 characters.';
  if (again !== password) bad.again = 'The two passwords differ.';
  return bad;
}
