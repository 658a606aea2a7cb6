/**
 * Helpers for the outcome tests: they act as a person does (palette buttons, dragging between
 * handles, the inspector's fields, the clock bar) and read what the canvas shows (node cards,
 * the message layer's dots and marks). Nothing here injects state.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { openExample, screenshots } from './support';

export type Kind = 'producer' | 'exchange' | 'queue' | 'consumer';

export interface Stage {
  page: Page;
  canvas: Locator;
  inspector: Locator;
}

/** Opens the example (emit_log_topic → topic_logs → orange/lazy → worker-orange/worker-lazy). */
export async function openStage(page: Page): Promise<Stage> {
  const canvas = await openExample(page);
  return { page, canvas, inspector: page.getByRole('region', { name: 'Inspector' }) };
}

/** A node card on the canvas by kind and exact name (the card's name carries its name as title). */
export function node(stage: Stage, kind: Kind, name: string): Locator {
  return stage.canvas.locator(`.svelte-flow__node-${kind}`).filter({ has: stage.page.getByTitle(name, { exact: true }) });
}

export async function idOf(card: Locator): Promise<string> {
  const id = await card.getAttribute('data-id');
  expect(id).toBeTruthy();
  return id!;
}

/** Selects a node by clicking its title, so the inspector shows its fields. */
export async function select(stage: Stage, card: Locator): Promise<void> {
  await card.locator('.titles').click();
  await expect(card).toHaveClass(/selected/);
}

/** Types into an inspector text field and leaves it (Tab), which commits the edit. */
export async function setField(stage: Stage, label: string, value: string): Promise<void> {
  const field = stage.inspector.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Tab');
  await expect(field).toHaveValue(value);
}

export async function choose(stage: Stage, label: string, value: string): Promise<void> {
  const field = stage.inspector.getByLabel(label, { exact: true });
  await field.selectOption(value);
  await expect(field).toHaveValue(value);
}

/** Fits the whole diagram in view (Svelte Flow's control), so every handle can be reached. */
export async function fitView(stage: Stage): Promise<void> {
  await stage.canvas.getByRole('button', { name: 'Fit View' }).click();
  // The fit animates; wait until the nodes stop moving.
  const first = stage.canvas.locator('.svelte-flow__node').first();
  let last = '';
  await expect
    .poll(async () => {
      const box = await first.boundingBox();
      const now = JSON.stringify(box);
      const same = now === last;
      last = now;
      return same;
    }, { intervals: [150, 150, 150, 250] })
    .toBe(true);
}

/**
 * Adds a node with the palette button, names it in the inspector (the new node is selected) and
 * returns its card.
 */
export async function addNamed(stage: Stage, kind: Kind, name: string): Promise<Locator> {
  const before = await stage.canvas.locator(`.svelte-flow__node-${kind}`).count();
  await stage.page.getByRole('button', { name: `Add ${kind}` }).click();
  await expect(stage.canvas.locator(`.svelte-flow__node-${kind}`)).toHaveCount(before + 1);
  const nameField = stage.inspector.getByLabel('Name', { exact: true });
  await expect(nameField).toHaveValue(new RegExp(`^${kind}-\\d+$`));
  await nameField.fill(name);
  await nameField.press('Enter');
  const card = node(stage, kind, name);
  await expect(card).toBeVisible();
  return card;
}

/** Drags from one card's out-port to another's in-port: a link (binding, publish or consume). */
export async function link(stage: Stage, from: Locator, to: Locator): Promise<void> {
  const edges = stage.canvas.locator('.svelte-flow__edge');
  const before = await edges.count();
  await from.locator('.svelte-flow__handle.source').dragTo(to.locator('.svelte-flow__handle.target'));
  await expect(edges).toHaveCount(before + 1);
}

/** Publishes once with the card's own Publish button. */
export async function publish(card: Locator): Promise<void> {
  await card.getByRole('button', { name: 'Publish' }).click();
}

/**
 * The mark the message layer shows at a node with this label (e.g. "unroutable"): its pill, the
 * part that has a size (the mark itself is a zero-size anchor above the node).
 */
export function mark(stage: Stage, nodeId: string, label: string): Locator {
  return stage.canvas.locator(`[data-testid="message-mark"][data-node="${nodeId}"][data-label="${label}"] .pill`);
}

/** Svelte Flow's own "Auto layout" control: arranges the diagram left to right and fits it in view. */
export async function autoLayout(stage: Stage): Promise<void> {
  await stage.canvas.getByRole('button', { name: 'Auto layout' }).click();
  await expect(stage.page.getByRole('status')).toContainText(/Broker running|Auto layout/);
  await fitView(stage);
}

/** A dot travelling from one node to another (optionally with a tone: route, deliver, requeue...). */
export function dot(stage: Stage, from: string, to: string, tone?: string): Locator {
  return stage.canvas.locator(`[data-testid="message-dot"][data-from="${from}"][data-to="${to}"]${tone ? `[data-tone="${tone}"]` : ''}`);
}

/**
 * Watches the page for dots and marks as they appear (they last a few seconds at most), so a
 * test can assert afterwards which ones showed at all. Call before acting; calling again starts
 * a new record (the watcher is installed once).
 */
export async function recordLayer(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __seen?: string[]; __seenKeys?: Set<string>; __watching?: boolean };
    w.__seen = [];
    w.__seenKeys = new Set();
    if (w.__watching) return;
    w.__watching = true;
    const scan = () => {
      for (const el of document.querySelectorAll<HTMLElement>('[data-testid="message-dot"], [data-testid="message-mark"]')) {
        const d = el.dataset;
        const key = d.testid === 'message-dot'
          ? `dot ${d.from}>${d.to} ${d.tone} ${d.edge ?? ''}`
          : `mark ${d.node} ${d.label} ${el.textContent?.replace(/\s+/g, ' ').trim() ?? ''}`;
        if (!w.__seenKeys!.has(key)) {
          w.__seenKeys!.add(key);
          w.__seen!.push(key);
        }
      }
    };
    new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['style'] });
  });
}

/** Waits until no dot is in flight (between two publishes whose dots must not mix). */
export async function settled(stage: Stage): Promise<void> {
  await expect(stage.canvas.getByTestId('message-dot')).toHaveCount(0, { timeout: 20_000 });
}

/** What recordLayer saw: `dot from>to tone edge` and `mark node label text` lines. */
export async function seen(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __seen?: string[] }).__seen ?? []);
}

/** Clicks a clock bar button: Play, Pause, Step or Reset. */
export async function clock(stage: Stage, action: 'Play' | 'Pause' | 'Step' | 'Reset'): Promise<void> {
  await stage.page.getByRole('group', { name: 'Clock' }).getByRole('button', { name: action, exact: true }).click();
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: resolve(screenshots, `${name}.png`) });
}

/** Chooses the theme in the top bar ("Light theme" / "Dark theme"). */
export async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.getByRole('combobox', { name: 'Theme' }).selectOption({ label: theme === 'light' ? 'Light theme' : 'Dark theme' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/** Sets the clock's speed (0.25 makes dots and marks last four times longer). */
export async function speed(stage: Stage, value: '0.25' | '0.5' | '1' | '2' | '4' | '8'): Promise<void> {
  const select = stage.page.getByRole('group', { name: 'Clock' }).getByRole('combobox', { name: 'Speed' });
  await select.selectOption(value);
  await expect(select).toHaveValue(value);
}

/** The screenshot of a moment in both themes: light as it is, then dark, then back to light. */
export async function shotBoth(page: Page, name: string): Promise<void> {
  await useTheme(page, 'light');
  await shot(page, `${name}-light`);
  await useTheme(page, 'dark');
  // Let the page's colour transitions finish (marks last seconds at 0.25×).
  await page.waitForTimeout(300);
  await shot(page, `${name}-dark`);
  await useTheme(page, 'light');
}

/** The ids of the example's nodes. */
export async function exampleIds(stage: Stage) {
  return {
    producer: await idOf(node(stage, 'producer', 'emit_log_topic')),
    exchange: await idOf(node(stage, 'exchange', 'topic_logs')),
    orange: await idOf(node(stage, 'queue', 'orange')),
    lazy: await idOf(node(stage, 'queue', 'lazy')),
    workerOrange: await idOf(node(stage, 'consumer', 'worker-orange')),
    workerLazy: await idOf(node(stage, 'consumer', 'worker-lazy')),
  };
}

/** Stops a consumer with the inspector's Stop button, so its queue keeps what it gets. */
export async function stopConsumer(stage: Stage, card: Locator): Promise<void> {
  await select(stage, card);
  await stage.inspector.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(card.getByTestId('status')).toHaveText('stopped');
}
