/**
 * The inspector, as a person uses it: select a binding, a queue, a producer on the canvas and
 * edit them in the right-hand panel; every edit goes through the document (undo works) and the
 * broker follows.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, screenshots, openExample } from './support';

async function open(page: Page) {
  const canvas = await openExample(page);
  const inspector = page.getByRole('region', { name: 'Inspector' });
  return { canvas, inspector };
}

test('nothing selected: the inspector gives a hint', async ({ page }) => {
  const errors = collectErrors(page);
  const { inspector } = await open(page);
  await expect(inspector).toContainText('Select a node or a binding');
  expect(errors).toEqual([]);
});

test('editing a binding key re-routes messages, and Ctrl+Z restores the old key', async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas, inspector } = await open(page);
  const orange = canvas.locator('.svelte-flow__node-queue', { hasText: 'orange' });
  const consumer = canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-orange' });
  const publishOnCanvas = canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' });

  // quick.brown.rabbit matches neither *.orange.* nor lazy.#.
  await canvas.locator('.svelte-flow__node-producer').click();
  const routingKey = inspector.getByLabel('Routing key');
  await routingKey.fill('quick.brown.rabbit');
  await routingKey.press('Enter');
  await expect(canvas.locator('.svelte-flow__node-producer')).toContainText('quick.brown.rabbit');
  await expect(canvas.locator('.svelte-flow__node-producer').getByTestId('published')).toHaveText('1');
  await expect(orange.getByTestId('unacked')).toHaveText('0');
  await expect(orange.getByTestId('ready')).toHaveText('0');

  // Rebind orange with *.*.rabbit: now it matches.
  await canvas.getByText('*.orange.*', { exact: true }).click();
  const key = inspector.getByLabel('Binding key');
  await expect(key).toHaveValue('*.orange.*');
  await key.fill('*.*.rabbit');
  await key.press('Tab');
  await expect(canvas.getByText('*.*.rabbit', { exact: true })).toBeVisible();
  await publishOnCanvas.click();
  await expect(orange.getByTestId('unacked')).toHaveText('1');
  await expect(consumer.getByTestId('delivered')).toHaveText('1');

  // Undo (focus off the field) restores the key, in the canvas and the inspector; routing follows.
  await inspector.getByRole('heading', { name: 'Inspector' }).click();
  await page.keyboard.press('Control+z');
  await expect(page.getByRole('status')).toContainText('Undid: Edit binding');
  await expect(canvas.getByText('*.orange.*', { exact: true })).toBeVisible();
  // (Publishing on the canvas selected the producer; select the binding again.)
  await canvas.getByText('*.orange.*', { exact: true }).click();
  await expect(key).toHaveValue('*.orange.*');
  await publishOnCanvas.click();
  await expect(canvas.locator('.svelte-flow__node-producer').getByTestId('published')).toHaveText('3');
  await expect(orange.getByTestId('ready')).toHaveText('0');
  await expect(consumer.getByTestId('delivered')).toHaveText('1');
  expect(errors).toEqual([]);
});

test('a queue is renamed, limited, and a reserved name is refused', async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas, inspector } = await open(page);
  await canvas.locator('.svelte-flow__node-queue', { hasText: 'lazy' }).click();
  const name = inspector.getByLabel('Name');
  await expect(name).toHaveValue('lazy');

  await name.fill('sleepy');
  await name.press('Enter');
  await expect(canvas.locator('.svelte-flow__node-queue', { hasText: 'sleepy' })).toBeVisible();
  await expect(canvas.locator('.svelte-flow__node-queue', { hasText: 'lazy' })).toHaveCount(0);

  const maxLength = inspector.getByLabel('Max length');
  await maxLength.fill('5');
  await maxLength.press('Tab');
  const queue = canvas.locator('.svelte-flow__node-queue', { hasText: 'sleepy' });
  await expect(queue.getByTestId('max-length')).toHaveText('max 5');
  await expect(maxLength).toHaveValue('5');

  await maxLength.fill('many');
  await maxLength.press('Tab');
  await expect(inspector.getByRole('alert')).toContainText("'many' is not a number");
  await expect(queue.getByTestId('max-length')).toHaveText('max 5');

  await name.fill('amq.foo');
  await name.press('Enter');
  await expect(inspector.getByRole('alert').filter({ hasText: 'reserved prefix' })).toContainText("queue name 'amq.foo' contains reserved prefix 'amq.*'");
  await expect(canvas.locator('.svelte-flow__node-queue', { hasText: 'sleepy' })).toBeVisible();
  await expect(canvas.getByText('amq.foo')).toHaveCount(0);

  // User text is text, never markup.
  await name.fill('<b>bold</b>');
  await name.press('Enter');
  await expect(canvas.getByText('<b>bold</b>', { exact: true })).toBeVisible();

  // An empty name is a server-named queue: the broker names it amq.gen-… and the card shows that.
  await name.fill('');
  await name.press('Enter');
  const serverNamed = canvas.locator('.svelte-flow__node-queue').filter({ has: page.getByTestId('server-named') });
  await expect(serverNamed.getByTitle(/^amq\.gen-[\w-]{22}$/)).toBeVisible();
  await expect(inspector.getByText(/Server-named: declared with an empty name/)).toBeVisible();
  // Still bound and consumed: a lazy.# message reaches its consumer.
  const producer = canvas.locator('.svelte-flow__node-producer');
  await producer.locator('.titles').click();
  const key = inspector.getByLabel('Routing key', { exact: true });
  await key.fill('lazy.brown.fox');
  await key.press('Tab');
  await producer.getByRole('button', { name: 'Publish' }).click();
  await expect(canvas.locator('.svelte-flow__node-consumer').filter({ hasText: 'worker-lazy' }).getByTestId('delivered')).toHaveText('1');
  expect(errors).toEqual([]);
});

test("the broker's refusal of a synced edit shows in the inspector", async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas, inspector } = await open(page);
  await canvas.locator('.svelte-flow__node-queue', { hasText: 'lazy' }).click();
  await inspector.getByLabel('Durable').uncheck();
  await inspector.getByLabel('Queue type').selectOption('quorum');
  await expect(inspector.getByRole('alert').first()).toContainText(/\d{3} /);
  await page.screenshot({ path: resolve(screenshots, 'inspector-sync-error.png') });
  await inspector.getByRole('heading', { name: 'Inspector' }).click();
  await page.keyboard.press('Control+z');
  await expect(inspector.getByLabel('Queue type')).toHaveValue('classic');
  await expect(inspector.getByRole('alert')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a headers exchange: x-match and header rows on its binding', async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas, inspector } = await open(page);
  await canvas.locator('.svelte-flow__node-exchange').click();
  await inspector.getByLabel('Type').selectOption('headers');
  await expect(canvas.locator('.svelte-flow__node-exchange')).toContainText('headers');
  // A headers binding's label shows its arguments, not its key: pick it by where it goes.
  await canvas.getByRole('button', { name: /to orange,/ }).click();
  await inspector.getByLabel('x-match').selectOption('any');
  await inspector.getByLabel('New header name').fill('format');
  await inspector.getByLabel('New header value').fill('pdf');
  await inspector.getByLabel('New header value').press('Enter');
  await expect(inspector.getByLabel('Header 1 name')).toHaveValue('format');
  await expect(inspector.getByLabel('Header 1 value')).toHaveValue('pdf');
  await page.screenshot({ path: resolve(screenshots, 'inspector-headers-binding.png') });
  await inspector.getByRole('button', { name: 'Remove header format' }).click();
  await expect(inspector.getByLabel('Header 1 name')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the producer publishes with Enter in its routing key', async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas, inspector } = await open(page);
  const lazy = canvas.locator('.svelte-flow__node-queue', { hasText: 'lazy' });
  await canvas.locator('.svelte-flow__node-producer').click();
  const routingKey = inspector.getByLabel('Routing key');
  await expect(routingKey).toHaveValue('quick.orange.rabbit');
  await routingKey.fill('lazy.pink.rabbit');
  await routingKey.press('Enter');
  await expect(canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-lazy' }).getByTestId('delivered')).toHaveText('1');
  await expect(lazy.getByTestId('unacked')).toHaveText('1');

  // Keyboard: Tab reaches the Publish button from the form.
  await inspector.getByLabel('Mode').selectOption('burst');
  await expect(inspector.getByLabel('Messages')).toHaveValue('10');
  await inspector.getByRole('button', { name: 'Publish' }).focus();
  await page.keyboard.press('Enter');
  await expect(lazy.getByTestId('ready')).toHaveText('10');
  expect(errors).toEqual([]);
});

test('a consumer is stopped and started from the inspector', async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas, inspector } = await open(page);
  const orange = canvas.locator('.svelte-flow__node-queue', { hasText: 'orange' });
  await canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-orange' }).click();
  await expect(inspector.getByLabel('Prefetch')).toHaveValue('1');
  await inspector.getByRole('button', { name: 'Stop' }).click();
  await canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' }).click();
  await expect(orange.getByTestId('ready')).toHaveText('1');
  await canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-orange' }).click();
  await inspector.getByRole('button', { name: 'Start' }).click();
  await expect(orange.getByTestId('unacked')).toHaveText('1');
  await expect(orange.getByTestId('ready')).toHaveText('0');
  expect(errors).toEqual([]);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the inspector looks right in the ${colorScheme} color scheme`, async ({ page }) => {
    const errors = collectErrors(page);
    await page.emulateMedia({ colorScheme });
    const { canvas, inspector } = await open(page);
    await canvas.locator('.svelte-flow__node-queue', { hasText: 'orange' }).click();
    await inspector.getByLabel('Name').fill('amq.nope');
    await inspector.getByLabel('Name').press('Enter');
    await expect(inspector.getByRole('alert')).toBeVisible();
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: resolve(screenshots, `inspector-queue-${colorScheme}.png`) });
    await canvas.locator('.svelte-flow__node-producer').click();
    await expect(inspector.getByLabel('Routing key')).toBeVisible();
    await page.screenshot({ path: resolve(screenshots, `inspector-producer-${colorScheme}.png`) });
    expect(errors).toEqual([]);
  });
}

test('the exchange panel lists, adds and removes bindings, and shows a refusal beside the form', async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas, inspector } = await open(page);
  const lazy = canvas.locator('.svelte-flow__node-queue', { hasText: 'lazy' });
  await canvas.locator('.svelte-flow__node-exchange').click();
  const bindings = inspector.getByRole('group', { name: 'Bindings' });
  await expect(bindings.getByRole('listitem')).toHaveText([/orange\s*\*\.orange\.\*/, /lazy\s*lazy\.#/]);

  // lazy also gets quick.#: the producer's quick.orange.rabbit now reaches it.
  await inspector.getByLabel('Bind to').selectOption({ label: 'lazy' });
  await inspector.getByLabel('New binding key').fill('quick.#');
  await inspector.getByRole('button', { name: 'Add binding' }).click();
  await expect(bindings.getByRole('listitem')).toHaveCount(3);
  await expect(canvas.getByText('quick.#', { exact: true })).toBeVisible();
  await expect(inspector.getByLabel('New binding key')).toHaveValue('');
  await canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' }).click();
  await expect(lazy.getByTestId('unacked')).toHaveText('1');

  // The same binding twice is refused, with the document's reason beside the form.
  await canvas.locator('.svelte-flow__node-exchange').click();
  await inspector.getByLabel('Bind to').selectOption({ label: 'lazy' });
  await inspector.getByLabel('New binding key').fill('quick.#');
  await inspector.getByLabel('New binding key').press('Enter');
  await expect(inspector.getByRole('alert')).toBeVisible();
  await expect(bindings.getByRole('listitem')).toHaveCount(3);
  // Nothing chosen: says what is missing.
  await inspector.getByLabel('Bind to').selectOption({ label: 'Choose…' });
  await inspector.getByRole('button', { name: 'Add binding' }).click();
  await expect(inspector.getByRole('alert')).toHaveText('choose a queue or an exchange to bind to');

  await inspector.getByRole('button', { name: 'Remove binding to lazy with key quick.#' }).click();
  await expect(bindings.getByRole('listitem')).toHaveCount(2);
  await expect(canvas.getByText('quick.#', { exact: true })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('links without dragging: "Publishes to" and "Consumes from", refusals beside them', async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas, inspector } = await open(page);
  const lazy = canvas.locator('.svelte-flow__node-queue', { hasText: 'lazy' });
  const edges = canvas.locator('.svelte-flow__edge');
  await expect(edges).toHaveCount(5);

  // The producer publishes straight to lazy (through the default exchange).
  await canvas.locator('.svelte-flow__node-producer').click();
  const publishesTo = inspector.getByLabel('Publishes to');
  await expect(publishesTo.locator('option:checked')).toHaveText('topic_logs');
  await publishesTo.selectOption({ label: 'queue: lazy' });
  await inspector.getByLabel('Routing key').press('Enter');
  await expect(lazy.getByTestId('unacked')).toHaveText('1');
  await publishesTo.selectOption({ label: 'none' });
  await expect(edges).toHaveCount(4);
  await expect(inspector.getByRole('button', { name: 'Publish' })).toBeDisabled();

  // An internal exchange takes no publishes: the document's reason shows by the select.
  await page.getByRole('button', { name: 'Add exchange' }).click();
  await inspector.getByLabel('Internal').check();
  await canvas.locator('.svelte-flow__node-producer').click();
  await inspector.getByLabel('Publishes to').selectOption({ label: 'exchange-1' });
  await expect(inspector.getByRole('alert')).toContainText('internal');
  await expect(inspector.getByLabel('Publishes to')).toHaveAttribute('aria-invalid', 'true');

  // The lazy worker stops reading lazy, then reads orange.
  await canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-lazy' }).click();
  const consumesFrom = inspector.getByLabel('Consumes from');
  await expect(consumesFrom.locator('option:checked')).toHaveText('lazy');
  await consumesFrom.selectOption({ label: 'none' });
  await expect(edges).toHaveCount(3);
  await expect(inspector.getByRole('button', { name: 'Start' })).toBeDisabled();
  await consumesFrom.selectOption({ label: 'orange' });
  await expect(edges).toHaveCount(4);
  expect(errors).toEqual([]);
});

test('message headers are typed, and BCC routes: the worker publishes what the form says', async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas, inspector } = await open(page);
  const orange = canvas.locator('.svelte-flow__node-queue', { hasText: 'orange' });
  const lazy = canvas.locator('.svelte-flow__node-queue', { hasText: 'lazy' });
  const producer = canvas.locator('.svelte-flow__node-producer');
  // Hold the consumers back, so counts stay in the queues.
  for (const name of ['worker-orange', 'worker-lazy']) {
    await canvas.locator('.svelte-flow__node-consumer', { hasText: name }).click();
    await inspector.getByRole('button', { name: 'Stop' }).click();
  }

  // BCC: a key that only lazy's binding matches takes a copy there.
  await producer.click();
  await inspector.getByText('More properties').click();
  await inspector.getByLabel('BCC (comma-separated keys)', { exact: true }).fill('lazy.bcc');
  await inspector.getByLabel('Reply to').fill('replies');
  await inspector.getByLabel('Correlation id').fill('c-1');
  await inspector.getByLabel('Message id').fill('m-1');
  await inspector.getByLabel('Message id').press('Enter');
  await expect(orange.getByTestId('ready')).toHaveText('1');
  await expect(lazy.getByTestId('ready')).toHaveText('1');
  await inspector.getByLabel('BCC (comma-separated keys)', { exact: true }).fill('');
  await inspector.getByLabel('BCC (comma-separated keys)', { exact: true }).press('Tab');

  // Headers: the exchange matches n = 2 (a number); the binding's rows are typed the same way.
  await canvas.locator('.svelte-flow__node-exchange').click();
  await inspector.getByLabel('Type').selectOption('headers');
  await canvas.getByRole('button', { name: /to orange,/ }).click();
  await inspector.getByLabel('New header name').fill('n');
  await inspector.getByLabel('New header value').fill('2');
  await inspector.getByRole('button', { name: 'Add header' }).click();
  await expect(inspector.getByLabel('Header 1 value')).toHaveValue('2');

  await producer.click();
  await inspector.getByLabel('New message header key').fill('n');
  await inspector.getByLabel('New message header value').fill('"2"');
  // Enter adds the row; it does not publish.
  await inspector.getByLabel('New message header value').press('Enter');
  await expect(inspector.getByLabel('Message header 1 value')).toHaveValue('"2"');
  await expect(inspector.getByLabel('Message header 1 key')).toHaveValue('n');
  await expect(producer.getByTestId('published')).toHaveText('1');
  // The text "2" does not match the number 2 (lazy's binding, with no headers, takes all).
  await inspector.getByRole('button', { name: 'Publish' }).click();
  await expect(lazy.getByTestId('ready')).toHaveText('2');
  await expect(orange.getByTestId('ready')).toHaveText('1');
  // The number 2 does.
  await inspector.getByLabel('Message header 1 value').fill('2');
  await inspector.getByLabel('Message header 1 value').press('Enter');
  await expect(lazy.getByTestId('ready')).toHaveText('3');
  await expect(orange.getByTestId('ready')).toHaveText('2');
  await expect(inspector.getByText('More properties')).toContainText('4 set');

  await inspector.getByRole('button', { name: 'Remove message header n' }).click();
  await expect(inspector.getByLabel('Message header 1 key')).toHaveCount(0);
  expect(errors).toEqual([]);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the producer's full form and an exchange's bindings look right (${colorScheme})`, async ({ page }) => {
    const errors = collectErrors(page);
    await page.emulateMedia({ colorScheme });
    const { canvas, inspector } = await open(page);
    mkdirSync(screenshots, { recursive: true });

    await canvas.locator('.svelte-flow__node-producer').click();
    await inspector.getByLabel('Mode').selectOption('burst');
    await inspector.getByText('More properties').click();
    await inspector.getByLabel('CC (comma-separated keys)', { exact: true }).fill('audit.log, lazy.cc');
    await inspector.getByLabel('Correlation id').fill('order-42');
    await inspector.getByLabel('New message header key').fill('format');
    await inspector.getByLabel('New message header value').fill('pdf');
    await inspector.getByLabel('New message header value').press('Enter');
    await inspector.getByLabel('New message header key').fill('attempt');
    await inspector.getByLabel('New message header value').fill('3');
    await inspector.getByLabel('New message header value').press('Enter');
    await expect(inspector.getByLabel('Message header 2 value')).toHaveValue('3');
    await inspector.evaluate((el) => el.scrollTo(0, 0));
    await page.screenshot({ path: resolve(screenshots, `panel-producer-${colorScheme}.png`) });
    await inspector.getByRole('button', { name: 'Publish' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(screenshots, `panel-producer-end-${colorScheme}.png`) });

    await canvas.locator('.svelte-flow__node-exchange').click();
    await inspector.getByLabel('Bind to').selectOption({ label: 'lazy' });
    await inspector.getByLabel('New binding key').fill('*.*.rabbit');
    await inspector.getByRole('button', { name: 'Add binding' }).click();
    await inspector.getByLabel('Bind to').selectOption({ label: 'lazy' });
    await inspector.getByLabel('New binding key').fill('*.*.rabbit');
    await inspector.getByRole('button', { name: 'Add binding' }).click();
    await expect(inspector.getByRole('alert')).toBeVisible();
    await page.screenshot({ path: resolve(screenshots, `panel-exchange-${colorScheme}.png`) });
    expect(errors).toEqual([]);
  });
}
