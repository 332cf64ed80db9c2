// Layout at the suite's 1280 px viewport: every list page fits the page width (no horizontal
// scroll), no column header is cut short, no header cell stands empty (the organizations' logo
// sits in the name cell), and the masthead shows the initials once (in the avatar only).
import type { Page } from '@playwright/test';
import { expect, shot, signIn, test } from './fixtures';

async function fits(page: Page, table: string) {
  await expect(page.locator(`table[aria-label="${table}"] tbody tr`).first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'page overflow in px').toBeLessThanOrEqual(0);
  const past = await page.locator(`table[aria-label="${table}"]`).evaluate((t) => {
    const box = t.closest('section')?.getBoundingClientRect();
    return box ? Math.round(t.getBoundingClientRect().right - box.right) : 0;
  });
  expect(past, 'table wider than its page section, in px').toBeLessThanOrEqual(0);
  const cut = await page.locator(`table[aria-label="${table}"] thead th`).evaluateAll((ths) =>
    ths.filter((th) => [...th.querySelectorAll<HTMLElement>('*')].some((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow === 'hidden')).map((th) => th.textContent),
  );
  expect(cut, 'truncated column headers').toEqual([]);
  const empty = await page.locator(`table[aria-label="${table}"] thead th`).evaluateAll((ths) =>
    ths.filter((th) => !th.textContent?.trim() && !th.querySelector('input') && !th.classList.contains('pf-v6-c-table__action')).length,
  );
  expect(empty, 'header cells with neither a title nor a checkbox').toBe(0);
}

test('list pages fit 1280 px; headers whole; initials once', async ({ page, mtp }, info) => {
  await signIn(page, mtp.logins.admin_billing!);
  await expect(page.getByRole('button', { name: 'Your account menu' })).toHaveText('');
  for (const [path, table] of [
    ['/users', 'Users'],
    ['/devices', 'Devices'],
    ['/organizations', 'Organizations'],
  ] as const) {
    await page.goto(path);
    await fits(page, table);
    await shot(page, table.toLowerCase(), info.project.name);
  }
});
