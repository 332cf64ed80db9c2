// Home: widget counts, detail lists with one-row and bulk actions (progress, one result per
// item), Manage Home saved at once; help desk (two orgs) and admin with billing.
import { checkA11y, expect, shot, signIn, test } from './fixtures';

const count = async (page: import('@playwright/test').Page, id: string) =>
  Number(await page.getByTestId(`widget-${id}`).getByTestId('widget-count').textContent());

test('help desk with two orgs unlocks one locked-out user from the Home widget', async ({ page, mtp }, info) => {
  await signIn(page, mtp.logins.help_desk!);
  await expect(page.getByTestId('widget-user_lockouts')).toBeVisible();
  const before = await count(page, 'user_lockouts');
  expect(before).toBeGreaterThan(0);
  await page.getByTestId('widget-user_lockouts').getByRole('link').click();
  const table = page.getByRole('grid', { name: 'User lockouts' });
  await expect(table.getByRole('row')).toHaveCount(before + 1);
  await checkA11y(page);
  await shot(page, 'home-user-lockouts', info.project.name);
  await table.getByRole('button', { name: /^Unlock user account: / }).first().click();
  await expect(page.getByTestId('bulk-results')).toContainText('done');
  await page.getByRole('link', { name: 'Home' }).first().click();
  await expect(page.getByTestId('widget-user_lockouts').getByTestId('widget-count')).toHaveText(String(before - 1));
});

test('admin with billing: bulk action with progress and one result per item; Manage Home saves at once', async ({ page, mtp }, info) => {
  await signIn(page, mtp.logins.admin_billing!);
  await expect(page.getByTestId('widget-expired_passwords')).toBeVisible();
  await checkA11y(page);
  const n = await count(page, 'expired_passwords');
  await page.getByTestId('widget-expired_passwords').getByRole('link').click();
  const table = page.getByRole('grid', { name: 'Expired passwords' });
  await expect(table.getByRole('row')).toHaveCount(Math.min(n, 20) + 1);
  await table.getByRole('checkbox', { name: 'Select all' }).check();
  await page.getByRole('button', { name: /^Actions \(/ }).click();
  await page.getByRole('menuitem', { name: 'Resend email' }).click();
  const results = page.getByTestId('bulk-results');
  await expect(results).toBeVisible();
  await expect(results.getByRole('listitem')).toHaveCount(Math.min(n, 20));
  // The row buttons leave their disabled state once the run ends; measured after that.
  await expect(table.getByRole('button', { name: /^Resend email/ }).first()).toBeEnabled();
  await checkA11y(page);
  await shot(page, 'home-bulk-results', info.project.name);

  // Admins without MFA required: require it of the billing-only admin (admin_billing only may
  // act; no later spec signs in as that admin).
  // Not of itself: its own session did not verify MFA, so its next request would go to
  // enrollment, as the engine's mfa_required check says.
  await page.goto('/home/admins_without_mfa');
  const admins = page.getByRole('grid', { name: 'Admins without MFA required' });
  await expect(admins.getByRole('row').nth(1)).toBeVisible();
  await admins.getByRole('button', { name: 'Require MFA: Bill Payer' }).click();
  await expect(page.getByTestId('bulk-results')).toContainText('done');

  // Manage Home: switch a widget off; Home no longer shows it.
  await page.goto('/');
  await expect(page.getByTestId('widget-users_with_samba')).toBeVisible();
  await page.getByRole('button', { name: 'Manage Home' }).click();
  const dialog = page.getByRole('dialog', { name: 'Manage Home' });
  await checkA11y(page);
  await shot(page, 'manage-home', info.project.name);
  await dialog.locator('label[for="switch-users_with_samba"]').click();
  await expect(dialog.getByLabel('Users with Samba')).not.toBeChecked();
  await expect(dialog.getByRole('heading', { name: 'Success alert: Saved' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('widget-users_with_samba')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('widget-user_lockouts')).toBeVisible();
  await expect(page.getByTestId('widget-users_with_samba')).toHaveCount(0);
});

test('a 503 from the API shows a retry banner that works once the service is back', async ({ page, mtp }) => {
  await signIn(page, mtp.logins.manager!);
  await expect(page.getByTestId('widget-user_lockouts')).toBeVisible();
  // The database outage is simulated at the network edge for this one request path.
  let fail = true;
  await page.route('**/api/v2/providers/*/home', (route) =>
    fail
      ? route.fulfill({ status: 503, contentType: 'application/json', headers: { 'Retry-After': '2' }, body: JSON.stringify({ error: { code: 'unavailable', message: 'service unavailable' } }) })
      : route.continue(),
  );
  await page.reload();
  await expect(page.getByTestId('retry-banner')).toBeVisible({ timeout: 15_000 });
  fail = false;
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('widget-user_lockouts')).toBeVisible();
});
