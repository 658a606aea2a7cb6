/**
 * The first page, as a person sees it: the broker starts in a Web Worker, the example diagram is
 * synced to it, and the queues on the canvas show counts that only the worker's broker could
 * have reported.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { collectErrors, screenshots } from './support';

test('starts the broker worker and shows the example topology', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('./');

  await expect(page).toHaveTitle('Routing Playground');
  await expect(page.getByRole('heading', { level: 1, name: 'Routing Playground' })).toBeVisible();

  const status = page.getByRole('status');
  await expect(status).toContainText('Broker running in a Web Worker');

  const canvas = page.getByRole('main', { name: 'Topology' });
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(6);
  for (const name of ['emit_log_topic', 'topic_logs', 'orange', 'lazy', 'worker-orange', 'worker-lazy']) {
    await expect(canvas.locator('.svelte-flow__node', { hasText: name }).first()).toBeVisible();
  }
  // Five links: producer → exchange, two bindings (labelled with their keys), two consumers.
  await expect(canvas.locator('.svelte-flow__edge')).toHaveCount(5);
  await expect(canvas.getByText('*.orange.*', { exact: true })).toBeVisible();
  await expect(canvas.getByText('lazy.#', { exact: true })).toBeVisible();

  // The worker synced the diagram: each consumer is subscribed, as its queue's node says.
  const orange = canvas.locator('.svelte-flow__node-queue', { hasText: 'orange' });
  await expect(orange.getByTestId('ready')).toHaveText('0');
  await expect(canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-orange' })).toContainText('running');
  expect(errors).toEqual([]);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`looks right in the ${colorScheme} color scheme`, async ({ page }) => {
    const errors = collectErrors(page);
    await page.emulateMedia({ colorScheme });
    await page.goto('./');
    await expect(page.getByRole('status')).toContainText('Broker running in a Web Worker');
    await expect(page.locator('.svelte-flow__node')).toHaveCount(6);

    // The theme follows the scheme: the page background differs between the two.
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe(colorScheme === 'dark' ? 'rgb(13, 18, 24)' : 'rgb(243, 245, 249)');

    // Readable at 1280x800: nothing scrolls, and the whole example is in view.
    const overflow = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      y: document.documentElement.scrollHeight - document.documentElement.clientHeight,
    }));
    expect(overflow).toEqual({ x: 0, y: 0 });
    for (const node of await page.locator('.svelte-flow__node').all()) await expect(node).toBeInViewport();

    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: resolve(screenshots, `boot-${colorScheme}.png`) });
    expect(errors).toEqual([]);
  });
}

test('says so when the broker worker cannot start', async ({ page }) => {
  // The worker's script fails to load: the page must not wait forever nor pretend it runs.
  await page.route(/\/assets\/entry-[^/]*\.js(\?.*)?$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto('./');

  const alert = page.getByRole('alert');
  await expect(alert).toContainText('broker worker');
  await expect(page.getByRole('status')).toHaveCount(0);
});
