// The web timing (bench, not a test): Debian's Chromium against an mtpd that run_filter_timing.sh
// started on `mtpctl seed` data (MTP_BENCH_URL, MTP_BENCH_EMAIL, MTP_BENCH_PASSWORD).
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.ts',
  outputDir: './.artifacts',
  workers: 1,
  retries: 0,
  timeout: 300_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env.MTP_BENCH_URL,
    launchOptions: { executablePath: process.env.MTP_CHROMIUM ?? '/usr/bin/chromium' },
    headless: true,
    viewport: { width: 1280, height: 860 },
  },
});
