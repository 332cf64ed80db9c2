// Account: provider id (eye/copy), my API key shown once with the warning (a new one revokes
// the old), the global MFA requirement, payment history, billing information, usage.
import { checkA11y, expect, shot, signIn, test } from './fixtures';

test('admin with billing: provider id, API key once, billing information and usage', async ({ page, mtp }, info) => {
  await signIn(page, mtp.logins.admin_billing!);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { name: 'Account', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Show Provider id' }).click();
  await expect(page.getByTestId('Provider id-value')).toHaveText(mtp.provider);
  await expect(page.getByRole('switch', { name: 'Require MFA for every administrator' })).toBeVisible();
  await expect(page.getByRole('grid', { name: 'Payment history' })).toBeVisible();
  await expect(page.getByText('High-water mark this month')).toBeVisible();
  // The daily users chart draws the demo's usage snapshots (35 past days seeded, today's from
  // the snapshot job): one bar per day of the API's series, summarised in the image's name.
  const usage = await (await page.request.get(`/api/v2/providers/${mtp.provider}/billing/usage`)).json();
  expect(usage.daily.length).toBeGreaterThanOrEqual(29);
  const chart = page.getByTestId('daily-chart');
  await expect(chart.getByRole('img', { name: /^Daily users, last 30 days: \d+ days from / })).toBeVisible();
  await expect(chart.locator('rect')).toHaveCount(usage.daily.length);
  const last = usage.daily[usage.daily.length - 1];
  await expect(chart.getByRole('row', { name: `${last.date} ${last.users}` })).toHaveCount(1);
  expect(usage.daily.some((d: { users: number }) => d.users > 0)).toBe(true);
  // High-water marks per month: this month and last month (the demo's 35 days span both).
  expect(usage.monthly.length).toBeGreaterThanOrEqual(2);
  const hwm = page.getByRole('region', { name: 'High-water marks per month' });
  for (const m of usage.monthly) await expect(hwm.getByText(`${m.hwm} users`, { exact: true }).first()).toBeVisible();
  await expect(hwm.getByText(usage.monthly[0].month, { exact: true })).toBeVisible();
  await checkA11y(page);
  await shot(page, 'account', info.project.name);

  // The demo owner may not have API access enabled: enable it through Administrators first.
  const me = await (await page.request.get('/api/v2/me')).json();
  if (!me.apiKeyAllowed) {
    const r = await page.request.put(`/api/v2/providers/${mtp.provider}/administrators/${me.id}`, {
      data: { apiKeyAllowed: true },
      headers: { 'X-Requested-With': 'mtp' },
    });
    expect(r.status()).toBe(200);
    await page.reload();
  }
  await expect(page.getByText('it will revoke access to the current API key')).toBeVisible();
  await page.getByRole('button', { name: 'Generate new API key' }).click();
  const first = (await page.getByTestId('API key-value').textContent()) ?? '';
  expect(first.length).toBeGreaterThan(20);
  const ok = await page.request.get('/api/v2/me', { headers: { 'x-api-key': first } });
  expect(ok.status()).toBe(200);
  await page.getByRole('button', { name: 'Generate new API key' }).click();
  await expect(page.getByTestId('API key-value')).not.toHaveText(first);
  const revoked = await page.request.get('/api/v2/me', { headers: { 'x-api-key': first } });
  expect(revoked.status()).toBe(401);
  await page.reload();
  await expect(page.getByTestId('API key-value')).toHaveCount(0); // shown once only

  // Billing information: validated, saved, read back.
  await page.getByLabel('Billing email').fill('not an email');
  await page.getByRole('button', { name: 'Submit payment information' }).click();
  await expect(page.getByText('Enter a valid email address.')).toBeVisible();
  await page.getByLabel('Billing email').fill('billing@demo.example');
  await page.getByLabel('Name on the account').fill('Demo MSP <script>alert(1)</script>');
  await page.getByRole('button', { name: 'Submit payment information' }).click();
  await expect(page.getByText('Billing information saved')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Name on the account')).toHaveValue('Demo MSP <script>alert(1)</script>');
});

test('read-only admin: Account shows values, no switch to flip and no billing form to submit', async ({ page, mtp }) => {
  await signIn(page, mtp.logins.read_only!);
  await page.goto('/account');
  await expect(page.getByRole('heading', { name: 'Account', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Submit payment information' })).toHaveCount(0);
  const sw = page.getByRole('switch', { name: 'Require MFA for every administrator' });
  if (await sw.count()) await expect(sw).toBeDisabled();
  await checkA11y(page);
});
