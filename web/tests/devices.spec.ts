// Devices: the table across the reached orgs with server-side filters; "Add a device" shows the
// org's connect key and the exact agent line; a lock queued from the table shows pending, then
// sent and done as a real agent (the agent protocol over HTTP) takes and finishes it, without a
// reload. Help desk sees only its orgs; read-only sees no action.
import type { Page } from '@playwright/test';
import { checkA11y, expect, pickOrg, shot, signIn, test, type Login } from './fixtures';

// Bulk actions and polling take a while on a shared 2-core machine.
test.slow();

async function signedIn(page: Page, login: Login, path: string) {
  await signIn(page, login);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.goto(path);
}

test('admin with billing: filters, add a device, a lock from pending to done', async ({ page, mtp, request }, info) => {
  await signedIn(page, mtp.logins.admin_billing!, '/devices');
  const table = page.locator('table[aria-label="Devices"]');
  const total = ((await (await page.request.get(`/api/v2/providers/${mtp.provider}/devices?limit=1`)).json()) as { totalCount: number }).totalCount;
  await expect(page.getByRole('button', { name: new RegExp(` of ${total}$`) })).toBeVisible();
  await checkA11y(page);
  await shot(page, 'devices', info.project.name);

  await pickOrg(page, 'Acme Dental');
  await expect(table.locator('td[data-label="Organization"]').first()).toHaveText('Acme Dental');
  // The first row may already be Acme Dental before the filter: wait until every row is.
  const orgs = table.locator('td[data-label="Organization"]');
  await expect.poll(async () => (await orgs.allInnerTexts()).filter((o) => o.trim() !== 'Acme Dental')).toEqual([]);

  await page.getByRole('button', { name: 'Add a device' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a device' });
  await pickOrg(page, 'Acme Dental', 'Organization of the device');
  const line = dialog.getByTestId('agent-command').locator('input');
  await expect(line).toHaveValue(new RegExp(`^mtpctl agent --server ${mtp.url.replace(/\./g, '\\.')} --connect-key ck_[0-9a-f]+$`));
  const connectKey = (await line.inputValue()).split(' ').pop()!;
  await checkA11y(page);
  await shot(page, 'devices-add', info.project.name);
  await dialog.getByRole('button', { name: 'Close' }).last().click();

  // A real agent enrolls with that key.
  const reg = await request.post('/api/agent/v1/register', {
    data: { connectKey, hostname: 'web2-agent', os: 'Ubuntu', osFamily: 'linux', version: '24.04', displayName: 'web2-agent' },
  });
  expect(reg.status(), await reg.text()).toBe(201);
  const { deviceKey } = (await reg.json()) as { deviceKey: string };
  await page.reload();
  await pickOrg(page, 'Acme Dental');
  const row = table.getByRole('row', { name: /web2-agent/ });
  await row.getByRole('button', { name: 'Actions for web2-agent' }).click();
  await page.getByRole('menuitem', { name: 'Lock' }).click();
  await expect(page.getByTestId('command-web2-agent')).toHaveText('lock: pending');
  await expect(page.getByTestId('bulk-results')).toContainText('web2-agent: done');

  const checkin = await request.post('/api/agent/v1/checkin', { headers: { 'x-device-key': deviceKey }, data: { uptimeSeconds: 3600 } });
  const cmd = ((await checkin.json()) as { commands: { id: string; type: string }[] }).commands.find((c) => c.type === 'lock')!;
  await expect(page.getByTestId('command-web2-agent')).toHaveText('lock: sent');
  const res = await request.post(`/api/agent/v1/commands/${cmd.id}/result`, { headers: { 'x-device-key': deviceKey }, data: { status: 'done', output: 'locked' } });
  expect(res.status(), await res.text()).toBe(200);
  await expect(page.getByTestId('command-web2-agent')).toHaveText('lock: done');
  await shot(page, 'devices-command', info.project.name);

  // In bulk: every selected device gets its own result.
  await table.getByRole('checkbox', { name: 'Select all rows' }).check();
  const n = await table.locator('tbody tr').count();
  await page.getByRole('button', { name: `Actions (${n} selected)` }).click();
  await page.getByRole('menuitem', { name: 'Restart' }).click();
  await expect(page.getByTestId('bulk-results').getByRole('listitem')).toHaveCount(n);
});

test('help desk: only the devices of its two orgs', async ({ page, mtp }) => {
  await signedIn(page, mtp.logins.help_desk!, '/devices');
  const table = page.locator('table[aria-label="Devices"]');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  for (const o of await table.locator('td[data-label="Organization"]').allInnerTexts()) expect(['Acme Dental', 'Birch Legal']).toContain(o.trim());
  await expect(page.getByRole('button', { name: 'Add a device' })).toHaveCount(0);
  await expect(table.getByRole('button', { name: /^Shut down/ })).toHaveCount(0);
  await checkA11y(page);
});

test('read-only admin: the devices without any action', async ({ page, mtp }) => {
  await signedIn(page, mtp.logins.read_only!, '/devices');
  const table = page.locator('table[aria-label="Devices"]');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(page.getByRole('button', { name: /^Actions/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add a device' })).toHaveCount(0);
  await expect(table.getByRole('button')).toHaveCount(6); // the sortable column headers only
  await checkA11y(page);
});
