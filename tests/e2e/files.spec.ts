/**
 * Diagrams as files, as a person moves them: save the diagram as a .json file and open it again,
 * import a RabbitMQ definitions export (its graph laid out, its report read), export definitions,
 * and switch between the diagrams this browser keeps.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, screenshots } from './support';
import { addNamed, openStage } from './outcomes-support';

async function openDiagrams(page: Page) {
  await page.getByRole('button', { name: 'Diagrams' }).click();
  const dialog = page.getByRole('dialog', { name: 'Diagrams' });
  await expect(dialog).toBeVisible();
  return dialog;
}

const definitions = {
  rabbit_version: '4.3.6',
  users: [{ name: 'guest', tags: ['administrator'] }],
  vhosts: [{ name: '/' }],
  permissions: [{ user: 'guest', vhost: '/', configure: '.*', write: '.*', read: '.*' }],
  policies: [{ vhost: '/', name: 'dlx', pattern: '^orders\\.', 'apply-to': 'queues', priority: 1, definition: { 'dead-letter-exchange': 'orders.dlx' } }],
  exchanges: [
    { name: 'orders', vhost: '/', type: 'topic', durable: true, auto_delete: false, internal: false, arguments: {} },
    { name: 'orders.dlx', vhost: '/', type: 'fanout', durable: true, auto_delete: false, internal: false, arguments: {} },
  ],
  queues: [
    { name: 'orders.eu', vhost: '/', durable: true, auto_delete: false, arguments: { 'x-queue-type': 'quorum' } },
    { name: 'orders.dead', vhost: '/', durable: true, auto_delete: false, arguments: {} },
  ],
  bindings: [
    { source: 'orders', vhost: '/', destination: 'orders.eu', destination_type: 'queue', routing_key: 'order.*.eu', arguments: {} },
    { source: 'orders.dlx', vhost: '/', destination: 'orders.dead', destination_type: 'queue', routing_key: '', arguments: {} },
  ],
};

test('save as a file, then open it again after other edits', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await addNamed(stage, 'queue', 'kept');
  let dialog = await openDiagrams(page);
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Save as file' }).click()]);
  expect(download.suggestedFilename()).toBe('Topic-example.json');
  const path = await download.path();
  const text = readFileSync(path, 'utf8');
  expect(JSON.parse(text)).toMatchObject({ format: 'routing-playground', version: 1 });

  await dialog.getByRole('button', { name: 'New empty diagram' }).click();
  await expect(stage.canvas.locator('.svelte-flow__node')).toHaveCount(0);
  dialog = await openDiagrams(page);
  await dialog.getByLabel('Diagram or definitions file').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByRole('status')).toContainText('Opened "mine.json"');
  await expect(stage.canvas.locator('.svelte-flow__node')).toHaveCount(7);
  await expect(stage.canvas.getByTitle('kept', { exact: true })).toBeVisible();

  // The browser keeps all three: the example, the empty one and the opened file.
  dialog = await openDiagrams(page);
  const saved = dialog.getByRole('region', { name: 'Saved in this browser' });
  await expect(saved.getByRole('listitem')).toHaveCount(3);
  // Rename one from the list: type the new name, Enter.
  await saved.getByRole('button', { name: 'Rename Untitled diagram' }).click();
  const newName = saved.getByRole('textbox', { name: 'New name for Untitled diagram' });
  await newName.fill('Scratch');
  await newName.press('Enter');
  await expect(saved.getByRole('listitem').filter({ hasText: 'Scratch' })).toHaveCount(1);
  await saved.getByRole('button', { name: 'Open Scratch' }).click();
  await expect(stage.canvas.locator('.svelte-flow__node')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a RabbitMQ definitions export opens laid out, with a report; definitions export back', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  const dialog = await openDiagrams(page);
  await dialog.getByLabel('Diagram or definitions file').setInputFiles({ name: 'definitions.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definitions)) });
  const report = dialog.getByRole('region', { name: 'Import report' });
  await expect(report).toContainText('vhost /: 2 exchanges, 2 queues, 2 bindings');
  await expect(report).toContainText('Skipped');
  await expect(report).toContainText(/user/i);
  await expect(report).toContainText(/polic/i);
  await expect(stage.canvas.locator('.svelte-flow__node')).toHaveCount(4);
  await expect(stage.canvas.getByTestId('binding-label').filter({ hasText: 'order.*.eu' })).toBeVisible();
  // Left to right: the exchange before its queue.
  const x = async (name: string) => (await stage.canvas.getByTitle(name, { exact: true }).boundingBox())!.x;
  expect(await x('orders')).toBeLessThan(await x('orders.eu'));
  // The policy's dead-letter exchange was applied to the queue it matches.
  await expect(stage.canvas.locator('.svelte-flow__node-queue').filter({ has: page.getByTitle('orders.eu', { exact: true }) }).getByTestId('dlx')).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export RabbitMQ definitions' }).click()]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(exported.exchanges.map((e: { name: string }) => e.name).sort()).toEqual(['orders', 'orders.dlx']);
  expect(exported.bindings).toHaveLength(2);
  expect(errors).toEqual([]);
});

test('a file that is not a diagram says why, and the diagram stays', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  const dialog = await openDiagrams(page);
  await dialog.getByLabel('Diagram or definitions file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": [1, 2') });
  await expect(dialog.getByRole('alert')).toContainText('not JSON');
  await expect(stage.canvas.locator('.svelte-flow__node')).toHaveCount(6);
  expect(errors).toEqual([]);
});

test('a preset opens ready to play: tutorial 1 in its classic form, with what to try', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  const dialog = await openDiagrams(page);
  const presets = dialog.getByRole('region', { name: 'Presets' });
  await expect(presets.getByRole('listitem')).toHaveCount(10);
  await presets.getByLabel(/Classic queues/).check();
  await presets.getByRole('button', { name: /^Hello World!/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status')).toContainText('Hello World!');
  const hello = stage.canvas.locator('.svelte-flow__node-queue').filter({ has: page.getByTitle('hello', { exact: true }) });
  await expect(hello).toBeVisible();
  await expect(hello.getByTestId('queue-type')).toHaveCount(0);
  // The tutorial's observation: four messages wait while the receiver is stopped.
  await stage.canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' }).click();
  await expect(hello.getByText('READY').locator('..')).toContainText('4');
  expect(errors).toEqual([]);
});

for (const theme of ['light', 'dark'] as const) {
  test(`the canvas saves as PNG and SVG, cropped to the diagram, in the ${theme} theme`, async ({ page }) => {
    const errors = collectErrors(page);
    await openStage(page);
    await page.getByRole('combobox', { name: 'Theme' }).selectOption({ label: theme === 'light' ? 'Light theme' : 'Dark theme' });
    const dialog = await openDiagrams(page);
    const [png] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Save as PNG' }).click()]);
    expect(png.suggestedFilename()).toBe('Topic-example.png');
    const bytes = readFileSync(await png.path());
    expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    // Width and height from the PNG header: the diagram's size (with a margin) at 2x, not the window's.
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    expect(width).toBeGreaterThan(height);
    expect(width).toBeLessThan(2 * 1400);
    mkdirSync(screenshots, { recursive: true });
    writeFileSync(resolve(screenshots, `files-export-${theme}.png`), bytes);

    const [svg] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Save as SVG' }).click()]);
    expect(svg.suggestedFilename()).toBe('Topic-example.svg');
    const text = readFileSync(await svg.path(), 'utf8');
    expect(text).toContain('<svg');
    expect(text).toContain('topic_logs');
    expect(text).toContain('worker-orange');
    // The links are drawn too: every edge path carries its colour (5 links in the example).
    const paths = text.match(/<path[^>]*svelte-flow__edge-path[^>]*>/g) ?? [];
    expect(paths.length).toBe(5);
    for (const path of paths) expect(path).toMatch(/stroke:\s*rgb/);
    expect(errors).toEqual([]);
  });
}

/** Opens a preset from the Diagrams dialog by its title. */
async function openPreset(page: Page, title: RegExp): Promise<void> {
  const dialog = await openDiagrams(page);
  await dialog.getByRole('region', { name: 'Presets' }).getByRole('button', { name: title }).click();
  await expect(dialog).toBeHidden();
}

function delivered(page: Page, consumer: string) {
  return page.getByRole('main', { name: 'Topology' }).locator('.svelte-flow__node-consumer').filter({ has: page.getByTitle(consumer, { exact: true }) }).getByTestId('delivered');
}

async function publishFrom(page: Page, producer: string): Promise<void> {
  await page.getByRole('main', { name: 'Topology' }).locator('.svelte-flow__node-producer').filter({ has: page.getByTitle(producer, { exact: true }) }).getByRole('button', { name: 'Publish' }).click();
}

test('the tutorials reproduce what they observe, on screen: fanout, routing, topics and RPC', async ({ page }) => {
  const errors = collectErrors(page);
  await openStage(page);

  // 3 Publish/Subscribe: every subscriber gets the message.
  await openPreset(page, /^Publish\/Subscribe/);
  await publishFrom(page, 'emit_log');
  await expect(delivered(page, 'receive_logs-1')).toHaveText('1');
  await expect(delivered(page, 'receive_logs-2')).toHaveText('1');

  // 4 Routing: "info" reaches only the queue bound with it.
  await openPreset(page, /^Routing/);
  await publishFrom(page, 'emit_log_direct');
  await expect(delivered(page, 'receive_logs_direct-2')).toHaveText('1');
  await expect(delivered(page, 'receive_logs_direct-1')).toHaveText('0');

  // 5 Topics: quick.orange.rabbit goes to both queues.
  await openPreset(page, /^Topics/);
  await publishFrom(page, 'emit_log_topic');
  await expect(delivered(page, 'receive_logs_topic-1')).toHaveText('1');
  await expect(delivered(page, 'receive_logs_topic-2')).toHaveText('1');

  // 6 RPC: the server gets the request with its reply-to and correlation id.
  await openPreset(page, /^RPC/);
  await publishFrom(page, 'rpc_client');
  await expect(delivered(page, 'rpc_server')).toHaveText('1');
  const log = page.getByRole('region', { name: 'Explanations' });
  await log.getByRole('tab', { name: /^Event log/ }).click();
  await log.getByRole('button', { name: /^#1 published/ }).click();
  const properties = page.getByRole('region', { name: 'Message inspector' }).getByRole('region', { name: 'Properties' });
  await expect(properties).toContainText('correlationId');
  await expect(properties).toContainText('replyTo');
  expect(errors).toEqual([]);
});
