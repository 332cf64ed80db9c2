// Reports: request (kind, format, one org through the type-ahead or all reached, an activity
// period), watch it being built by the report job, download it when ready. Help desk's
// "all my organizations" covers its two orgs only.
import { readFileSync } from 'node:fs';
import { checkA11y, expect, shot, signIn, test } from './fixtures';

test.slow();

test('admin with billing: request a users CSV of one org and an activity JSON, then download them', async ({ page, mtp }, info) => {
  await signIn(page, mtp.logins.admin_billing!);
  await page.goto('/activity');
  await page.getByRole('link', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  const table = page.getByRole('grid', { name: 'Reports' });
  const form = page.getByRole('region', { name: 'Request a report' });

  await form.getByRole('combobox', { name: 'Organization of the report' }).fill('Acme');
  await page.getByRole('option', { name: 'Acme Dental' }).click();
  await form.getByRole('button', { name: 'Request report' }).click();
  const row = table.getByRole('row', { name: /Users \(CSV\).*Acme Dental/ }).first();
  await expect(row).toBeVisible();
  await expect(row.getByText('Ready')).toBeVisible({ timeout: 30_000 });
  await checkA11y(page);
  await shot(page, 'reports', info.project.name);
  const [csv] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /Download/ }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^users-report-.*\.csv$/);
  const text = readFileSync((await csv.path())!, 'utf8');
  expect(text.split('\n')[0]).toContain('username');

  await form.getByLabel('Report', { exact: true }).selectOption('activity');
  await form.getByLabel('Format').selectOption('json');
  await form.getByRole('button', { name: 'Clear Organization of the report' }).click();
  await form.getByLabel('From', { exact: true }).fill('2030-01-02T00:00');
  await form.getByLabel('To', { exact: true }).fill('2030-01-01T00:00');
  await form.getByRole('button', { name: 'Request report' }).click();
  await expect(form.getByText('Choose a period whose start is before its end.')).toBeVisible();
  await form.getByLabel('From', { exact: true }).fill('2020-01-01T00:00');
  await form.getByLabel('To', { exact: true }).fill('2099-01-01T00:00');
  await form.getByRole('button', { name: 'Request report' }).click();
  const act = table.getByRole('row', { name: /Activity \(JSON\)/ }).first();
  await expect(act.getByText('Ready')).toBeVisible({ timeout: 30_000 });
  const [json] = await Promise.all([page.waitForEvent('download'), act.getByRole('button', { name: /Download/ }).click()]);
  expect(json.suggestedFilename()).toMatch(/\.json$/);
  const body = readFileSync((await json.path())!, 'utf8');
  expect(() => JSON.parse(body)).not.toThrow();
});

test('help desk: a report of all its organizations covers its two', async ({ page, mtp }) => {
  await signIn(page, mtp.logins.help_desk!);
  await page.goto('/reports');
  const form = page.getByRole('region', { name: 'Request a report' });
  await form.getByRole('button', { name: 'Request report' }).click();
  const row = page.getByRole('grid', { name: 'Reports' }).getByRole('row', { name: /Users \(CSV\)/ }).first();
  await expect(row).toContainText('2 organizations');
  await expect(row.getByText('Ready')).toBeVisible({ timeout: 30_000 });
  await checkA11y(page);
});
