/**
 * The first page, as a person sees it: the broker starts in a Web Worker and the page lists the
 * default vhost's exchanges, which only the worker's broker could have produced.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

const screenshots = resolve(import.meta.dirname, '../../test-results/screenshots');

/** Every console error and uncaught page error, to assert there are none. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

const DEFAULT_EXCHANGES: ReadonlyArray<{ name: string; type: string; durable: boolean; internal: boolean }> = [
  { name: '(AMQP default)', type: 'direct', durable: true, internal: false },
  { name: 'amq.direct', type: 'direct', durable: true, internal: false },
  { name: 'amq.fanout', type: 'fanout', durable: true, internal: false },
  { name: 'amq.headers', type: 'headers', durable: true, internal: false },
  { name: 'amq.match', type: 'headers', durable: true, internal: false },
  { name: 'amq.rabbitmq.log', type: 'topic', durable: true, internal: true },
  { name: 'amq.rabbitmq.trace', type: 'topic', durable: true, internal: true },
  { name: 'amq.topic', type: 'topic', durable: true, internal: false },
];

test('lists the default exchanges that the broker worker reports', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('./');

  await expect(page).toHaveTitle('Routing Playground');
  await expect(page.getByRole('heading', { level: 1, name: 'Routing Playground' })).toBeVisible();

  const status = page.getByRole('status');
  await expect(status).toContainText('Broker running in a Web Worker');

  const panel = page.getByRole('region', { name: 'Exchanges', exact: true });
  await expect(panel).toBeVisible();
  const rows = panel.getByRole('table').getByRole('row');
  // One header row, then one row per exchange, in the management UI's order.
  await expect(rows).toHaveCount(1 + DEFAULT_EXCHANGES.length);

  for (const [index, expected] of DEFAULT_EXCHANGES.entries()) {
    const cells = rows.nth(index + 1).getByRole('cell');
    await expect(cells.nth(0)).toHaveText(expected.name);
    await expect(cells.nth(1)).toHaveText(expected.type);
    const features = cells.nth(2);
    await (expected.durable ? expect(features).toContainText('durable') : expect(features).not.toContainText('durable'));
    await (expected.internal
      ? expect(features).toContainText('internal')
      : expect(features).not.toContainText('internal'));
  }

  await expect(status).toContainText('8 exchanges');
  expect(errors).toEqual([]);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`looks right in the ${colorScheme} color scheme`, async ({ page }) => {
    const errors = collectErrors(page);
    await page.emulateMedia({ colorScheme });
    await page.goto('./');
    await expect(page.getByRole('region', { name: 'Exchanges' }).getByRole('row')).toHaveCount(9);

    // The theme follows the scheme: the page background differs between the two.
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe(colorScheme === 'dark' ? 'rgb(13, 18, 24)' : 'rgb(243, 245, 249)');

    // Readable at 1280x800: nothing scrolls sideways and the whole list fits without scrolling.
    const overflow = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      y: document.documentElement.scrollHeight - document.documentElement.clientHeight,
    }));
    expect(overflow).toEqual({ x: 0, y: 0 });
    await expect(page.getByRole('cell', { name: 'amq.topic' })).toBeInViewport();

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
  await expect(page.getByRole('region', { name: 'Exchanges' })).toContainText('the broker is not running');
});
