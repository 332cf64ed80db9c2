// Time to interactive of Home on the demo data (a figure for the notes, not a pass/fail
// threshold): from navigation start until every widget count is on screen and the Manage
// Home button is enabled, measured in the browser, cold (no HTTP cache) and warm.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, shotsDir, signIn, test } from './fixtures';

test('time to interactive of Home (admin with billing, demo data)', async ({ page, mtp }, info) => {
  await signIn(page, mtp.logins.admin_billing!);
  await expect(page.getByTestId('widget-user_lockouts')).toBeVisible();
  const figures: Record<string, number> = {};
  for (const run of ['cold', 'warm']) {
    if (run === 'cold') {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.clearBrowserCache');
    }
    await page.goto('/');
    await expect(page.getByTestId('widget-count').first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Manage Home' })).toBeEnabled();
    figures[run] = await page.evaluate(() => Math.round(performance.now()));
  }
  mkdirSync(shotsDir, { recursive: true });
  writeFileSync(path.join(shotsDir, `${info.project.name}-home-tti.json`), JSON.stringify(figures));
  console.log(`Home time to interactive (${info.project.name}): cold ${figures.cold} ms, warm ${figures.warm} ms`);
  expect(figures.cold).toBeGreaterThan(0);
});
