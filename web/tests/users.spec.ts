// Users: one table across the reached orgs with server-side filters, search, sort and paging;
// a selection kept across pages; bulk actions with a progress bar and one result per user;
// a user's details, edit, activate and delete; Add user. Help desk never sees a row of an org
// it does not reach; read-only sees no action.
import type { Page } from '@playwright/test';
import { checkA11y, expect, pickOrg, shot, signIn, test, type Login, type Mtp } from './fixtures';

// Bulk actions and polling take a while on a shared 2-core machine.
test.slow();

async function signedIn(page: Page, login: Login, path: string) {
  await signIn(page, login);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.goto(path);
}

async function apiUsers(page: Page, mtp: Mtp, filter = '', limit = 100) {
  const q = new URLSearchParams({ limit: String(limit), ...(filter ? { filter } : {}) });
  const r = await page.request.get(`/api/v2/providers/${mtp.provider}/users?${q.toString()}`);
  expect(r.status()).toBe(200);
  return (await r.json()) as { results: { id: string; username: string; organization: string; state: string }[]; totalCount: number };
}

test('admin with billing: filters, search, sort, paging, selection across pages, bulk actions', async ({ page, mtp }, info) => {
  await signIn(page, mtp.logins.admin_billing!);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  const table = page.locator('table[aria-label="Users"]');
  const all = await apiUsers(page, mtp);
  expect(all.totalCount).toBeGreaterThan(20);
  await expect(table.getByRole('row')).toHaveCount(21); // header + a page of 20 of them
  await expect(page.getByRole('button', { name: new RegExp(` of ${all.totalCount}$`) })).toBeVisible();
  await checkA11y(page);
  await shot(page, 'users', info.project.name);

  // Sort by username descending: the first row is the API's last username.
  const sorted = await page.request.get(`/api/v2/providers/${mtp.provider}/users?limit=1&sort=-username`);
  const last = ((await sorted.json()) as { results: { username: string }[] }).results[0]!.username;
  await table.getByRole('button', { name: 'Username' }).click();
  await expect(table.getByRole('row').nth(1)).toContainText(last);

  // Search by username: the rows the server finds, nothing more.
  const probe = all.results[0]!.username;
  await page.getByLabel('Search users by username').fill(probe);
  const found = await apiUsers(page, mtp, `username:search:${probe}`);
  await expect(table.getByRole('row')).toHaveCount(Math.min(20, found.totalCount) + 1);
  await expect(table.getByRole('row').nth(1)).toContainText(probe);
  await page.getByLabel('Search users by username').fill('');

  // Locked filter: only locked users, each with its alert.
  const locked = await apiUsers(page, mtp, 'account_locked:eq:true');
  expect(locked.totalCount).toBeGreaterThan(0);
  await page.getByLabel('Locked', { exact: true }).check();
  await expect(table.getByRole('row')).toHaveCount(locked.totalCount + 1);
  for (const row of await table.getByRole('row').all().then((r) => r.slice(1))) await expect(row).toContainText('Locked');
  await checkA11y(page);
  await shot(page, 'users-locked', info.project.name);

  // Bulk unlock of the whole (filtered) page: a progress bar, then one result per user.
  await table.getByRole('checkbox', { name: 'Select all rows' }).check();
  await page.getByRole('button', { name: `Actions (${locked.totalCount} selected)` }).click();
  await page.getByRole('menuitem', { name: 'Unlock' }).click();
  const results = page.getByTestId('bulk-results');
  await expect(results.getByRole('listitem')).toHaveCount(locked.totalCount);
  await expect(results.getByRole('listitem').filter({ hasText: ': done' })).toHaveCount(locked.totalCount);
  await expect(page.getByText('No user matches.')).toBeVisible();
  expect((await apiUsers(page, mtp, 'account_locked:eq:true')).totalCount).toBe(0);
  await page.getByLabel('Locked', { exact: true }).uncheck();

  // A selection survives paging: one row on page 1, one on page 2, then force a password change.
  await table.getByRole('row').nth(1).getByRole('checkbox').check();
  const firstOfPage1 = await table.getByRole('row').nth(1).innerText();
  await page.getByRole('button', { name: 'Go to next page' }).first().click();
  // Page 1's rows stay on screen until page 2 arrives: wait for them to go.
  await expect.poll(async () => table.getByRole('row').nth(1).innerText()).not.toBe(firstOfPage1);
  await table.getByRole('row').nth(1).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Actions (2 selected)' }).click();
  await page.getByRole('menuitem', { name: 'Force password change' }).click();
  await expect(results.getByRole('listitem')).toHaveCount(2);
  await expect(results.getByRole('listitem').filter({ hasText: /: (done|refused)/ })).toHaveCount(2);

  // The organization filter (a server-side type-ahead), then the state filter: staged users only.
  await page.getByRole('button', { name: 'Go to previous page' }).first().click();
  await pickOrg(page, 'Birch Legal');
  const orgCol = table.locator('td[data-label="Organization"]');
  await expect.poll(async () => (await orgCol.allInnerTexts()).filter((o) => o.trim() !== 'Birch Legal')).toEqual([]);
  await page.getByRole('button', { name: 'Clear Organization' }).click();
  await page.getByLabel('State').selectOption('STAGED');
  const staged = await apiUsers(page, mtp, 'state:eq:STAGED');
  await expect(table.getByRole('row')).toHaveCount(Math.min(20, staged.totalCount) + 1);
  const states = table.locator('td[data-label="State"]');
  await expect.poll(async () => (await states.allInnerTexts()).filter((c) => c.trim() !== 'Staged')).toEqual([]);
});

test('admin with billing: add a user, details, edit (text, never HTML; stale edit), schedule, activate, delete', async ({ page, mtp }, info) => {
  await signedIn(page, mtp.logins.admin_billing!, '/users');
  await page.getByRole('button', { name: 'Add user' }).click();
  const add = page.getByRole('dialog', { name: 'Add user' });
  await add.getByRole('button', { name: 'Add' }).click();
  await expect(add.getByText('Enter a username.')).toBeVisible();
  await pickOrg(page, 'Birch Legal', 'Organization of the new user');
  await add.getByLabel('Username').fill('web2.tester');
  await add.getByLabel('Email').fill('web2.tester@birch.example');
  await checkA11y(page);
  await add.getByRole('button', { name: 'Add' }).click();
  await expect(add).toHaveCount(0);

  const table = page.locator('table[aria-label="Users"]');
  await page.getByLabel('Search users by username').fill('web2.tester');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText('Staged');
  await expect(table.getByRole('row').nth(1)).toContainText('Birch Legal');
  await table.getByRole('button', { name: 'web2.tester', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'User web2.tester' });
  await expect(dialog.getByText('web2.tester@birch.example')).toBeVisible();
  await checkA11y(page);
  await shot(page, 'user-detail', info.project.name);

  await dialog.getByRole('button', { name: 'Edit' }).click();
  await dialog.getByLabel('First name').fill('<b>Bold</b>');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Changes saved')).toBeVisible();
  await expect(dialog.getByText('<b>Bold</b>', { exact: true })).toBeVisible(); // text, never HTML
  await expect(dialog.locator('b', { hasText: 'Bold' })).toHaveCount(0);

  // Someone else edits the user meanwhile: the edit (If-Match) answers 412, the dialog says so
  // and shows the user as it is now.
  const [mine] = (await apiUsers(page, mtp, 'username:search:web2.tester')).results;
  await dialog.getByRole('button', { name: 'Edit' }).click();
  const other = await page.request.put(`/api/systemusers/${mine!.id}`, {
    headers: { 'x-org-id': mine!.organization, 'X-Requested-With': 'mtp' },
    data: { lastname: 'Changed-Elsewhere' },
  });
  expect(other.status()).toBe(200);
  await dialog.getByLabel('First name').fill('Mine');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByTestId('stale')).toContainText('Someone else changed this record');
  await expect(dialog.getByText('<b>Bold</b> Changed-Elsewhere', { exact: true })).toBeVisible();

  // A scheduled activation of the staged user, then cancelled.
  await dialog.getByRole('button', { name: 'Schedule activation' }).click();
  await expect(dialog.getByText(/Activation scheduled for/)).toBeVisible();
  await expect(dialog.getByText('Activation scheduled', { exact: true })).toBeVisible();
  await checkA11y(page);
  await dialog.getByRole('button', { name: 'Cancel the scheduled activation' }).click();
  await expect(dialog.getByText(/Activation scheduled for/)).toHaveCount(0);

  await dialog.getByRole('button', { name: 'Activate' }).click();
  await expect(dialog.getByText('User activated')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Activate' })).toHaveCount(0);
  await expect(table.locator('tbody tr').first().locator('td[data-label="State"]')).toHaveText('Active'); // the list behind the dialog

  // An active user: a suspension in the past is refused in the form, one ahead is scheduled.
  await dialog.getByLabel('Suspend on').fill('2020-01-01T10:00');
  await dialog.getByRole('button', { name: 'Schedule suspension' }).click();
  await expect(dialog.getByText('Choose a date and time in the future.')).toBeVisible();
  await dialog.getByLabel('Suspend on').fill('2099-06-01T10:00');
  await dialog.getByRole('button', { name: 'Schedule suspension' }).click();
  await expect(dialog.getByText(/Suspension scheduled for/)).toBeVisible();
  const after = (await apiUsers(page, mtp, 'username:search:web2.tester')).results[0] as { scheduled_suspension_date?: string };
  expect(after.scheduled_suspension_date?.slice(0, 4)).toBe('2099');

  await dialog.getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete user' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('No user matches.')).toBeVisible();
});

test('help desk: only the users of its two orgs, and only its actions', async ({ page, mtp }, info) => {
  const login = mtp.logins.help_desk!;
  await signedIn(page, login, '/users');
  const table = page.locator('table[aria-label="Users"]');
  const mine = await apiUsers(page, mtp);
  await expect(page.getByRole('button', { name: new RegExp(` of ${mine.totalCount}$`) })).toBeVisible();
  const orgCells = await table.locator('td[data-label="Organization"]').allInnerTexts();
  expect(orgCells.length).toBeGreaterThan(0);
  for (const o of orgCells) expect(['Acme Dental', 'Birch Legal']).toContain(o.trim());
  // The organization type-ahead offers only the orgs it reaches (the server's search).
  await page.getByRole('combobox', { name: 'Organization', exact: true }).click();
  await expect(page.getByRole('option', { name: 'Birch Legal' })).toBeVisible();
  const options = await page.getByRole('listbox', { name: 'Organization choices' }).getByRole('option').allInnerTexts();
  expect(options.map((o) => o.trim()).sort()).toEqual(['Acme Dental', 'All organizations', 'Birch Legal']);
  await page.keyboard.press('Escape');
  await page.getByRole('combobox', { name: 'Organization', exact: true }).fill('Cobalt');
  await expect(page.getByRole('option', { name: 'No organization matches' })).toBeVisible();
  await page.keyboard.press('Escape');
  // Help desk has no users.create nor users.update: no Add user, no Resend activation.
  await expect(page.getByRole('button', { name: 'Add user' })).toHaveCount(0);
  await table.getByRole('row').nth(1).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Actions (1 selected)' }).click();
  await expect(page.getByRole('menuitem', { name: 'Unlock' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Resend activation email' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await checkA11y(page);
  await shot(page, 'users-help-desk', info.project.name);
});

test('read-only admin: the users without any action', async ({ page, mtp }) => {
  await signedIn(page, mtp.logins.read_only!, '/users');
  const table = page.locator('table[aria-label="Users"]');
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  await expect(page.getByRole('button', { name: /^Actions/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add user' })).toHaveCount(0);
  await expect(table.getByRole('checkbox')).toHaveCount(0);
  await table.getByRole('row').nth(1).getByRole('button').first().click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('Organization', { exact: true })).toBeVisible();
  for (const name of ['Edit', 'Activate', 'Delete']) await expect(dialog.getByRole('button', { name })).toHaveCount(0);
  await checkA11y(page);
});
