/**
 * Message animation: dots travel the example's edges when it publishes, an unroutable message
 * shows a mark at the exchange with its reason, and reduced motion draws no traveling dots.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, openExample, screenshots } from './support';


test('publishing sends dots along the edges, then they are gone', async ({ page }) => {
  const errors = collectErrors(page);
  const canvas = await openExample(page);
  const dots = canvas.getByTestId('message-dot');
  await canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' }).click();
  await expect(dots.first()).toBeVisible();
  mkdirSync(screenshots, { recursive: true });
  await page.waitForTimeout(250);
  await page.screenshot({ path: resolve(screenshots, 'animation-mid-flight.png') });
  // The delivery to worker-orange follows the publish hops.
  await page.waitForTimeout(700);
  await page.screenshot({ path: resolve(screenshots, 'animation-mid-flight-2.png') });
  await expect(dots).toHaveCount(0, { timeout: 5_000 });
  expect(errors).toEqual([]);
});

test('an unroutable message shows a mark at the exchange with its reason', async ({ page }) => {
  const errors = collectErrors(page);
  const canvas = await openExample(page);
  await canvas.locator('.svelte-flow__node-producer').click();
  const inspector = page.getByRole('region', { name: 'Inspector' });
  const routingKey = inspector.getByLabel('Routing key');
  await routingKey.fill('quick.brown.rabbit');
  await routingKey.press('Enter');
  const mark = canvas.getByTestId('message-mark').filter({ hasText: 'unroutable' }).locator('.pill');
  await expect(mark).toBeVisible();
  await expect(mark).toContainText('quick.brown.rabbit');
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: resolve(screenshots, 'animation-unroutable.png') });
  // The mark belongs to the exchange node (its position animates, so the node is checked, not pixels).
  const exchangeId = await canvas.locator('.svelte-flow__node-exchange').getAttribute('data-id');
  await expect(canvas.getByTestId('message-mark').filter({ hasText: 'unroutable' })).toHaveAttribute('data-node', exchangeId!);
  await expect(mark).toHaveCount(0, { timeout: 5_000 });
  expect(errors).toEqual([]);
});

test('with reduced motion no dots travel: the destinations flash', async ({ page }) => {
  const errors = collectErrors(page);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const canvas = await openExample(page);
  let sawDot = false;
  await page.exposeFunction('sawDot', () => (sawDot = true));
  await page.evaluate(() => {
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="message-dot"]')) (window as unknown as { sawDot: () => void }).sawDot();
    }).observe(document.body, { subtree: true, childList: true });
  });
  await canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' }).click();
  await expect(canvas.getByTestId('message-flash').first()).toBeVisible();
  await expect(canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-orange' }).getByTestId('delivered')).toHaveText('1');
  await page.waitForTimeout(1500);
  expect(sawDot).toBe(false);
  await expect(canvas.getByTestId('message-dot')).toHaveCount(0);
  expect(errors).toEqual([]);
});
