// A filter change on Users and on Devices, timed in the browser from the change to its first
// page on screen (every row of the table matching the new filter). Prints one JSON line per
// filter with each run's milliseconds; no pass/fail threshold (bench/README.md holds figures).
import { expect, test, type Locator, type Page } from '@playwright/test';

const RUNS = Number(process.env.RUNS ?? 5);
const figures: Record<string, number[]> = {};

async function timed(name: string, page: Page, change: () => Promise<void>, shown: () => Promise<void>) {
  const t0 = await page.evaluate(() => performance.now());
  await change();
  await shown();
  const t1 = await page.evaluate(() => performance.now());
  (figures[name] ??= []).push(Math.round(t1 - t0));
}

async function allCells(table: Locator, label: string, ok: (text: string) => boolean) {
  await expect(async () => {
    const cells = await table.locator(`td[data-label="${label}"]`).allInnerTexts();
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c) => ok(c.trim()))).toBe(true);
  }).toPass({ intervals: [5] });
}

// The organization filter is a server-side type-ahead: the admin types the name (not timed: the
// search answers while they type), then the timed change is the click on the org's option.
async function orgNames(page: Page, n: number): Promise<string[]> {
  const me = (await (await page.request.get('/api/v2/me')).json()) as { provider: string };
  const r = await page.request.get(`/api/v2/providers/${me.provider}/organizations?limit=${n}&sort=name`);
  return ((await r.json()) as { results: { name: string }[] }).results.map((o) => o.name);
}

async function typeOrg(page: Page, name: string) {
  await page.getByRole('combobox', { name: 'Organization', exact: true }).fill(name);
  await expect(page.getByRole('option', { name, exact: true })).toBeVisible();
}

const clearOrg = (page: Page) => page.getByRole('button', { name: 'Clear Organization' }).click();

test('filter change → first page (Users, Devices)', async ({ page }) => {
  await page.goto('/signin?next=/users');
  await page.getByLabel('Email').fill(process.env.MTP_BENCH_EMAIL ?? '');
  await page.getByLabel('Password').fill(process.env.MTP_BENCH_PASSWORD ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/users');
  const users = page.locator('table[aria-label="Users"]');
  await expect(users.locator('tbody tr').first()).toBeVisible();
  const names = await orgNames(page, 2 + RUNS);
  for (let i = 0; i < RUNS; i++) {
    const state = i % 2 ? 'STAGED' : 'SUSPENDED';
    const shownAs = state === 'STAGED' ? 'Staged' : 'Suspended';
    await timed('users: state', page, () => page.getByLabel('State').selectOption(state), () => allCells(users, 'State', (t) => t === shownAs));
    await page.getByLabel('State').selectOption('');
    const name = names[2 + i]!;
    await typeOrg(page, name);
    await timed('users: organization', page, () => page.getByRole('option', { name, exact: true }).click(), () => allCells(users, 'Organization', (t) => t === name));
    await clearOrg(page);
    await timed('users: locked', page, () => page.getByLabel('Locked', { exact: true }).check(), () => allCells(users, 'Alerts', (t) => t.includes('Locked')));
    await page.getByLabel('Locked', { exact: true }).uncheck();
    await expect(users.locator('tbody tr')).toHaveCount(20);
  }

  await page.goto('/devices');
  const devices = page.locator('table[aria-label="Devices"]');
  await expect(devices.locator('tbody tr').first()).toBeVisible();
  for (let i = 0; i < RUNS; i++) {
    const active = i % 2 ? 'true' : 'false';
    await timed('devices: status', page, () => page.getByLabel('Status').selectOption(active), () => allCells(devices, 'Status', (t) => t.startsWith(active === 'true' ? 'Active' : 'Inactive')));
    await page.getByLabel('Status').selectOption('');
    const name = names[2 + i]!;
    await typeOrg(page, name);
    await timed('devices: organization', page, () => page.getByRole('option', { name, exact: true }).click(), () => allCells(devices, 'Organization', (t) => t === name));
    await clearOrg(page);
    await expect(devices.locator('tbody tr')).toHaveCount(20);
  }
  for (const [name, ms] of Object.entries(figures)) {
    const s = [...ms].sort((a, b) => a - b);
    console.log(JSON.stringify({ filter: name, runs_ms: ms, median_ms: s[Math.floor(s.length / 2)], max_ms: s[s.length - 1] }));
  }
});
