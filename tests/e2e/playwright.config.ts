/**
 * End-to-end tests: the built app served by `vite preview`, driven in the system's Chromium
 * (CHROMIUM_PATH, default /usr/bin/chromium; Playwright's own browser downloads are never used).
 * `npm test` (tests/run-all.mjs) sets E2E_JSON_REPORT to count the results.
 */
import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../support/chromium';
import { singleFileDir, siteDir } from './site';

const project = resolve(import.meta.dirname, '../..');
const port = Number(process.env.E2E_PORT ?? 4183);
const baseURL = `http://127.0.0.1:${port}/`;

export default defineConfig({
  testDir: import.meta.dirname,
  testMatch: '*.spec.ts',
  outputDir: resolve(project, 'test-results/e2e'),
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.E2E_JSON_REPORT ?? resolve(project, 'test-results/e2e-report.json') }],
  ],
  use: {
    baseURL,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    // The site's service worker (offline use) would serve requests some tests intercept with
    // page.route; only the offline test lets it run (static-site.spec.ts).
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: chromiumPath,
      args: [...chromiumArgs],
    },
  },
  webServer: {
    // Both builds `npm run build` makes: the site, served here, and the single file opened from disk.
    command: [
      `npx vite build --outDir ${siteDir} --emptyOutDir`,
      `npx vite build --mode single --outDir ${singleFileDir} --emptyOutDir`,
      `npx vite preview --outDir ${siteDir} --host 127.0.0.1 --port ${port} --strictPort`,
    ].join(' && '),
    cwd: project,
    url: baseURL,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
