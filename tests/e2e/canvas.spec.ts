/**
 * The canvas, as a person uses it: add nodes from the palette, publish from the example's
 * producer and watch the message arrive, undo an edit, see a refused link explained.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, openExample, screenshots } from './support';


test('the palette adds an exchange and a queue to the canvas', async ({ page }) => {
  const errors = collectErrors(page);
  const canvas = await openExample(page);

  await page.getByRole('button', { name: 'Add exchange' }).click();
  await expect(canvas.locator('.svelte-flow__node-exchange')).toHaveCount(2);
  const exchange = canvas.locator('.svelte-flow__node-exchange', { hasText: 'exchange-1' });
  await expect(exchange).toBeVisible();
  await expect(exchange).toContainText('topic');

  await page.getByRole('button', { name: 'Add queue' }).click();
  await expect(canvas.locator('.svelte-flow__node-queue')).toHaveCount(3);
  const queue = canvas.locator('.svelte-flow__node-queue', { hasText: 'queue-1' });
  await expect(queue).toBeVisible();

  // The new nodes do not sit on top of each other.
  const a = (await exchange.boundingBox())!;
  const b = (await queue.boundingBox())!;
  const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
  expect(apart).toBe(true);

  await page.getByRole('button', { name: 'Add producer' }).click();
  await page.getByRole('button', { name: 'Add consumer' }).click();
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(10);
  expect(errors).toEqual([]);
});

test('publishing routes a message to a queue and the clock delivers it', async ({ page }) => {
  const errors = collectErrors(page);
  const canvas = await openExample(page);
  const orange = canvas.locator('.svelte-flow__node-queue', { hasText: 'orange' });
  const lazy = canvas.locator('.svelte-flow__node-queue', { hasText: 'lazy' });
  const consumer = canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-orange' });

  // Hold the consumer back: with the clock paused, a delivered message waits unacked.
  await canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' }).click();
  await expect(consumer.getByTestId('delivered')).toHaveText('1');
  await expect(orange.getByTestId('unacked')).toHaveText('1');
  // quick.orange.rabbit matches *.orange.* and not lazy.#.
  await expect(lazy.getByTestId('unacked')).toHaveText('0');
  await expect(lazy.getByTestId('ready')).toHaveText('0');

  // A second one waits ready (prefetch 1).
  await canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' }).click();
  await expect(orange.getByTestId('ready')).toHaveText('1');

  // Stepping the clock finishes the first message's work: acked, the second one delivered.
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(consumer.getByTestId('acked')).toHaveText('1');
  await expect(orange.getByTestId('ready')).toHaveText('0');
  await expect(page.getByTestId('sim-time')).not.toHaveText('0.0 s');

  // Playing runs the rest.
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(consumer.getByTestId('acked')).toHaveText('2', { timeout: 15_000 });
  await expect(orange.getByTestId('unacked')).toHaveText('0');
  await page.getByRole('button', { name: 'Pause' }).click();
  expect(errors).toEqual([]);
});

test('Ctrl+Z removes the node just added, Shift+Ctrl+Z brings it back', async ({ page }) => {
  const errors = collectErrors(page);
  const canvas = await openExample(page);

  await page.getByRole('button', { name: 'Add queue' }).click();
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(7);
  await expect(canvas.getByText('queue-1', { exact: true })).toBeVisible();

  await canvas.locator('.svelte-flow__pane').click({ position: { x: 30, y: 300 } });
  await page.keyboard.press('Control+z');
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(6);
  await expect(canvas.getByText('queue-1', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('status')).toContainText('Undid: Add queue');

  await page.keyboard.press('Control+Shift+z');
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(7);
  // The example itself is not undoable.
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(6);
  expect(errors).toEqual([]);
});

test('dragging a node moves it, and one undo puts it back', async ({ page }) => {
  const errors = collectErrors(page);
  const canvas = await openExample(page);
  const node = canvas.locator('.svelte-flow__node-exchange');
  const before = (await node.boundingBox())!;
  await page.mouse.move(before.x + 60, before.y + 20);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(before.x + 60 + i * 5, before.y + 20 + i * 15);
  await page.mouse.up();
  await expect.poll(async () => Math.round((await node.boundingBox())!.y - before.y)).toBeGreaterThan(100);
  await expect(page.getByRole('button', { name: 'Undo' })).toBeEnabled();

  await page.keyboard.press('Control+z');
  await expect.poll(async () => Math.round((await node.boundingBox())!.y - before.y)).toBe(0);
  await expect(page.getByRole('status')).toContainText('Undid: Move');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  expect(errors).toEqual([]);
});

test('deleting a selected node removes it and its links', async ({ page }) => {
  const errors = collectErrors(page);
  const canvas = await openExample(page);
  await canvas.locator('.svelte-flow__node-queue', { hasText: 'lazy' }).click();
  await page.keyboard.press('Delete');
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(5);
  await expect(canvas.locator('.svelte-flow__edge')).toHaveCount(3);
  await page.keyboard.press('Control+z');
  await expect(canvas.locator('.svelte-flow__edge')).toHaveCount(5);
  expect(errors).toEqual([]);
});

test('a link drawn by hand is made, and a refused one says why', async ({ page }) => {
  const errors = collectErrors(page);
  const canvas = await openExample(page);

  // Dragging from the exchange's out-port to a new queue's in-port binds them.
  await page.getByRole('button', { name: 'Add queue' }).click();
  const from = canvas.locator('.svelte-flow__node-exchange').locator('.svelte-flow__handle.source');
  const to = canvas.locator('.svelte-flow__node-queue', { hasText: 'queue-1' }).locator('.svelte-flow__handle.target');
  await from.dragTo(to);
  await expect(canvas.locator('.svelte-flow__edge')).toHaveCount(6);

  // A queue publishes nothing to an exchange: the status region says why.
  const exchangeIn = canvas.locator('.svelte-flow__node-exchange').locator('.svelte-flow__handle.target');
  const queueOut = canvas.locator('.svelte-flow__node-queue', { hasText: 'orange' }).locator('.svelte-flow__handle.source');
  await queueOut.dragTo(exchangeIn);
  await expect(page.getByRole('status')).toContainText('Connect:');
  await expect(canvas.locator('.svelte-flow__edge')).toHaveCount(6);
  expect(errors).toEqual([]);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`a busy canvas looks right in the ${colorScheme} color scheme`, async ({ page }) => {
    const errors = collectErrors(page);
    await page.emulateMedia({ colorScheme });
    const canvas = await openExample(page);
    const publish = canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' });
    await publish.click();
    await publish.click();
    await publish.click();
    await expect(canvas.locator('.svelte-flow__node-queue', { hasText: 'orange' }).getByTestId('ready')).toHaveText('2');
    await canvas.locator('.svelte-flow__node-exchange').click();
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: resolve(screenshots, `canvas-${colorScheme}.png`) });
    expect(errors).toEqual([]);
  });
}
