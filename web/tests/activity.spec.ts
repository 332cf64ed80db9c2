// Activity: events newest first, filters applied with Apply, an event's changes readable,
// paging by search_after, Download CSV/JSON of exactly the filtered set.
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { checkA11y, expect, pickOrg, shot, signIn, test, type Login } from './fixtures';

// Bulk actions and polling take a while on a shared 2-core machine.
test.slow();

async function signedIn(page: Page, login: Login, path: string) {
  await signIn(page, login);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.goto(path);
}

test('admin with billing: filter, details, paging and downloads', async ({ page, mtp }, info) => {
  await signedIn(page, mtp.logins.admin_billing!, '/activity');
  const table = page.locator('table[aria-label="Activity"]');
  await expect(table.locator('td[data-label="Event type"]').first()).toBeVisible();
  const times = await table.locator('td[data-label="Time (UTC)"]').allInnerTexts();
  expect([...times].sort().reverse()).toEqual(times); // newest first
  await checkA11y(page);
  await shot(page, 'activity', info.project.name);

  await page.getByLabel('Event type').selectOption('admin_login_attempt');
  // Wait for the filtered answer itself: the newest event before filtering may already be a
  // login, so the first row alone does not show that the filter was applied.
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/activity?') && r.url().includes('event_type=admin_login_attempt')),
    page.getByRole('button', { name: 'Apply' }).click(),
  ]);
  const types = table.locator('td[data-label="Event type"]');
  await expect(types.first()).toHaveText('admin_login_attempt');
  await expect
    .poll(async () => (await types.allInnerTexts()).filter((t) => t.trim() !== 'admin_login_attempt'))
    .toEqual([]);
  await table.getByRole('button', { name: 'Details' }).first().click();
  await expect(page.getByLabel('Event details').first()).toContainText('Client IP');
  await checkA11y(page);
  await shot(page, 'activity-details', info.project.name);

  const api = (await (await page.request.get(`/api/v2/providers/${mtp.provider}/activity?event_type=admin_login_attempt&limit=1000`)).json()) as { results: unknown[] };
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  const lines = readFileSync((await csv.path())!, 'utf8').trim().split(/\r?\n/);
  expect(lines.length - 1).toBe(api.results.length);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
  const body = JSON.parse(readFileSync((await json.path())!, 'utf8')) as { results?: unknown[] } | unknown[];
  expect(Array.isArray(body) ? body.length : body.results?.length).toBe(api.results.length);
});

test('the organization filter is a server-side type-ahead', async ({ page, mtp }) => {
  await signedIn(page, mtp.logins.admin_billing!, '/activity');
  const table = page.locator('table[aria-label="Activity"]');
  await expect(table.locator('td[data-label="Event type"]').first()).toBeVisible();
  await page.getByLabel('Time range').selectOption('all');
  await pickOrg(page, 'Acme Dental');
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/activity?') && r.url().includes('organization=')),
    page.getByRole('button', { name: 'Apply' }).click(),
  ]);
  const orgs = table.locator('td[data-label="Organization"]');
  await expect(orgs.first()).toHaveText('Acme Dental');
  await expect.poll(async () => (await orgs.allInnerTexts()).filter((o) => o.trim() !== 'Acme Dental')).toEqual([]);
  await checkA11y(page);
});

test('the initiated-by filter is a server-side type-ahead of administrators', async ({ page, mtp }) => {
  await signedIn(page, mtp.logins.admin_billing!, '/activity');
  const table = page.locator('table[aria-label="Activity"]');
  await expect(table.locator('td[data-label="Event type"]').first()).toBeVisible();
  await page.getByLabel('Time range').selectOption('all');
  await pickOrg(page, 'admin_billing@demo.example', 'Initiated by');
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/activity?') && r.url().includes('initiated_by=')),
    page.getByRole('button', { name: 'Apply' }).click(),
  ]);
  const who = table.locator('td[data-label="Initiated by"]');
  await expect(who.first()).toHaveText('admin_billing@demo.example');
  await expect.poll(async () => (await who.allInnerTexts()).filter((w) => w.trim() !== 'admin_billing@demo.example')).toEqual([]);
  await checkA11y(page);
});

test('paging by search_after: older then newer', async ({ page, mtp, request }) => {
  for (let i = 0; i < 26; i++) await request.post('/api/v2/auth/login', { data: { email: 'nobody@demo.example', password: 'wrong-password' } });
  await signedIn(page, mtp.logins.admin_billing!, '/activity');
  const table = page.locator('table[aria-label="Activity"]');
  await expect(table.locator('tbody')).toHaveCount(25);
  const first = await table.locator('td[data-label="Time (UTC)"]').first().innerText();
  await page.getByRole('button', { name: 'Older' }).click();
  await expect(page.getByText('Page 2')).toBeVisible();
  const older = await table.locator('td[data-label="Time (UTC)"]').first().innerText();
  expect(older <= first).toBe(true);
  await page.getByRole('button', { name: 'Newer' }).click();
  await expect(page.getByText('Page 1')).toBeVisible();
});

test('read-only admin: reads and downloads, changes nothing', async ({ page, mtp }) => {
  await signedIn(page, mtp.logins.read_only!, '/activity');
  await expect(page.locator('table[aria-label="Activity"] td[data-label="Event type"]').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Download CSV' })).toBeVisible();
  await checkA11y(page);
});
