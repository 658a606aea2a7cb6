/**
 * Undo and redo of every kind of edit, from the keyboard (Ctrl+Z, Shift+Ctrl+Z) and from the
 * top bar's buttons: each test checks the canvas and the inspector before, after undo and after
 * redo.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, openExample } from './support';

type Via = 'keys' | 'buttons';

async function open(page: Page) {
  const canvas = await openExample(page);
  const inspector = page.getByRole('region', { name: 'Inspector' });
  return { canvas, inspector, nodes: canvas.locator('.svelte-flow__node'), edges: canvas.locator('.svelte-flow__edge') };
}

/** Undoes with Ctrl+Z, or the Undo button; the focus first leaves any field, where Ctrl+Z is the field's own. */
async function undo(page: Page, via: Via, label: string | RegExp): Promise<void> {
  if (via === 'keys') {
    await page.getByRole('region', { name: 'Inspector' }).getByRole('heading', { name: 'Inspector' }).click();
    await page.keyboard.press('Control+z');
  } else {
    await page.getByRole('button', { name: 'Undo' }).click();
  }
  await expect(page.getByRole('status')).toContainText(typeof label === 'string' ? `Undid: ${label}` : label);
}

async function redo(page: Page, via: Via, label: string | RegExp): Promise<void> {
  if (via === 'keys') {
    await page.getByRole('region', { name: 'Inspector' }).getByRole('heading', { name: 'Inspector' }).click();
    await page.keyboard.press('Control+Shift+z');
  } else {
    await page.getByRole('button', { name: 'Redo' }).click();
  }
  await expect(page.getByRole('status')).toContainText(typeof label === 'string' ? `Redid: ${label}` : label);
}

/** A node's position in flow coordinates, from its transform. */
async function position(node: Locator): Promise<{ x: number; y: number }> {
  const transform = await node.evaluate((el) => (el as HTMLElement).style.transform);
  const match = /translate\((-?[\d.]+)px, ?(-?[\d.]+)px\)/.exec(transform);
  if (!match) throw new Error(`no position in '${transform}'`);
  return { x: Number(match[1]), y: Number(match[2]) };
}

for (const via of ['keys', 'buttons'] as const) {
  test(`add, delete and paste nodes, undone and redone (${via})`, async ({ page }) => {
    const errors = collectErrors(page);
    const { canvas, inspector, nodes, edges } = await open(page);

    // Add
    await page.getByRole('button', { name: 'Add queue' }).click();
    await expect(nodes).toHaveCount(7);
    await expect(inspector.getByLabel('Name')).toHaveValue('queue-1');
    await undo(page, via, 'Add queue');
    await expect(nodes).toHaveCount(6);
    await expect(canvas.getByText('queue-1', { exact: true })).toHaveCount(0);
    await expect(inspector).toContainText('Select a node or a binding');
    await redo(page, via, 'Add queue');
    await expect(nodes).toHaveCount(7);
    await expect(canvas.getByText('queue-1', { exact: true })).toBeVisible();

    // Delete (the Delete key on a selected node takes its links with it)
    const lazy = canvas.locator('.svelte-flow__node-queue', { hasText: 'lazy' });
    await lazy.click();
    await expect(inspector.getByLabel('Name')).toHaveValue('lazy');
    await page.keyboard.press('Delete');
    await expect(nodes).toHaveCount(6);
    await expect(edges).toHaveCount(3);
    await expect(inspector).toContainText('Select a node or a binding');
    await undo(page, via, 'Delete');
    await expect(lazy).toBeVisible();
    await expect(edges).toHaveCount(5);
    await redo(page, via, 'Delete');
    await expect(lazy).toHaveCount(0);
    await expect(edges).toHaveCount(3);

    // Paste (Ctrl+C, Ctrl+V of a selected node: the copy is selected)
    await canvas.locator('.svelte-flow__node-queue', { hasText: 'orange' }).click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect(nodes).toHaveCount(7);
    await expect(inspector.getByLabel('Name')).not.toHaveValue('orange');
    const copyName = await inspector.getByLabel('Name').inputValue();
    expect(copyName).toContain('orange');
    await undo(page, via, /Undid: /);
    await expect(nodes).toHaveCount(6);
    await expect(canvas.getByText(copyName, { exact: true })).toHaveCount(0);
    await redo(page, via, /Redid: /);
    await expect(nodes).toHaveCount(7);
    await expect(canvas.getByText(copyName, { exact: true })).toBeVisible();
    expect(errors).toEqual([]);
  });

  test(`move, rename and an argument, undone and redone (${via})`, async ({ page }) => {
    const errors = collectErrors(page);
    const { canvas, inspector } = await open(page);

    // Move: three arrow presses of 10 px are one step.
    const exchange = canvas.locator('.svelte-flow__node-exchange');
    await exchange.click();
    const start = await position(exchange);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => position(exchange)).toEqual({ x: start.x + 30, y: start.y });
    await undo(page, via, 'Move');
    await expect.poll(() => position(exchange)).toEqual(start);
    await redo(page, via, 'Move');
    await expect.poll(() => position(exchange)).toEqual({ x: start.x + 30, y: start.y });

    // Rename
    const name = inspector.getByLabel('Name');
    await canvas.locator('.svelte-flow__node-queue', { hasText: 'lazy' }).click();
    await name.fill('sleepy');
    await name.press('Enter');
    await expect(canvas.getByText('sleepy', { exact: true })).toBeVisible();
    await undo(page, via, "Rename to 'sleepy'");
    await expect(name).toHaveValue('lazy');
    await expect(canvas.getByText('sleepy', { exact: true })).toHaveCount(0);
    await expect(canvas.getByText('lazy', { exact: true })).toBeVisible();
    await redo(page, via, "Rename to 'sleepy'");
    await expect(name).toHaveValue('sleepy');
    await expect(canvas.getByText('sleepy', { exact: true })).toBeVisible();

    // An argument: the message TTL
    const ttl = inspector.getByLabel('Message TTL (ms)');
    await ttl.fill('5000');
    await ttl.press('Tab');
    await expect(ttl).toHaveValue('5000');
    await undo(page, via, 'Change arguments');
    await expect(ttl).toHaveValue('');
    await redo(page, via, 'Change arguments');
    await expect(ttl).toHaveValue('5000');
    expect(errors).toEqual([]);
  });

  test(`bindings: add, change key, remove, undone and redone (${via})`, async ({ page }) => {
    const errors = collectErrors(page);
    const { canvas, inspector, edges } = await open(page);
    const bindings = inspector.getByRole('group', { name: 'Bindings' }).getByRole('listitem');

    // Change a key, from the binding's panel (first: two bindings to one queue draw their labels on one spot)
    await canvas.getByText('lazy.#', { exact: true }).click();
    const key = inspector.getByLabel('Binding key');
    await key.fill('lazy.*');
    await key.press('Tab');
    await expect(canvas.getByText('lazy.*', { exact: true })).toBeVisible();
    await undo(page, via, 'Edit binding');
    await expect(key).toHaveValue('lazy.#');
    await expect(canvas.getByText('lazy.#', { exact: true })).toBeVisible();
    await redo(page, via, 'Edit binding');
    await expect(key).toHaveValue('lazy.*');
    await expect(canvas.getByText('lazy.*', { exact: true })).toBeVisible();

    // Add, from the exchange's panel
    await canvas.locator('.svelte-flow__node-exchange').click();
    await inspector.getByLabel('Bind to').selectOption({ label: 'lazy' });
    await inspector.getByLabel('New binding key').fill('quick.#');
    await inspector.getByRole('button', { name: 'Add binding' }).click();
    await expect(edges).toHaveCount(6);
    await expect(bindings).toHaveCount(3);
    await undo(page, via, 'Add binding');
    await expect(edges).toHaveCount(5);
    await expect(bindings).toHaveCount(2);
    await expect(canvas.getByText('quick.#', { exact: true })).toHaveCount(0);
    await redo(page, via, 'Add binding');
    await expect(edges).toHaveCount(6);
    await expect(bindings).toHaveCount(3);
    await expect(canvas.getByText('quick.#', { exact: true })).toBeVisible();

    // Remove, from the exchange's panel
    await canvas.locator('.svelte-flow__node-exchange').click();
    await inspector.getByRole('button', { name: 'Remove binding to orange with key *.orange.*' }).click();
    await expect(edges).toHaveCount(5);
    await expect(bindings).toHaveCount(2);
    await undo(page, via, 'Delete binding');
    await expect(bindings).toHaveCount(3);
    await expect(canvas.getByText('*.orange.*', { exact: true })).toBeVisible();
    await redo(page, via, 'Delete binding');
    await expect(bindings).toHaveCount(2);
    await expect(canvas.getByText('*.orange.*', { exact: true })).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test(`producer and consumer links, undone and redone (${via})`, async ({ page }) => {
    const errors = collectErrors(page);
    const { canvas, inspector, edges } = await open(page);
    const selected = (select: Locator) => select.locator('option:checked');

    await canvas.locator('.svelte-flow__node-producer').click();
    const publishesTo = inspector.getByLabel('Publishes to');
    await publishesTo.selectOption({ label: 'none' });
    await expect(edges).toHaveCount(4);
    await expect(inspector.getByRole('button', { name: 'Publish' })).toBeDisabled();
    await undo(page, via, 'Unlink producer');
    await expect(edges).toHaveCount(5);
    await expect(selected(publishesTo)).toHaveText('topic_logs');
    await redo(page, via, 'Unlink producer');
    await expect(edges).toHaveCount(4);
    await expect(selected(publishesTo)).toHaveText('none');
    await publishesTo.selectOption({ label: 'queue: lazy' });
    await expect(edges).toHaveCount(5);
    await undo(page, via, 'Link producer');
    await expect(selected(publishesTo)).toHaveText('none');
    await redo(page, via, 'Link producer');
    await expect(selected(publishesTo)).toHaveText('queue: lazy');

    await canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-orange' }).click();
    const consumesFrom = inspector.getByLabel('Consumes from');
    await consumesFrom.selectOption({ label: 'lazy' });
    await expect(selected(consumesFrom)).toHaveText('lazy');
    await undo(page, via, 'Link consumer');
    await expect(selected(consumesFrom)).toHaveText('orange');
    await redo(page, via, 'Link consumer');
    await expect(selected(consumesFrom)).toHaveText('lazy');
    await consumesFrom.selectOption({ label: 'none' });
    await expect(edges).toHaveCount(4);
    await undo(page, via, 'Unlink consumer');
    await expect(edges).toHaveCount(5);
    await expect(inspector.getByRole('button', { name: 'Start' })).toBeEnabled();
    await redo(page, via, 'Unlink consumer');
    await expect(edges).toHaveCount(4);
    await expect(inspector.getByRole('button', { name: 'Start' })).toBeDisabled();
    expect(errors).toEqual([]);
  });
}
