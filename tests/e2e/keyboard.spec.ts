/**
 * Keyboard only: a person who uses no mouse adds nodes from the palette, names and links them in
 * the inspector, publishes with Enter and plays the clock. Every action here is a key press.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, openExample } from './support';

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails if it never gets it. */
async function tabTo(page: Page, target: Locator, options: { back?: boolean; max?: number } = {}): Promise<number> {
  const max = options.max ?? 120;
  // Mark the target once, then ask the page only "is the focus there?" after each press.
  await target.evaluate((el) => el.setAttribute('data-tab-target', ''));
  try {
    for (let presses = 0; presses <= max; presses++) {
      if (await page.evaluate(() => document.activeElement?.hasAttribute('data-tab-target') ?? false)) return presses;
      await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    }
  } finally {
    await target.evaluate((el) => el.removeAttribute('data-tab-target')).catch(() => {});
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/** Replaces a focused text field's text and commits it with `commit` (Enter or Tab). */
async function retype(page: Page, text: string, commit: 'Enter' | 'Tab' = 'Enter'): Promise<void> {
  await page.keyboard.press('Control+a');
  await page.keyboard.type(text);
  await page.keyboard.press(commit);
}

test('a diagram built with the keyboard alone routes a message to its consumer', async ({ page }) => {
  // Tabbing across a whole canvas, key by key, takes a while.
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  const canvas = await openExample(page);
  const inspector = page.getByRole('region', { name: 'Inspector' });
  const palette = page.getByRole('complementary', { name: 'Palette' });
  const name = inspector.getByLabel('Name');
  const node = (kind: string, text: string) => canvas.locator(`.svelte-flow__node-${kind}`, { hasText: text });

  /** Adds a node from the palette with Enter, then names it in the inspector. */
  async function addAndName(kind: string, newName: string, commit: 'Enter' | 'Tab'): Promise<void> {
    const button = palette.getByRole('button', { name: `Add ${kind}` });
    await tabTo(page, button, { back: true });
    await page.keyboard.press('Enter');
    await expect(inspector.locator('.kind')).toHaveText(kind);
    // Added from the keyboard, the new node's first field has the focus.
    await expect(name).toBeFocused();
    await retype(page, newName, commit);
    await expect(node(kind, newName)).toBeVisible();
    await expect(name).toHaveValue(newName);
  }

  await addAndName('producer', 'kb-producer', 'Enter');
  await addAndName('exchange', 'kb-exchange', 'Tab');
  // Tab went on to "Type": arrows choose another type.
  await expect(inspector.getByLabel('Type')).toBeFocused();

  // Bind the exchange to a queue made next: first the queue.
  await addAndName('queue', 'kb-queue', 'Enter');

  // The consumer reads kb-queue ("Consumes from": typing picks the option).
  await addAndName('consumer', 'kb-consumer', 'Enter');
  await tabTo(page, inspector.getByLabel('Consumes from'));
  await page.keyboard.type('kb');
  await expect(inspector.getByLabel('Consumes from').locator('option:checked')).toHaveText('kb-queue');

  // Select the exchange on the canvas: Tab to its node, Enter selects it.
  await tabTo(page, node('exchange', 'kb-exchange'), { back: true });
  await page.keyboard.press('Enter');
  await expect(name).toHaveValue('kb-exchange');
  await tabTo(page, inspector.getByLabel('Bind to'));
  await page.keyboard.type('kb');
  await expect(inspector.getByLabel('Bind to').locator('option:checked')).toHaveText('kb-queue');
  await page.keyboard.press('Tab');
  await expect(inspector.getByLabel('New binding key')).toBeFocused();
  await page.keyboard.type('kb.#');
  await page.keyboard.press('Tab');
  await expect(inspector.getByRole('button', { name: 'Add binding' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(inspector.getByRole('group', { name: 'Bindings' }).getByRole('listitem')).toHaveText([/kb-queue\s*kb\.#/]);
  await expect(canvas.getByText('kb.#', { exact: true })).toBeVisible();

  // The producer publishes to kb-exchange, with Enter in its routing key.
  await tabTo(page, node('producer', 'kb-producer'), { back: true });
  await page.keyboard.press('Enter');
  await expect(name).toHaveValue('kb-producer');
  await tabTo(page, inspector.getByLabel('Publishes to'));
  await page.keyboard.type('kb');
  await expect(inspector.getByLabel('Publishes to').locator('option:checked')).toHaveText('kb-exchange');
  await page.keyboard.press('Tab');
  await expect(inspector.getByLabel('Routing key')).toBeFocused();
  await page.keyboard.type('kb.hello');
  await page.keyboard.press('Enter');

  const queue = node('queue', 'kb-queue');
  const consumer = node('consumer', 'kb-consumer');
  await expect(node('producer', 'kb-producer').getByTestId('published')).toHaveText('1');
  await expect(consumer.getByTestId('delivered')).toHaveText('1');
  await expect(queue.getByTestId('unacked')).toHaveText('1');
  await expect(consumer.getByTestId('acked')).toHaveText('0');

  // Play the clock from the keyboard: the consumer's work finishes and it acks.
  const clock = page.getByRole('group', { name: 'Clock' });
  await tabTo(page, clock.getByRole('button', { name: 'Play' }), { back: true });
  await page.keyboard.press('Enter');
  await expect(consumer.getByTestId('acked')).toHaveText('1', { timeout: 15_000 });
  await expect(queue.getByTestId('unacked')).toHaveText('0');
  await expect(clock.getByRole('button', { name: 'Pause' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(clock.getByRole('button', { name: 'Play' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('Tab walks every control of each panel in order, and reaches the hidden properties', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = collectErrors(page);
  const canvas = await openExample(page);
  const inspector = page.getByRole('region', { name: 'Inspector' });

  /** The accessible names of the inspector's controls as Tab meets them, from its first field on. */
  async function tabWalk(first: Locator, back = false): Promise<string[]> {
    await tabTo(page, first, { back });
    const names: string[] = [];
    for (let i = 0; i < 60; i++) {
      const here = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || !el.closest('[aria-label="Inspector"]')) return null;
        const label = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ?? el.textContent;
        return (label ?? '').trim().replace(/\s+/g, ' ');
      });
      if (here === null) break;
      names.push(here);
      await page.keyboard.press('Tab');
    }
    return names;
  }

  await tabTo(page, canvas.locator('.svelte-flow__node-exchange'), { back: true });
  await page.keyboard.press('Enter');
  expect(await tabWalk(inspector.getByLabel('Name'))).toEqual([
    'Name', 'Type', 'Durable', 'Auto-delete', 'Internal', 'Alternate exchange',
    'Remove binding to orange with key *.orange.*', 'Remove binding to lazy with key lazy.#',
    'Bind to', 'New binding key', 'Add binding',
  ]);

  await tabTo(page, canvas.locator('.svelte-flow__node-queue', { hasText: 'orange' }), { back: true });
  await page.keyboard.press('Enter');
  expect(await tabWalk(inspector.getByLabel('Name'))).toEqual([
    'Name', 'Queue type', 'Durable', 'Exclusive', 'Auto-delete', 'Message TTL (ms)', 'Max length', 'Overflow',
    'Dead-letter exchange', 'Dead-letter routing key', 'Max priority',
  ]);

  await tabTo(page, canvas.locator('.svelte-flow__node-consumer', { hasText: 'worker-orange' }), { back: true });
  await page.keyboard.press('Enter');
  expect(await tabWalk(inspector.getByLabel('Name'))).toEqual([
    'Name', 'Consumes from', 'Prefetch', 'Acks', 'Work per message (ms)', 'Failure rate (0–1)', 'On failure', 'Replies with', 'Start', 'Stop', 'Crash',
  ]);

  await tabTo(page, canvas.locator('.svelte-flow__node-producer'), { back: true });
  await page.keyboard.press('Enter');
  const closed = ['Name', 'Publishes to', 'Routing key', 'Body', 'Persistent', 'Mandatory', 'Expiration (ms)', 'Priority', 'More properties', 'Mode', 'Publish'];
  expect(await tabWalk(inspector.getByLabel('Name'))).toEqual(closed);
  // Enter on "More properties" opens it: its fields join the walk, in place.
  await tabTo(page, inspector.getByText('More properties'), { back: true });
  await page.keyboard.press('Enter');
  expect(await tabWalk(inspector.getByLabel('Name'), true)).toEqual([
    ...closed.slice(0, 9),
    'CC (comma-separated keys)', 'BCC (comma-separated keys)', 'Reply to', 'Correlation id', 'Message id',
    'New message header key', 'New message header value', 'Add message header',
    ...closed.slice(9),
  ]);
  expect(errors).toEqual([]);
});

