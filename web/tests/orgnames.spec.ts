// Org names in table cells at scale: a provider with more orgs than the first page of names
// (100) still sees the org's name, not its id, for a user of an org beyond it (the portal
// looks the shown ids up with `filter=id:in:...`). Its own mtpd, since it adds 101 orgs.
import { expect, ownMtpd, signIn, test as base, type Mtp } from './fixtures';

const test = base.extend<object, { mtp: Mtp }>({ mtp: ownMtpd() });

test.slow();

test('a user of the 101st org shows its org name', async ({ page, mtp }) => {
  await signIn(page, mtp.logins.admin_billing!);
  const orgs = `/api/v2/providers/${mtp.provider}/organizations`;
  const csrf = { 'X-Requested-With': 'mtp' }; // the portal's header for cookie-authenticated writes
  let last = '';
  for (let i = 0; i <= 100; i++) {
    // "Zz…" sorts after the demo's orgs: the 101st of these is beyond the first 100 names.
    const r = await page.request.post(orgs, { headers: csrf, data: { name: `Zz Org ${String(i).padStart(3, '0')}` } });
    expect(r.status(), await r.text()).toBe(201);
    last = ((await r.json()) as { id: string }).id;
  }
  const username = `far.user.${Date.now()}`;
  const u = await page.request.post('/api/systemusers', {
    headers: { ...csrf, 'x-org-id': last },
    data: { username, email: `${username}@example.com` },
  });
  expect(u.status(), await u.text()).toBe(201);

  await page.goto('/users');
  await page.getByLabel('Search users by username').fill(username);
  const table = page.locator('table[aria-label="Users"]');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText('Zz Org 100');
  await expect(table.getByRole('row').nth(1)).not.toContainText(last);
});
