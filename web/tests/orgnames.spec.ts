// Org names at scale: a provider with more orgs than the first page of names (100) still sees
// the org's name, not its id, for a user of an org beyond it (the portal looks the shown ids
// up with `filter=id:in:...`), and an administrator's access to such an org shows its name and
// is granted by the type-ahead; the header's menu leads to the orgs beyond its first 100. Its own mtpd, since it adds 101 orgs.
import { expect, ownMtpd, signIn, test as base, type Mtp } from './fixtures';

const test = base.extend<object, { mtp: Mtp }>({ mtp: ownMtpd() });

test.slow();

test('an org beyond the first 100: a user row and an admin\'s access show its name; the type-ahead grants it', async ({ page, mtp }) => {
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

  // An administrator granted the 101st org: the edit form names it; the type-ahead finds the
  // 100th for a second row.
  const email = `far.admin.${Date.now()}@demo.example`;
  const a = await page.request.post(`/api/v2/providers/${mtp.provider}/administrators`, {
    headers: csrf,
    data: { email, roleName: 'help_desk', organizations: [{ organization: last }] },
  });
  expect(a.status(), await a.text()).toBe(201);
  await page.goto('/administrators');
  const row = page.getByRole('grid', { name: 'Administrators' }).getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) });
  await row.getByRole('button', { name: 'Kebab toggle' }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${email}` });
  await edit.getByRole('tab', { name: 'Permissions & access' }).click();
  await expect(edit.getByRole('combobox', { name: 'Organization', exact: true })).toHaveValue('Zz Org 100');
  await edit.getByRole('button', { name: 'Add organization access' }).click();
  const second = edit.getByRole('combobox', { name: 'Organization', exact: true }).nth(1);
  await second.fill('Zz Org 099');
  await page.getByRole('option', { name: 'Zz Org 099', exact: true }).click();
  await expect(second).toHaveValue('Zz Org 099');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(`${email} was saved.`)).toBeVisible();
  const links = await (await page.request.get(`/api/v2/administrators/${((await a.json()) as { id: string }).id}/organizationlinks`)).json();
  expect(((links.results ?? links) as { organization: string }[]).length).toBe(2);

  // The header's MTP menu lists the first 100 by name and leads to the rest.
  await page.getByRole('button', { name: 'MTP organization menu' }).click();
  await page.getByRole('menuitem', { name: /^\d+ more organizations/ }).click();
  await expect(page.getByRole('heading', { name: 'Organizations' })).toBeVisible();
});
