/**
 * The canvas's edges, as a person uses them: a binding's key is its label and edits in place
 * (double-click or Enter, type, Enter; Escape cancels; a refusal shows beside it), a headers
 * binding's label shows and edits its arguments, and a queue's dead-letter exchange or an
 * exchange's alternate exchange is drawn as a dashed edge that Delete removes (Ctrl+Z restores).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, openExample, screenshots } from './support';

async function open(page: Page) {
  const canvas = await openExample(page);
  const inspector = page.getByRole('region', { name: 'Inspector' });
  const publishOnCanvas = canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' });
  return { canvas, inspector, publishOnCanvas };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A binding's label on the canvas, found as a screen reader finds it. */
function bindingLabel(canvas: Locator, key: string, to: string): Locator {
  return canvas.getByRole('button', { name: new RegExp(`^Binding key ${escapeRegExp(key)} from topic_logs to ${to}, press Enter to edit$`) });
}

function queueNode(canvas: Locator, name: string): Locator {
  return canvas.locator('.svelte-flow__node-queue', { hasText: name });
}

/** Takes the keyboard off any field, so Ctrl+Z is the page's undo. */
async function leaveFields(page: Page): Promise<void> {
  await page.getByRole('region', { name: 'Inspector' }).getByRole('heading', { name: 'Inspector' }).click();
}

/** Types into an inspector field and presses Enter (the field commits on change). */
async function setField(inspector: Locator, label: string, value: string): Promise<void> {
  const field = inspector.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
}

/** The page and a close-up of the canvas, in the light theme and the dark one. */
async function shoot(page: Page, canvas: Locator, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: resolve(screenshots, `${name}-${scheme}.png`) });
    await canvas.screenshot({ path: resolve(screenshots, `${name}-canvas-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Adds an exchange from the palette and names it. */
async function addExchange(page: Page, inspector: Locator, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Add exchange' }).click();
  await setField(inspector, 'Name', name);
  await expect(page.getByRole('main', { name: 'Topology' }).locator('.svelte-flow__node-exchange', { hasText: name })).toBeVisible();
}

test('a binding key edits in place: double-click, type, Enter; routing follows and Ctrl+Z restores it', async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas, inspector, publishOnCanvas } = await open(page);
  const workerLazy = canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-lazy' });

  // quick.orange.rabbit does not match lazy.#: the lazy worker gets nothing.
  await publishOnCanvas.click();
  await expect(canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-orange' }).getByTestId('delivered')).toHaveText('1');
  await expect(workerLazy.getByTestId('delivered')).toHaveText('0');

  const lazy = bindingLabel(canvas, 'lazy.#', 'lazy');
  await expect(lazy).toHaveText('lazy.#');
  await lazy.dblclick();
  const input = canvas.getByRole('textbox', { name: 'Binding key' });
  await expect(input).toBeFocused();
  await expect(input).toHaveValue('lazy.#');
  await input.fill('#.rabbit');
  await input.press('Enter');

  const rabbit = bindingLabel(canvas, '#.rabbit', 'lazy');
  await expect(rabbit).toHaveText('#.rabbit');
  await expect(rabbit).toBeFocused();
  await expect(input).toHaveCount(0);

  // Now the lazy queue takes quick.orange.rabbit too.
  await publishOnCanvas.click();
  await expect(workerLazy.getByTestId('delivered')).toHaveText('1');
  await expect(queueNode(canvas, 'lazy').getByTestId('unacked')).toHaveText('1');

  // The label selects its binding: the inspector shows the new key.
  await rabbit.click();
  await expect(inspector.getByLabel('Binding key')).toHaveValue('#.rabbit');

  await leaveFields(page);
  await page.keyboard.press('Control+z');
  await expect(page.getByRole('status')).toContainText('Undid: Edit binding');
  await expect(bindingLabel(canvas, 'lazy.#', 'lazy')).toHaveText('lazy.#');
  await publishOnCanvas.click();
  await expect(canvas.locator('.svelte-flow__node-producer').getByTestId('published')).toHaveText('3');
  // (The clock is paused: worker-orange holds its first message, the next two wait in orange.)
  await expect(queueNode(canvas, 'orange').getByTestId('ready')).toHaveText('2');
  await expect(queueNode(canvas, 'lazy').getByTestId('ready')).toHaveText('0');
  await expect(workerLazy.getByTestId('delivered')).toHaveText('1');
  expect(errors).toEqual([]);
});

test('from the keyboard: Enter edits the focused label, Escape cancels, a refused key is shown and the old one stays', async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas } = await open(page);
  const orange = bindingLabel(canvas, '*.orange.*', 'orange');
  const input = canvas.getByRole('textbox', { name: 'Binding key' });

  await orange.focus();
  await page.keyboard.press('Enter');
  await expect(input).toBeFocused();
  await expect(input).toHaveValue('*.orange.*');
  await page.keyboard.type('.nothing');
  await page.keyboard.press('Escape');
  await expect(input).toHaveCount(0);
  await expect(orange).toHaveText('*.orange.*');
  await expect(orange).toBeFocused();

  // A key longer than an AMQP short string is refused: the reason shows beside the label.
  await page.keyboard.press('Enter');
  await input.fill('k'.repeat(256));
  await input.press('Enter');
  const refusal = canvas.getByRole('alert');
  await expect(refusal).toContainText('at most 255 bytes');
  await expect(orange).toHaveText('*.orange.*');

  // An empty key is shown, not hidden.
  await orange.dblclick();
  await input.fill('');
  await input.press('Enter');
  const empty = canvas.getByRole('button', { name: 'Binding key "" (empty) from topic_logs to orange, press Enter to edit' });
  await expect(empty).toHaveText('""');
  await expect(refusal).toHaveCount(0);

  // Leaving the field (blur) commits too.
  await empty.dblclick();
  await input.fill('*.orange.*');
  await canvas.locator('.svelte-flow__pane').click({ position: { x: 30, y: 30 } });
  await expect(orange).toHaveText('*.orange.*');
  expect(errors).toEqual([]);
});

test('a headers binding shows its arguments on the edge and edits them in place', async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas, inspector } = await open(page);
  await canvas.locator('.svelte-flow__node-exchange').click();
  await inspector.getByLabel('Type', { exact: true }).selectOption('headers');

  const label = canvas.getByRole('button', { name: /^Binding arguments all: \(no headers\) from topic_logs to orange, press Enter to edit$/ });
  await expect(label).toHaveText('all: (no headers)');
  await label.dblclick();
  const editor = canvas.getByRole('group', { name: /^Edit Binding arguments all: \(no headers\) from topic_logs to orange/ });
  await editor.getByLabel('x-match').selectOption('any');
  await editor.getByLabel('Header 1 name').fill('format');
  await editor.getByLabel('Header 1 value').fill('pdf');
  await editor.getByLabel('Header 2 name').fill('pages');
  await editor.getByLabel('Header 2 value').fill('12');
  await editor.getByLabel('Header 3 name').fill('note');
  await editor.getByLabel('Header 3 value').fill('<b>bold</b>');
  await shoot(page, canvas, 'edges-headers-editor');
  await editor.getByLabel('Header 3 value').press('Enter');
  await expect(editor).toHaveCount(0);

  const edited = canvas.getByRole('button', { name: /^Binding arguments any: format=pdf, pages=12, note=<b>bold<\/b> from topic_logs to orange/ });
  await expect(edited).toHaveText('any: format=pdf, pages=12, note=<b>bold</b>');
  // User text is text: no element was made of it.
  await expect(edited.locator('b')).toHaveCount(0);

  await shoot(page, canvas, 'edges-headers');
  await edited.click();
  await expect(inspector.getByLabel('x-match')).toHaveValue('any');
  await expect(inspector.getByLabel('Header 1 name')).toHaveValue('format');
  await expect(inspector.getByLabel('Header 2 value')).toHaveValue('12');

  // Two headers of one name are refused in the editor, which stays open; Escape leaves it unchanged.
  await edited.dblclick();
  const again = canvas.getByRole('group', { name: /^Edit Binding arguments any:/ });
  await again.getByLabel('Header 2 name').fill('format');
  await again.getByLabel('Header 2 name').press('Enter');
  await expect(again.getByRole('alert')).toContainText("the header 'format' is there twice");
  await again.getByLabel('Header 2 name').press('Escape');
  await expect(again).toHaveCount(0);
  await expect(edited).toHaveText('any: format=pdf, pages=12, note=<b>bold</b>');

  await leaveFields(page);
  await page.keyboard.press('Control+z');
  await expect(canvas.getByRole('button', { name: /^Binding arguments all: \(no headers\) from topic_logs to orange/ })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a dead-letter exchange and an alternate exchange are dashed edges; Delete removes them, Ctrl+Z restores', async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas, inspector } = await open(page);
  await addExchange(page, inspector, 'dlx');

  await queueNode(canvas, 'lazy').click();
  await setField(inspector, 'Dead-letter exchange', 'dlx');
  const deadLetter = canvas.locator('.svelte-flow__edge.edge-dead-letter');
  await expect(deadLetter).toHaveCount(1);
  const dash = await deadLetter.locator('path.svelte-flow__edge-path').evaluate((p) => getComputedStyle(p).strokeDasharray);
  expect(dash).not.toBe('none');
  const label = canvas.getByTestId('relation-label').filter({ hasText: 'dead letters' });
  await expect(label).toHaveText('dead letters');
  await setField(inspector, 'Dead-letter routing key', 'failed');
  await expect(label).toHaveText('dead letters (key failed)');

  // The exchange's alternate is drawn in its own colour.
  await canvas.locator('.svelte-flow__node-exchange', { hasText: 'topic_logs' }).click();
  await setField(inspector, 'Alternate exchange', 'dlx');
  const alternate = canvas.locator('.svelte-flow__edge.edge-alternate');
  await expect(alternate).toHaveCount(1);
  await expect(canvas.getByTestId('relation-label').filter({ hasText: 'alternate' })).toBeVisible();
  const colours = await page.evaluate(() => {
    const stroke = (selector: string) => getComputedStyle(document.querySelector(`${selector} path.svelte-flow__edge-path`)!).stroke;
    return { dead: stroke('.edge-dead-letter'), alternate: stroke('.edge-alternate'), binding: stroke('.edge-binding') };
  });
  expect(new Set(Object.values(colours)).size).toBe(3);

  await leaveFields(page);
  await shoot(page, canvas, 'edges-relations');

  // Selecting the dashed edge shows the queue that holds the argument; Delete removes the argument.
  await label.click();
  await expect(inspector.getByLabel('Name', { exact: true })).toHaveValue('lazy');
  await expect(inspector.getByLabel('Dead-letter exchange')).toHaveValue('dlx');
  await page.keyboard.press('Delete');
  await expect(deadLetter).toHaveCount(0);
  await queueNode(canvas, 'lazy').click();
  await expect(inspector.getByLabel('Dead-letter exchange')).toHaveValue('');
  // Only the exchange's name went: the routing key stays.
  await expect(inspector.getByLabel('Dead-letter routing key')).toHaveValue('failed');

  await leaveFields(page);
  await page.keyboard.press('Control+z');
  await expect(deadLetter).toHaveCount(1);
  await queueNode(canvas, 'lazy').click();
  await expect(inspector.getByLabel('Dead-letter exchange')).toHaveValue('dlx');

  // The alternate edge deletes the same way.
  await canvas.getByTestId('relation-label').filter({ hasText: 'alternate' }).click();
  await page.keyboard.press('Delete');
  await expect(alternate).toHaveCount(0);
  await canvas.locator('.svelte-flow__node-exchange', { hasText: 'topic_logs' }).click();
  await expect(inspector.getByLabel('Alternate exchange')).toHaveValue('');

  // Naming an exchange that is not drawn draws nothing.
  await queueNode(canvas, 'lazy').click();
  await setField(inspector, 'Dead-letter exchange', 'elsewhere');
  await expect(deadLetter).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('dots follow the custom binding edges, and a dead-lettered message travels the dashed edge', async ({ page }) => {
  const errors = collectErrors(page);
  const { canvas, inspector, publishOnCanvas } = await open(page);
  await addExchange(page, inspector, 'dlx');
  await queueNode(canvas, 'lazy').click();
  await setField(inspector, 'Dead-letter exchange', 'dlx');
  await setField(inspector, 'Max length', '0');
  const lazyId = await queueNode(canvas, 'lazy').getAttribute('data-id');
  // Nobody consumes lazy: a full queue of length 0 dead-letters what arrives.
  await canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-lazy' }).click();
  await page.keyboard.press('Delete');
  await expect(canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-lazy' })).toHaveCount(0);

  // The paths the animation follows are found by edge id, as MessageLayer looks for them.
  const bindingIds = await canvas.locator('.svelte-flow__edge.edge-binding').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-id')!));
  expect(bindingIds).toHaveLength(2);
  for (const id of [...bindingIds, `dead-letter:${lazyId}`]) {
    await expect(canvas.locator(`.svelte-flow__edge[data-id="${id}"] path.svelte-flow__edge-path`)).toHaveCount(1);
  }

  const seen = new Set<string>();
  await page.exposeFunction('sawDot', (edge: string) => seen.add(edge));
  await page.evaluate(() => {
    new MutationObserver(() => {
      for (const dot of document.querySelectorAll('[data-testid="message-dot"]')) {
        (window as unknown as { sawDot: (edge: string) => void }).sawDot(`${dot.getAttribute('data-tone')}@${dot.getAttribute('data-edge')}`);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });

  await canvas.locator('.svelte-flow__node-producer').click();
  await setField(inspector, 'Routing key', 'lazy.orange.x');
  await publishOnCanvas.click();
  await expect(canvas.getByTestId('message-mark').filter({ hasText: 'dead-lettered' }).locator('.pill').first()).toBeVisible();
  await expect.poll(() => [...seen].sort()).toEqual(expect.arrayContaining([
    `route@${bindingIds[0]}`,
    `route@${bindingIds[1]}`,
    `dead-letter@dead-letter:${lazyId}`,
  ]));
  expect(errors).toEqual([]);
});
