/**
 * The playground around the canvas, as a person uses it: dragging palette items onto the canvas
 * and wiring them up, the clock's speed and reset, the theme toggle, auto-layout, copy and paste,
 * and a broker worker that dies and comes back with the diagram intact.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, openExample, screenshots } from './support';

/** Drags a palette item onto the canvas at a point of the page; returns the new node. */
async function dropFromPalette(page: Page, canvas: Locator, label: string, at: { x: number; y: number }): Promise<Locator> {
  const box = (await canvas.boundingBox())!;
  await page.getByRole('button', { name: label }).dragTo(canvas, { targetPosition: { x: at.x - box.x, y: at.y - box.y } });
  return canvas.locator('.svelte-flow__node.selected');
}

async function link(from: Locator, to: Locator): Promise<void> {
  await from.locator('.svelte-flow__handle.source').dragTo(to.locator('.svelte-flow__handle.target'));
}

test('palette items dragged onto the canvas land where dropped, link up and carry a message', async ({ page }) => {
  const errors = collectErrors(page);
  const canvas = await openExample(page);
  const box = (await canvas.boundingBox())!;
  const y = box.y + 90;
  const drops = [
    ['Add producer', box.x + 40],
    ['Add exchange', box.x + 210],
    ['Add queue', box.x + 380],
    ['Add consumer', box.x + 550],
  ] as const;
  const placed: Locator[] = [];
  for (const [label, x] of drops) {
    const node = await dropFromPalette(page, canvas, label, { x, y });
    await expect(node).toHaveCount(1);
    const at = (await node.boundingBox())!;
    // The node's corner is under the pointer, give or take the grab offset.
    expect(Math.abs(at.x - x)).toBeLessThan(30);
    expect(Math.abs(at.y - y)).toBeLessThan(30);
    placed.push(canvas.locator(`[data-id="${await node.getAttribute('data-id')}"]`));
  }
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(10);
  const [producer, exchange, queue, consumer] = placed as [Locator, Locator, Locator, Locator];
  await expect(producer).toContainText('producer-1');
  await expect(consumer).toContainText('consumer-1');

  await link(producer, exchange);
  await link(exchange, queue);
  await link(queue, consumer);
  await expect(canvas.locator('.svelte-flow__edge')).toHaveCount(8);

  // The new topic exchange's binding key "" matches the producer's routing key "".
  await producer.getByRole('button', { name: 'Publish' }).click();
  await expect(canvas.getByTestId('message-dot').first()).toBeVisible();
  await expect(consumer.getByTestId('delivered')).toHaveText('1');
  await expect(queue.getByTestId('unacked')).toHaveText('1');
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(consumer.getByTestId('acked')).toHaveText('1');
  await expect(queue.getByTestId('unacked')).toHaveText('0');
  expect(errors).toEqual([]);
});

test('the clock runs at the chosen speed and reset empties the queues but keeps the diagram', async ({ page }) => {
  const errors = collectErrors(page);
  const canvas = await openExample(page);
  const orange = canvas.locator('.svelte-flow__node-queue', { hasText: 'orange' });
  const publish = canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' });
  await publish.click();
  await publish.click();
  await expect(orange.getByTestId('ready')).toHaveText('1');

  const speed = page.getByRole('combobox', { name: 'Speed' });
  await expect(speed).toHaveValue('1');
  await speed.selectOption('8');
  await page.getByRole('button', { name: 'Play' }).click();
  // At 8×, two one-second jobs are done in well under a second of real time.
  await expect(canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-orange' }).getByTestId('acked')).toHaveText('2', { timeout: 5000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('sim-time')).not.toHaveText('0.0 s');
  await expect(speed).toHaveValue('8');

  await publish.click();
  await publish.click();
  await expect(orange.getByTestId('ready')).toHaveText('1');
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByTestId('sim-time')).toHaveText('0.0 s');
  await expect(orange.getByTestId('ready')).toHaveText('0');
  await expect(orange.getByTestId('unacked')).toHaveText('0');
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(6);
  expect(errors).toEqual([]);
});

test('a broker worker that dies is restarted from the diagram, and nothing drawn is lost', async ({ page }) => {
  const errors = collectErrors(page);
  const canvas = await openExample(page);
  await page.getByRole('button', { name: 'Add queue' }).click();
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(7);

  const worker = page.workers()[0]!;
  // An uncaught error in the worker: the page must treat the worker as dead.
  await worker.evaluate(() => setTimeout(() => {
    throw new Error('simulated crash');
  }));
  await expect(page.getByRole('status')).toContainText('restarted from your diagram');
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(7);
  await expect(canvas.getByText('queue-1', { exact: true })).toBeVisible();

  // The new broker has the diagram: a publish still reaches the orange queue's consumer.
  await canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' }).click();
  await expect(canvas.locator('.svelte-flow__node-queue', { hasText: 'orange' }).getByTestId('unacked')).toHaveText('1');
  expect(errors.filter((e) => !e.includes('simulated crash'))).toEqual([]);
});

test('the theme toggle overrides the system scheme, and remembers it', async ({ page }) => {
  const errors = collectErrors(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await openExample(page);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  const theme = page.getByRole('combobox', { name: 'Theme' });
  await theme.selectOption({ label: 'Dark theme' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(background).not.toBe(light);
  await expect(page.locator('.svelte-flow')).toHaveClass(/dark/);
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: resolve(screenshots, 'theme-forced-dark.png') });

  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');
  await expect.poll(background).not.toBe(light);
  await page.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'System theme' });
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  await expect.poll(background).toBe(light);
  expect(errors).toEqual([]);
});

test('auto layout arranges a messy diagram left to right, in one undo step', async ({ page }) => {
  const errors = collectErrors(page);
  const canvas = await openExample(page);
  // Mess it up: move the consumer to the far left.
  const consumer = canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-lazy' });
  const producer = canvas.locator('.svelte-flow__node-producer');
  await consumer.click();
  for (let i = 0; i < 24; i++) await page.keyboard.press('Shift+ArrowLeft');
  await expect.poll(async () => (await consumer.boundingBox())!.x).toBeLessThan((await producer.boundingBox())!.x);

  await page.getByRole('button', { name: 'Auto layout' }).click();
  await expect(page.getByRole('status')).not.toContainText('failed');
  await expect.poll(async () => (await consumer.boundingBox())!.x).toBeGreaterThan((await producer.boundingBox())!.x + 100);
  const exchange = canvas.locator('.svelte-flow__node-exchange');
  expect((await exchange.boundingBox())!.x).toBeGreaterThan((await producer.boundingBox())!.x);

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('status')).toContainText('Undid: Auto layout');
  await expect.poll(async () => (await consumer.boundingBox())!.x).toBeLessThan((await producer.boundingBox())!.x);
  expect(errors).toEqual([]);
});

test('copy and paste duplicate the selection under new names', async ({ page }) => {
  const errors = collectErrors(page);
  const canvas = await openExample(page);
  await canvas.locator('.svelte-flow__node-queue', { hasText: 'lazy' }).click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(canvas.locator('.svelte-flow__node-queue')).toHaveCount(3);
  const pasted = canvas.locator('.svelte-flow__node.selected');
  await expect(pasted).toHaveCount(1);
  await expect(pasted).not.toContainText(/^lazy$/);
  await expect(page.getByRole('region', { name: 'Inspector' }).getByLabel('Name')).toHaveValue(/^lazy.+/);
  await page.keyboard.press('Control+v');
  await expect(canvas.locator('.svelte-flow__node-queue')).toHaveCount(4);
  expect(errors).toEqual([]);
});

test.describe('on a tablet in portrait', () => {
  test.use({ viewport: { width: 820, height: 1180 }, hasTouch: true });

  test('taps add, select and publish; the inspector sits under the canvas', async ({ page }) => {
    const errors = collectErrors(page);
    const canvas = await openExample(page);
    await page.getByRole('button', { name: 'Add queue' }).tap();
    await expect(canvas.locator('.svelte-flow__node-queue')).toHaveCount(3);
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await expect(inspector.getByLabel('Name')).toHaveValue('queue-1');
    const stage = (await canvas.boundingBox())!;
    const panel = (await inspector.boundingBox())!;
    expect(panel.y).toBeGreaterThanOrEqual(stage.y + stage.height);
    expect(stage.width).toBeGreaterThan(700);
    // Nothing is wider than the screen: the top bar's buttons wrap under the title.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);

    await canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' }).tap();
    await expect(canvas.locator('.svelte-flow__node-queue', { hasText: 'orange' }).getByTestId('unacked')).toHaveText('1');
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: resolve(screenshots, 'tablet-portrait.png') });
    expect(errors).toEqual([]);
  });
});
