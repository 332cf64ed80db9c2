// The org users' portal (/userconsole), opened the way a user opens it: from the links of the
// emails MTP sends. A force-reset password is refused at sign-in, replaced there, then works;
// a STAGED user activates from the activation email and signs in. No admin session is needed.
import type { Page } from '@playwright/test';
import { checkA11y, expect, shot, signIn, test, waitForMailLink, type Mtp } from './fixtures';

test.slow();

const json = { 'X-Requested-With': 'mtp' };

// As the admin with billing (the page's session): the first org, a new user in it.
async function createUser(page: Page, mtp: Mtp, body: Record<string, unknown>): Promise<{ org: string; id: string }> {
  await signIn(page, mtp.logins.admin_billing!);
  const orgs = (await (await page.request.get(`/api/v2/providers/${mtp.provider}/organizations?limit=100`)).json()) as { results: { id: string }[] };
  const org = orgs.results[0]!.id;
  const r = await page.request.post('/api/systemusers', { headers: { ...json, 'x-org-id': org }, data: body });
  expect(r.status(), await r.text()).toBe(201);
  const user = (await r.json()) as { id?: string; _id?: string };
  return { org, id: (user.id ?? user._id)! };
}

async function userAction(page: Page, mtp: Mtp, action: string, org: string, id: string) {
  const r = await page.request.post(`/api/v2/providers/${mtp.provider}/users/actions`, {
    headers: json,
    data: { action, users: [{ organization: org, id }] },
  });
  expect(r.status()).toBe(200);
  expect(((await r.json()) as { results: { status: number }[] }).results.map((x) => x.status)).toEqual([200]);
}

async function portalSignIn(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('force password reset: the email link, refused as expired, a new password, then signed in', async ({ page, mtp }, info) => {
  const username = `uc.reset.${info.project.name}`;
  const email = `${username}@birch.example`;
  const first = 'Quartz-Mango-71-Fjord';
  const next = 'Velvet-Orbit-39-Kestrel';
  const { org, id } = await createUser(page, mtp, { username, email, firstname: 'Rita', lastname: '<b>Reset</b>', password: first, activated: true });
  const since = mtp.mails.length;
  await userAction(page, mtp, 'force_password_reset', org, id);
  const link = await waitForMailLink(mtp, email, '/userconsole', since);
  expect(link).toBe(`/userconsole?organization=${org}`);

  // The portal needs no admin session.
  await page.context().clearCookies();
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Sign in to your organization' })).toBeVisible();
  await expect(page.getByLabel('Organization ID')).toHaveValue(org);
  await checkA11y(page);
  await shot(page, 'userconsole-signin', info.project.name);

  // A wrong password: the server's message in an Alert, as text.
  await portalSignIn(page, username, 'Wrong-Guess-12-Lantern');
  await expect(page.getByText('Sign-in failed')).toBeVisible();

  // The right, force-reset password: refused as expired; the form to set a new one.
  await portalSignIn(page, username, first);
  await expect(page.getByRole('heading', { name: 'Set a new password' })).toBeVisible();
  await expect(page.getByText('Your password has expired')).toBeVisible();
  await page.getByLabel('Current password').fill(first);
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill('too short');
  await page.getByLabel('Repeat the password').fill('too shorT');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
  await expect(page.getByText('The two passwords differ.')).toBeVisible();
  await checkA11y(page);
  await shot(page, 'userconsole-expired', info.project.name);
  // The server refuses the current password as the new one (its message, as text).
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(first);
  await page.getByLabel('Repeat the password').fill(first);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByText('field `newPassword` must differ from the current password')).toBeVisible();
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(next);
  await page.getByLabel('Repeat the password').fill(next);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByText('Your password was changed. Sign in with the new one.')).toBeVisible();

  // The old password no longer works; the new one signs in.
  await portalSignIn(page, username, first);
  await expect(page.getByText('Sign-in failed')).toBeVisible();
  await portalSignIn(page, username, next);
  await expect(page.getByText(`Signed in as ${username} (${email})`)).toBeVisible();
  await expect(page.getByText('Rita <b>Reset</b>', { exact: true })).toBeVisible(); // text, never HTML
  await expect(page.locator('b', { hasText: 'Reset' })).toHaveCount(0);
  await checkA11y(page);
  await shot(page, 'userconsole-signed-in', info.project.name);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You signed out.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Password', exact: true })).toHaveValue('');
});

test('activation: the email link, a password, then the portal sign-in', async ({ page, mtp }, info) => {
  const username = `uc.new.${info.project.name}`;
  const email = `${username}@birch.example`;
  const password = 'Tundra-Pixel-58-Harbor';
  const { org, id } = await createUser(page, mtp, { username, email, activated: false });
  const since = mtp.mails.length;
  await userAction(page, mtp, 'resend_activation', org, id);
  const link = await waitForMailLink(mtp, email, '/userconsole/activate', since);
  expect(link).toMatch(/^\/userconsole\/activate\?token=[0-9a-f]{64}$/);

  await page.context().clearCookies();
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Activate your account' })).toBeVisible();
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill('short');
  await page.getByLabel('Repeat the password').fill('short');
  await page.getByRole('button', { name: 'Activate' }).click();
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
  await checkA11y(page);
  await shot(page, 'userconsole-activate', info.project.name);
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Activate' }).click();
  await expect(page.getByText('Your account is active')).toBeVisible();
  await checkA11y(page);

  await page.getByRole('link', { name: `Sign in as ${username}` }).click();
  await expect(page).toHaveURL(new RegExp(`/userconsole\\?organization=${org}$`));
  await expect(page.getByLabel('Organization ID')).toHaveValue(org);
  await portalSignIn(page, username, password);
  await expect(page.getByText(`Signed in as ${username} (${email})`)).toBeVisible();

  // The link works once.
  await page.goto(link);
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Activate' }).click();
  await expect(page.getByText('The account could not be activated')).toBeVisible();
});
