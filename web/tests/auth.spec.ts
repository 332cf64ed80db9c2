// Sign-in, MFA enrollment with real TOTP codes, the shell's tabs by effective actions, the
// cookie session's guards (CSRF header, no token for JavaScript), denial and expiry.
import * as OTPAuth from 'otpauth';
import { checkA11y, expect, shot, signIn, test } from './fixtures';

test('admin with billing signs in, sees all eight tabs and Home; the session is an HttpOnly cookie', async ({ page, mtp, context }, info) => {
  await signIn(page, mtp.logins.admin_billing!);
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const tab of ['Home', 'Organizations', 'Users', 'Devices', 'Administrators', 'Activity', 'Account', 'Integrations']) {
    await expect(nav.getByRole('link', { name: tab, exact: true })).toBeVisible();
  }
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'mtp_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Strict');
  expect(await page.evaluate(() => document.cookie)).not.toContain('mtp_session');
  await expect(page.getByTestId('widget-user_lockouts')).toBeVisible();
  await checkA11y(page);
  await shot(page, 'home', info.project.name);
});

test('a wrong password shows the API message and no session', async ({ page, mtp, context }, info) => {
  await signIn(page, { ...mtp.logins.help_desk!, password: 'not-the-password' }, { leaves: false });
  await expect(page.getByText('Sign-in failed')).toBeVisible();
  expect((await context.cookies()).find((c) => c.name === 'mtp_session')).toBeUndefined();
  await checkA11y(page);
  await shot(page, 'signin-failed', info.project.name);
});

test('an admin who must use MFA enrolls with a real TOTP code, then signs in with one', async ({ page, mtp }, info) => {
  test.setTimeout(240_000);
  const login = mtp.logins.admin!;
  await signIn(page, login);
  await expect(page).toHaveURL(/\/mfa-enroll$/);
  await expect(page.getByTestId('totp-qr')).toBeVisible();
  const uri = await page.getByTestId('otpauth-uri').textContent();
  const totp = OTPAuth.URI.parse(uri ?? '') as OTPAuth.TOTP;
  const secret = await page.getByTestId('TOTP secret-value').textContent();
  expect(totp.secret.base32).toBe(secret);
  await checkA11y(page);
  await shot(page, 'mfa-enroll', info.project.name);
  // A wrong code is refused with the API's message.
  await page.getByLabel('First code').fill(String((Number(totp.generate()) + 1) % 1_000_000).padStart(6, '0'));
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(page.getByText('That code was not accepted')).toBeVisible();
  const firstStep = Math.floor(Date.now() / 30_000);
  await page.getByLabel('First code').fill(totp.generate());
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();

  // Log out, then sign in again: the code is asked. A code of the next time step (a used
  // step is refused as a replay).
  await page.getByRole('button', { name: 'Your account menu' }).click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  await signIn(page, login, { leaves: false });
  await expect(page.getByLabel('Authentication code')).toBeVisible();
  await checkA11y(page);
  await shot(page, 'signin-totp', info.project.name);
  while (Math.floor(Date.now() / 30_000) === firstStep) await page.waitForTimeout(500);
  await page.getByLabel('Authentication code').fill(totp.generate());
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
});

test('read-only admin: no action buttons, and direct API writes are refused with a decision id', async ({ page, mtp }) => {
  await signIn(page, mtp.logins.read_only!);
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Manage Home' })).toBeVisible();
  await page.getByTestId('widget-user_lockouts').getByRole('link').click();
  await expect(page.getByRole('grid', { name: 'User lockouts' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Unlock/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Actions/ })).toHaveCount(0);
  await checkA11y(page);
  // With the cookie and the header, the engine refuses: 403 with the decision id.
  const r = await page.request.post(`/api/v2/providers/${mtp.provider}/organizations`, {
    data: { name: 'Should Not Exist' },
    headers: { 'X-Requested-With': 'mtp' },
  });
  expect(r.status()).toBe(403);
  const body = await r.json();
  expect(body.error.code).toBe('permission_denied');
  expect(body.error.decisionId).toBeTruthy();
});

test('a cookie request that changes state without X-Requested-With is refused before it runs', async ({ page, mtp }) => {
  await signIn(page, mtp.logins.admin_billing!);
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
  const r = await page.request.post(`/api/v2/providers/${mtp.provider}/organizations`, { data: { name: 'CSRF Corp' } });
  expect(r.status()).toBe(403);
  expect((await r.json()).error.message).toContain('X-Requested-With');
  const list = await page.request.get(`/api/v2/providers/${mtp.provider}/organizations?limit=100`);
  expect(list.status()).toBe(200);
  expect(JSON.stringify(await list.json())).not.toContain('CSRF Corp');
});

test('session revoked: the next page goes to sign-in and back to where the user was', async ({ page, mtp }) => {
  await signIn(page, mtp.logins.help_desk!);
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
  // Revoke the session server-side (as another tab's logout would), then navigate.
  const out = await page.request.post('/api/v2/auth/logout', { headers: { 'X-Requested-With': 'mtp' } });
  expect(out.status()).toBe(204);
  await page.goto('/administrators');
  await expect(page).toHaveURL(/\/signin\?.*next=%2Fadministrators/);
  await page.getByLabel('Email').fill(mtp.logins.help_desk!.email);
  await page.getByLabel('Password').fill(mtp.logins.help_desk!.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/administrators$/);
});

test('tabs follow the effective actions: billing only sees no Home, command runner no Administrators', async ({ page, mtp }) => {
  await signIn(page, mtp.logins.billing_only!);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Account' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Home', exact: true })).toHaveCount(0);
  await expect(page).toHaveURL(/\/account$/);
});
