// Administrators: the seeds' columns and filters, add (details, then permissions and access),
// suspend and restore, reset emails, "why can't they?", delete; read-only sees no action.
import * as OTPAuth from 'otpauth';
import { checkA11y, expect, pickOrg, shot, signIn, test, waitForLink } from './fixtures';

test('admin with billing manages administrators end to end, and the new admin activates from the email', async ({ page, mtp, browser }, info) => {
  test.setTimeout(240_000);
  await signIn(page, mtp.logins.admin_billing!);
  await page.goto('/administrators');
  const table = page.getByRole('grid', { name: 'Administrators' });
  for (const col of ['Name', 'Email', 'Role', 'Organizations', 'Status', 'API key access', 'MFA: requirement', 'MFA: enrollment']) {
    await expect(table.getByRole('columnheader', { name: col, exact: true })).toBeVisible();
  }
  await expect(table.getByRole('row', { name: /help_desk@demo\.example/ })).toContainText('Help Desk');
  await checkA11y(page);
  await shot(page, 'administrators', info.project.name);

  await page.getByRole('button', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Help Desk' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  await page.getByRole('button', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'All roles' }).click();

  // Add: details, then permissions and access with one org and a per-org role.
  await page.getByRole('button', { name: 'Add administrator' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add administrator' });
  await dialog.getByLabel('Email').fill('not-an-email');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Enter a valid email address.')).toBeVisible();
  await dialog.getByLabel('First name').fill('Nora');
  await dialog.getByLabel('Last name').fill('New');
  await dialog.getByLabel('Email').fill('nora@demo.example');
  await dialog.getByRole('tab', { name: 'Permissions & access' }).click();
  await dialog.getByRole('combobox', { name: 'Role', exact: true }).selectOption('help_desk');
  await dialog.getByLabel('Enable API access').check();
  await dialog.getByRole('button', { name: 'Add organization access' }).click();
  await pickOrg(page, 'Acme Dental');
  await dialog.getByLabel('Role in this organization').selectOption('read_only');
  await checkA11y(page);
  await shot(page, 'administrator-add', info.project.name);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('nora@demo.example was added')).toBeVisible();
  const row = table.getByRole('row', { name: /nora@demo\.example/ });
  await expect(row).toContainText('pending');
  await expect(row).toContainText('Enabled');

  // The activation email's link opens the portal's page, which finishes the flow.
  const link = await waitForLink(mtp, 'nora@demo.example', '/activate');
  const otherContext = await browser.newContext({ baseURL: mtp.url });
  const other = await otherContext.newPage();
  await other.goto(link);
  await other.getByRole('textbox', { name: 'New password', exact: true }).fill('short');
  await other.getByLabel('Repeat the password').fill('short');
  await other.getByRole('button', { name: 'Activate' }).click();
  await expect(other.getByText('Use at least 12 characters.')).toBeVisible();
  await other.getByRole('textbox', { name: 'New password', exact: true }).fill('a long enough password 42');
  await other.getByLabel('Repeat the password').fill('a long enough password 42');
  await checkA11y(other);
  await shot(other, 'activate', info.project.name);
  await other.getByRole('button', { name: 'Activate' }).click();
  await expect(other.getByText('Your account is active')).toBeVisible();
  await otherContext.close();
  await page.reload();
  await expect(row).toContainText('active');

  // Suspend, restore, the password reset email.
  await row.getByRole('button', { name: 'Kebab toggle' }).click();
  await page.getByRole('menuitem', { name: 'Suspend account' }).click();
  await expect(row).toContainText('suspended');
  await row.getByRole('button', { name: 'Kebab toggle' }).click();
  await page.getByRole('menuitem', { name: 'Restore account' }).click();
  await expect(row).toContainText('active');
  await row.getByRole('button', { name: 'Kebab toggle' }).click();
  await page.getByRole('menuitem', { name: 'Send password reset email' }).click();
  await expect(page.getByText('A password reset email was sent to nora@demo.example.')).toBeVisible();
  const reset = await waitForLink(mtp, 'nora@demo.example', '/password-reset');
  const thirdContext = await browser.newContext({ baseURL: mtp.url });
  const third = await thirdContext.newPage();
  await third.goto(reset);
  await third.getByRole('textbox', { name: 'New password', exact: true }).fill('another long password 43');
  await third.getByLabel('Repeat the password').fill('another long password 43');
  await third.getByRole('button', { name: 'Change password' }).click();
  await expect(third.getByText('Your password was changed')).toBeVisible();
  await checkA11y(third);
  await shot(third, 'password-reset', info.project.name);
  await thirdContext.close();

  // Why can't they? Nora (read_only in Acme Dental) may not unlock users there.
  await row.getByRole('button', { name: 'Kebab toggle' }).click();
  await page.getByRole('menuitem', { name: "Why can't they?" }).click();
  const why = page.getByRole('dialog', { name: /Why can't nora/ });
  await why.getByLabel('Action').selectOption('users.unlock');
  await pickOrg(page, 'Acme Dental');
  await why.getByRole('button', { name: 'Explain' }).click();
  await expect(why.getByTestId('explain-result')).toContainText('Denied');
  await checkA11y(page);
  await shot(page, 'administrator-explain', info.project.name);
  await why.getByRole('button', { name: 'Close' }).click();

  // Edit while someone else changes the admin: 412 (If-Match), the form reloads their change.
  await row.getByRole('button', { name: 'Kebab toggle' }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit nora@demo.example' });
  const listed = await (await page.request.get(`/api/v2/providers/${mtp.provider}/administrators?limit=100`)).json();
  const nora = listed.results.find((x: { email: string }) => x.email === 'nora@demo.example');
  const elsewhere = await page.request.put(`/api/v2/providers/${mtp.provider}/administrators/${nora.id}`, {
    data: { lastname: 'Elsewhere' },
    headers: { 'X-Requested-With': 'mtp' },
  });
  expect(elsewhere.status()).toBe(200);
  await edit.getByLabel('First name').fill('Nora Mine');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByTestId('stale')).toContainText('Someone else changed this record');
  await expect(edit.getByLabel('Last name')).toHaveValue('Elsewhere');
  await expect(edit.getByLabel('First name')).toHaveValue('Nora');
  await edit.getByLabel('First name').fill('Nora Mine');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('nora@demo.example was saved.')).toBeVisible();

  // Delete.
  await row.getByRole('button', { name: 'Kebab toggle' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: /Delete nora/ }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('nora@demo.example was deleted.')).toBeVisible();
  await expect(row).toHaveCount(0);
});

test('read-only admin: the list without Add, suspend or delete; a direct API attempt is refused', async ({ page, mtp }) => {
  await signIn(page, mtp.logins.read_only!);
  await page.goto('/administrators');
  await expect(page.getByRole('grid', { name: 'Administrators' }).getByRole('row').nth(1)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add administrator' })).toHaveCount(0);
  // Checked before the row menu opens: axe measured the menu's text contrast while it faded in
  // (a flake on one backend in one run).
  await checkA11y(page);
  await page.getByRole('row', { name: /help_desk@demo\.example/ }).getByRole('button', { name: 'Kebab toggle' }).click();
  await expect(page.getByRole('menuitem')).toHaveText(["Why can't they?"]);
  const r = await page.request.post(`/api/v2/providers/${mtp.provider}/administrators`, {
    data: { email: 'sneaky@demo.example', roleName: 'admin_billing' },
    headers: { 'X-Requested-With': 'mtp' },
  });
  expect(r.status()).toBe(403);
});

test('an email link with a bad token shows the API message; the TOTP reset page too', async ({ page }, info) => {
  await page.goto('/password-reset?token=not-a-real-token');
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill('a long enough password 42');
  await page.getByLabel('Repeat the password').fill('a long enough password 42');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('The link could not be used')).toBeVisible();
  await page.goto('/totp-reset?token=not-a-real-token');
  await checkA11y(page);
  await shot(page, 'totp-reset', info.project.name);
  await page.getByRole('button', { name: 'Reset my authenticator' }).click();
  await expect(page.getByText('The link could not be used')).toBeVisible();
});

test('the TOTP reset email: a valid link removes the authenticator, and the next sign-in enrolls again', async ({ page, mtp, browser }, info) => {
  test.setTimeout(300_000);
  // A new admin who must use MFA, activated from their email.
  const email = 'tara.totp@demo.example';
  const password = 'a long enough password 42';
  await signIn(page, mtp.logins.admin_billing!);
  const made = await page.request.post(`/api/v2/providers/${mtp.provider}/administrators`, {
    data: { email, firstname: 'Tara', lastname: 'Totp', roleName: 'read_only', enableMultiFactor: true, allOrganizations: true },
    headers: { 'X-Requested-With': 'mtp' },
  });
  expect(made.status(), await made.text()).toBe(201);
  const ctx = await browser.newContext({ baseURL: mtp.url });
  const tara = await ctx.newPage();
  await tara.goto(await waitForLink(mtp, email, '/activate'));
  await tara.getByRole('textbox', { name: 'New password', exact: true }).fill(password);
  await tara.getByLabel('Repeat the password').fill(password);
  await tara.getByRole('button', { name: 'Activate' }).click();
  await expect(tara.getByText('Your account is active')).toBeVisible();

  // First sign-in: enrollment with a real TOTP code.
  const login = { role: 'read_only', email, password, orgs: '' };
  await signIn(tara, login);
  await expect(tara).toHaveURL(/\/mfa-enroll$/);
  const first = await tara.getByTestId('TOTP secret-value').textContent();
  const totp = OTPAuth.URI.parse((await tara.getByTestId('otpauth-uri').textContent()) ?? '') as OTPAuth.TOTP;
  await tara.getByLabel('First code').fill(totp.generate());
  await tara.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(tara.getByRole('heading', { name: 'Home' })).toBeVisible();
  await ctx.close();

  // The admin with billing sends the TOTP reset email from the row menu.
  await page.goto('/administrators');
  const row = page.getByRole('grid', { name: 'Administrators' }).getByRole('row', { name: /tara\.totp@demo\.example/ });
  await row.getByRole('button', { name: 'Kebab toggle' }).click();
  await page.getByRole('menuitem', { name: 'Send TOTP reset email' }).click();
  await expect(page.getByText(`A TOTP reset email was sent to ${email}.`)).toBeVisible();

  // The email's link, followed in a fresh browser: confirm, done.
  const link = await waitForLink(mtp, email, '/totp-reset');
  const ctx2 = await browser.newContext({ baseURL: mtp.url });
  const tara2 = await ctx2.newPage();
  await tara2.goto(link);
  await expect(tara2.getByRole('heading', { name: 'Reset your authenticator' })).toBeVisible();
  await checkA11y(tara2);
  await tara2.getByRole('button', { name: 'Reset my authenticator' }).click();
  await expect(tara2.getByText('Your old authenticator no longer works')).toBeVisible();
  await shot(tara2, 'totp-reset-done', info.project.name);
  // The link is spent.
  await tara2.goto(link);
  await tara2.getByRole('button', { name: 'Reset my authenticator' }).click();
  await expect(tara2.getByText('The link could not be used')).toBeVisible();

  // The next sign-in asks for no code from the old authenticator: it enrolls a new one.
  await signIn(tara2, login);
  await expect(tara2).toHaveURL(/\/mfa-enroll$/);
  await expect(tara2.getByTestId('TOTP secret-value')).not.toHaveText(first ?? '');
  await ctx2.close();
});
