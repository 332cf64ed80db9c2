// The UI suite: Debian's Chromium (never `playwright install`) against a real mtpd --demo
// that each worker starts on a free loopback port with a fresh database (tests/fixtures.ts):
// project `sqlite` always, project `postgresql` when MTP_TEST_PG names a server (scripts/
// test.sh starts one). MTP_MTPD overrides the binary (default ../build/service/main/mtpd).
import { defineConfig } from '@playwright/test';

const projects: { name: string; use: { backend: string } }[] = [{ name: 'sqlite', use: { backend: 'sqlite' } }];
if (process.env.MTP_TEST_PG) projects.push({ name: 'postgresql', use: { backend: 'postgresql' } });

export default defineConfig<object, { backend: string }>({
  testDir: './tests',
  outputDir: './tests/.artifacts/results',
  fullyParallel: false,
  workers: Number(process.env.MTP_WEB_WORKERS ?? 1),
  retries: 0,
  timeout: 180_000, // generous: the suite shares 2 cores with builds
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    launchOptions: { executablePath: process.env.MTP_CHROMIUM ?? '/usr/bin/chromium' },
    headless: true,
    viewport: { width: 1280, height: 860 },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects,
});
