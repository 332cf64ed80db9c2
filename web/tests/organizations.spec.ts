// Organizations: list with search, sort and paging; create; the detail panel; Launch into the
// org console and back; help desk sees its two orgs; read-only sees no buttons.
import { checkA11y, expect, shot, signIn, test } from './fixtures';

test('admin with billing: search, sort, create, detail panel edits and launch', async ({ page, mtp }, info) => {
  await signIn(page, mtp.logins.admin_billing!);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organizations' }).click();
  const table = page.getByRole('grid', { name: 'Organizations' });
  await expect(table.getByRole('row', { name: /Acme Dental/ })).toBeVisible();
  await checkA11y(page);
  await shot(page, 'organizations', info.project.name);

  await page.getByLabel('Search organizations by name').fill('Birch');
  await expect(table.getByRole('row')).toHaveCount(2);
  await page.getByLabel('Search organizations by name').fill('');
  await table.getByRole('button', { name: 'Name' }).click(); // ascending already: descending now
  await expect(table.getByRole('row').nth(1)).toContainText('Dune Logistics');

  await page.getByRole('button', { name: 'Create organization' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create organization' });
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByText('Enter a name.')).toBeVisible();
  await dialog.getByLabel('Name').fill('Echo Corp <b>bold</b>');
  await dialog.getByRole('button', { name: 'Create' }).click();
  const panel = page.getByLabel('Organization details');
  await expect(panel.getByRole('heading', { name: 'Echo Corp <b>bold</b>' })).toBeVisible(); // text, never HTML
  await panel.getByRole('button', { name: 'Show Organization id' }).click();
  await expect(panel.getByTestId('Organization id-value')).not.toContainText('•');
  await panel.getByLabel('Name', { exact: true }).fill('Echo Corporation');
  await panel.getByRole('button', { name: 'Rename' }).click();
  await expect(panel.getByRole('heading', { name: 'Echo Corporation' })).toBeVisible();
  await panel.getByLabel('New tag').fill('vip');
  await panel.getByRole('button', { name: 'Add tag' }).click();
  await expect(panel.getByText('vip', { exact: true })).toBeVisible();
  await panel.getByLabel('Lock out after failed sign-ins').fill('101');
  await panel.getByRole('button', { name: 'Save password policy' }).click();
  await expect(panel.getByText('A whole number from 0 (never locks) to 100.')).toBeVisible();
  await panel.getByLabel('Lock out after failed sign-ins').fill('7');
  await panel.getByRole('button', { name: 'Save password policy' }).click();
  await expect(panel.getByText('Password policy saved')).toBeVisible();
  const apps = panel.getByRole('list', { name: 'Applications of this organization' });
  await expect(apps).toContainText('No application yet.');
  await panel.getByRole('button', { name: 'Add application' }).click();
  await expect(panel.getByText('Enter the application name.')).toBeVisible();
  await panel.getByLabel('New application name').fill('Payroll SSO');
  await panel.getByLabel('New application type').selectOption('oidc');
  await panel.getByRole('button', { name: 'Add application' }).click();
  await expect(apps).toContainText('Payroll SSO (OIDC)');
  await expect(table.getByRole('row', { name: /Echo Corporation/ }).locator('td[data-label="Applications"]')).toHaveText('1');
  await panel.getByRole('button', { name: 'Remove the application Payroll SSO' }).click();
  await expect(apps).toContainText('No application yet.');
  await checkA11y(page);
  await shot(page, 'organization-detail', info.project.name);

  // Launch from the panel of a demo org: the org console, its users only, and back.
  await table.getByRole('button', { name: 'Acme Dental' }).click();
  await expect(panel.getByRole('heading', { name: 'Acme Dental' })).toBeVisible();
  await panel.getByRole('button', { name: 'Launch' }).click();
  await expect(page).toHaveURL(/\/org\//);
  await expect(page.getByText('You are in the console of')).toBeVisible();
  const consoleUsers = page.getByRole('grid', { name: 'Users of the organization' });
  await expect(consoleUsers.getByRole('row').nth(1)).toBeVisible();
  // Sorted by the server: by username, then the other way round.
  const names = consoleUsers.locator('td[data-label="Username"]');
  const firstName = await names.first().innerText();
  await consoleUsers.getByRole('button', { name: 'Username' }).click();
  await expect(names.first()).not.toHaveText(firstName);
  await checkA11y(page);
  await shot(page, 'org-console', info.project.name);
  await page.getByRole('button', { name: 'Back to MTP' }).click();
  await expect(page.getByRole('heading', { name: 'Organizations' })).toBeVisible();
});

test('help desk sees its two orgs and launches from the MTP menu', async ({ page, mtp }) => {
  await signIn(page, mtp.logins.help_desk!);
  await page.goto('/organizations');
  const table = page.getByRole('grid', { name: 'Organizations' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'Create organization' })).toHaveCount(0);
  await page.getByRole('button', { name: 'MTP organization menu' }).click();
  await page.getByRole('menuitem', { name: /Birch Legal/ }).click();
  await expect(page.getByText('You are in the console of')).toBeVisible();
  await expect(page.getByText('Birch Legal').first()).toBeVisible();
});

test('read-only admin: organization details without any edit button', async ({ page, mtp }) => {
  await signIn(page, mtp.logins.read_only!);
  await page.goto('/organizations');
  await expect(page.getByRole('button', { name: 'Create organization' })).toHaveCount(0);
  await page.getByRole('grid', { name: 'Organizations' }).getByRole('button', { name: 'Cobalt Manufacturing' }).click();
  const panel = page.getByLabel('Organization details');
  await expect(panel.getByRole('heading', { name: 'Cobalt Manufacturing' })).toBeVisible();
  for (const name of ['Rename', 'Add tag', 'Save password policy', 'Regenerate connect key', 'Add application']) {
    await expect(panel.getByRole('button', { name })).toHaveCount(0);
  }
  await checkA11y(page);
  const list = await (await page.request.get(`/api/v2/providers/${mtp.provider}/organizations?limit=100`)).json();
  const id = list.results[0].id;
  const r = await page.request.put(`/api/v2/providers/${mtp.provider}/organizations/${id}`, {
    data: { name: 'Renamed by read-only' },
    headers: { 'X-Requested-With': 'mtp' },
  });
  expect(r.status()).toBe(403);
  expect((await r.json()).error.decisionId).toBeTruthy();
});

test('two pages edit one org: the later edit is refused as stale and the org reloads', async ({ browser, mtp }) => {
  const pages = [];
  for (let i = 0; i < 2; i++) {
    const ctx = await browser.newContext({ baseURL: mtp.url });
    const p = await ctx.newPage();
    await signIn(p, mtp.logins.admin_billing!);
    pages.push(p);
  }
  const [a, b] = pages as [typeof pages[0], typeof pages[0]];
  const made = await a.request.post(`/api/v2/providers/${mtp.provider}/organizations`, {
    data: { name: 'Foxtrot Two Pages' },
    headers: { 'X-Requested-With': 'mtp' },
  });
  expect(made.status()).toBe(201);
  for (const p of pages) {
    await p.goto('/organizations');
    await p.getByLabel('Search organizations by name').fill('Foxtrot');
    await p.getByRole('grid', { name: 'Organizations' }).getByRole('button', { name: 'Foxtrot Two Pages' }).click();
    await expect(p.getByLabel('Organization details').getByRole('heading', { name: 'Foxtrot Two Pages' })).toBeVisible();
  }
  const panelA = a.getByLabel('Organization details');
  await panelA.getByLabel('Name', { exact: true }).fill('Foxtrot Renamed');
  await panelA.getByRole('button', { name: 'Rename' }).click();
  await expect(panelA.getByRole('heading', { name: 'Foxtrot Renamed' })).toBeVisible();

  // Page B still shows the version before A's rename: its edit is refused, then reloaded.
  const panelB = b.getByLabel('Organization details');
  await panelB.getByLabel('New tag').fill('from-b');
  await panelB.getByRole('button', { name: 'Add tag' }).click();
  await expect(panelB.getByTestId('stale')).toContainText('Someone else changed this record');
  await expect(panelB.getByRole('heading', { name: 'Foxtrot Renamed' })).toBeVisible();
  await expect(panelB.getByText('from-b', { exact: true })).toHaveCount(0);
  await checkA11y(b);
  // Made again from the reloaded version, it is saved.
  await panelB.getByLabel('New tag').fill('from-b');
  await panelB.getByRole('button', { name: 'Add tag' }).click();
  await expect(panelB.getByText('from-b', { exact: true })).toBeVisible();
  await expect(panelB.getByTestId('stale')).toHaveCount(0);
  for (const p of pages) await p.context().close();
});
