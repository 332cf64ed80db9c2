// Saved commands (per org): a command runner picks the org through the type-ahead, creates a
// command, runs it on the org's device of its OS family and sees the result pending; the
// read-only admin reads the commands without any button that changes or runs.
import { checkA11y, expect, shot, signIn, test } from './fixtures';

test.slow();

test('command runner: create a saved command and run it on a device', async ({ page, mtp }, info) => {
  await signIn(page, mtp.logins.command_runner!);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
  await page.getByRole('link', { name: 'Saved commands' }).click();
  await expect(page.getByRole('heading', { name: 'Saved commands', level: 1 })).toBeVisible();
  await expect(page.getByText('Choose an organization')).toBeVisible();
  await page.getByRole('combobox', { name: 'Organization of the commands' }).fill('Acme');
  await page.getByRole('option', { name: 'Acme Dental' }).click();
  const table = page.getByRole('grid', { name: 'Saved commands of Acme Dental' });
  await expect(table).toContainText('No saved command in this organization yet.');
  await checkA11y(page);

  await page.getByRole('button', { name: 'New command' }).click();
  const dialog = page.getByRole('dialog', { name: 'New command in Acme Dental' });
  await dialog.getByRole('button', { name: 'Save command' }).click();
  await expect(dialog.getByText('Enter a name.')).toBeVisible();
  await dialog.getByLabel('Name').fill('Disk usage <b>now</b>');
  await dialog.getByLabel('Target OS').selectOption('linux');
  await dialog.getByLabel('Shell').selectOption('bash');
  await dialog.getByLabel('Script').fill('df -h /');
  await checkA11y(page);
  await dialog.getByRole('button', { name: 'Save command' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(table.getByRole('button', { name: 'Disk usage <b>now</b>', exact: true })).toBeVisible(); // text, never HTML

  const detail = page.getByRole('region', { name: 'Command Disk usage <b>now</b>' });
  await expect(detail.getByLabel('Script')).toHaveText('df -h /');
  await expect(detail.getByText('Not run yet.')).toBeVisible();
  const linux = detail.getByRole('checkbox', { name: /Ubuntu/ });
  await expect(linux).toHaveCount(1);
  await expect(detail.getByRole('checkbox', { name: /Windows|macOS/ })).toHaveCount(0); // other OS families
  // The org's devices are found by the server: a host name search narrows them.
  const find = detail.getByRole('textbox', { name: 'Find devices by host name' });
  await find.fill('no-such-host');
  await expect(detail.getByText('No linux device of this organization matches “no-such-host”.')).toBeVisible();
  await expect(linux).toHaveCount(0);
  await find.fill('lnx');
  await expect(linux).toHaveCount(1);
  await linux.check();
  await detail.getByRole('button', { name: 'Run on 1 device' }).click();
  const results = detail.getByRole('grid', { name: 'Results of Disk usage <b>now</b>' });
  await expect(results.getByRole('row')).toHaveCount(2);
  await expect(results.getByRole('row').nth(1)).toContainText(/pending|sent|done/);
  await checkA11y(page);
  await shot(page, 'saved-commands', info.project.name);

  await table.getByRole('button', { name: 'Delete Disk usage <b>now</b>' }).click();
  await expect(table).toContainText('No saved command in this organization yet.');
});

test('read-only admin: saved commands without create, run or delete', async ({ page, mtp }) => {
  // A command of Birch Legal made through the API by the command runner first.
  const runner = await page.context().browser()!.newContext({ baseURL: mtp.url });
  const rp = await runner.newPage();
  await signIn(rp, mtp.logins.command_runner!);
  const orgs = await (await rp.request.get(`/api/v2/providers/${mtp.provider}/organizations?limit=100`)).json();
  const birch = orgs.results.find((o: { name: string }) => o.name === 'Birch Legal');
  const made = await rp.request.post('/api/commands', {
    headers: { 'x-org-id': birch.id, 'X-Requested-With': 'mtp' },
    data: { name: 'List users', targetOS: 'windows', shell: 'powershell', script: 'Get-LocalUser' },
  });
  expect(made.status()).toBe(201);
  await runner.close();

  await signIn(page, mtp.logins.read_only!);
  await page.goto('/commands');
  await page.getByRole('combobox', { name: 'Organization of the commands' }).fill('Birch');
  await page.getByRole('option', { name: 'Birch Legal' }).click();
  const table = page.getByRole('grid', { name: 'Saved commands of Birch Legal' });
  await table.getByRole('button', { name: 'List users' }).click();
  await expect(page.getByLabel('Script')).toHaveText('Get-LocalUser');
  for (const name of [/New command/, /Delete/, /Run on/]) await expect(page.getByRole('button', { name })).toHaveCount(0);
  await checkA11y(page);
});
