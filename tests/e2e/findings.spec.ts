/**
 * The Findings tab of the drawer under the canvas, as a person uses it: they build or change a
 * diagram with the palette, the inspector and the binding labels, open the tab, and read each
 * finding: its severity, message and example key. They check the flags on binding labels and the
 * "N findings" notes on node cards, and use Show to select what a finding is about. There is at
 * least one finding from each lint family (duplicate, overlap, covers, pattern, headers,
 * topology, loop). There is one keyboard-only test, and one that takes screenshots in both themes.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, screenshots } from './support';
import { addNamed, autoLayout, choose, fitView, link, node, openStage, select, setField, shot, shotBoth, useTheme, type Stage } from './outcomes-support';

test.describe.configure({ timeout: 45_000 });

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function drawerOf(page: Page): Locator {
  return page.getByRole('region', { name: 'Explanations' });
}

function findingsTab(page: Page): Locator {
  return drawerOf(page).getByRole('tab', { name: /^Findings/ });
}

/** Opens the Findings tab with a click (unless it is already open). */
async function openFindings(page: Page): Promise<Locator> {
  const tab = findingsTab(page);
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  const panel = drawerOf(page).getByRole('tabpanel');
  await expect(panel).toBeVisible();
  return panel;
}

/** The one finding in the list whose text contains `fragment`. */
function findingIn(panel: Locator, fragment: string): Locator {
  return panel.locator('li.finding').filter({ hasText: fragment });
}

interface Expected {
  severity: 'Error' | 'Warning' | 'Note';
  /** Parts of the message, each checked. */
  message: string[];
  /** The example line, when the finding has an example key. */
  example?: string;
}

/** Checks one finding: found by its first message part, exactly once, with its severity, parts and example. */
async function expectFinding(panel: Locator, expected: Expected): Promise<Locator> {
  const item = findingIn(panel, expected.message[0]!);
  await expect(item).toHaveCount(1);
  await expect(item.locator('.sev')).toHaveText(expected.severity);
  for (const part of expected.message) await expect(item.locator('.text')).toContainText(part);
  if (expected.example === undefined) await expect(item.locator('.example')).toHaveCount(0);
  else await expect(item.locator('.example')).toHaveText(expected.example);
  await expect(item.getByRole('button', { name: /^Show on canvas: / })).toBeVisible();
  return item;
}

/** A binding's label on the canvas by its key and queue, as a screen reader names it (source topic_logs). */
function bindingLabel(stage: Stage, key: string, to: string): Locator {
  return stage.canvas.getByRole('button', { name: new RegExp(`^Binding key ${escapeRegExp(key)} from topic_logs to ${escapeRegExp(to)}(, .*)?, press Enter to edit$`) });
}

/** Edits a binding's key in place: double-click the label, type, Enter. */
async function editKey(stage: Stage, key: string, to: string, next: string): Promise<void> {
  await bindingLabel(stage, key, to).dblclick();
  const input = stage.canvas.getByRole('textbox', { name: 'Binding key' });
  await expect(input).toBeFocused();
  await input.fill(next);
  await input.press('Enter');
  await expect(input).toHaveCount(0);
  await expect(bindingLabel(stage, next, to)).toBeVisible();
}

/** Adds a binding from the selected exchange with the inspector's "Bind to" row. */
async function bindInInspector(stage: Stage, to: string, key: string): Promise<void> {
  await stage.inspector.getByLabel('Bind to', { exact: true }).selectOption({ label: to });
  await stage.inspector.getByLabel('New binding key', { exact: true }).fill(key);
  await stage.inspector.getByRole('button', { name: 'Add binding', exact: true }).click();
  await expect(stage.inspector.getByLabel('New binding key', { exact: true })).toHaveValue('');
}

/** The small flag beside (or in) a binding's label: "!" for errors and warnings, "i" for notes. */
function flagOf(label: Locator): Locator {
  return label.locator('xpath=..').locator('.flag');
}

/**
 * A binding label's findings as a person meets them: the flag's symbol and tone, and each
 * finding's message in what a screen reader reads after the label's name (its description).
 */
async function expectLabelFindings(label: Locator, severity: 'error' | 'warning' | 'info', messages: string[]): Promise<void> {
  await expect(flagOf(label)).toHaveText(severity === 'info' ? 'i' : '!');
  await expect(flagOf(label)).toHaveClass(new RegExp(`\\bflag-${severity}\\b`));
  for (const message of messages) await expect(label).toHaveAccessibleDescription(new RegExp(escapeRegExp(message)));
}

/** The "N finding(s)" note at a node card's foot. */
function cardNote(card: Locator): Locator {
  return card.locator('.note');
}

test('overlap: the example’s two topic bindings share "lazy.orange.x"; the badge, the flags, Show and folding', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  // In the dark theme (the other tests run in the system's, light): it must all work there too.
  await useTheme(page, 'dark');
  const tab = findingsTab(page);
  await expect(tab).toHaveAccessibleName('Findings 1');
  const panel = await openFindings(page);
  await expect(panel.locator('li.finding')).toHaveCount(1);
  const overlap = await expectFinding(panel, {
    severity: 'Note',
    message: [
      'On exchange "topic_logs", routing key "lazy.orange.x" matches both "*.orange.*" (to queue "orange") and "lazy.#" (to queue "lazy"), so such messages go to both.',
    ],
    example: 'Example key "lazy.orange.x": matched by both bindings.',
  });

  // Both bindings carry a note's flag ("i") and say so to a screen reader; a note alone puts no
  // "N findings" on the cards.
  const orangeKey = bindingLabel(stage, '*.orange.*', 'orange');
  const lazyKey = bindingLabel(stage, 'lazy.#', 'lazy');
  for (const label of [orangeKey, lazyKey]) await expectLabelFindings(label, 'info', ['routing key "lazy.orange.x" matches both']);
  for (const queue of ['orange', 'lazy']) await expect(cardNote(node(stage, 'queue', queue))).toHaveCount(0);
  await expect(cardNote(node(stage, 'exchange', 'topic_logs'))).toHaveCount(0);

  // Show selects the two bindings, their queues and the exchange, and nothing else.
  await overlap.getByRole('button', { name: /^Show on canvas: On exchange "topic_logs"/ }).click();
  await expect(orangeKey).toHaveClass(/\bselected\b/);
  await expect(lazyKey).toHaveClass(/\bselected\b/);
  for (const card of [node(stage, 'queue', 'orange'), node(stage, 'queue', 'lazy'), node(stage, 'exchange', 'topic_logs')]) {
    await expect(card).toHaveClass(/\bselected\b/);
  }
  await expect(node(stage, 'producer', 'emit_log_topic')).not.toHaveClass(/\bselected\b/);
  await expect(node(stage, 'consumer', 'worker-orange')).not.toHaveClass(/\bselected\b/);

  // Clicking the open tab again folds the drawer.
  await tab.click();
  await expect(drawerOf(page).getByRole('tabpanel')).toHaveCount(0);
  await expect(tab).toHaveAttribute('aria-selected', 'false');
  await expect(tab).toHaveAccessibleName('Findings 1');
  expect(errors).toEqual([]);
});

test('duplicate and pattern: "lazy.#.#" beside "lazy.#" to one queue is redundant, and "#.#" counts twice', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  const panel = await openFindings(page);
  await select(stage, node(stage, 'exchange', 'topic_logs'));
  await bindInInspector(stage, 'lazy', 'lazy.#.#');
  await expect(bindingLabel(stage, 'lazy.#.#', 'lazy')).toBeVisible();

  await expectFinding(panel, {
    severity: 'Warning',
    message: ['On exchange "topic_logs", keys "lazy.#" and "lazy.#.#" (both to queue "lazy") match exactly the same routing keys: one of the two bindings is redundant.'],
    example: 'Example key "lazy": matched by both bindings.',
  });
  await expectFinding(panel, {
    severity: 'Warning',
    message: [
      'Binding key "lazy.#.#" (exchange "topic_logs" to queue "lazy") has adjacent "#" words',
      'so it matches exactly what "lazy.#" matches. It still counts twice toward RabbitMQ\'s limit of two "#" per key.',
    ],
  });
  // The new binding: a duplicate, a pattern and an overlap with "*.orange.*": warnings, so "!".
  const doubled = bindingLabel(stage, 'lazy.#.#', 'lazy');
  await expectLabelFindings(doubled, 'warning', [
    'keys "lazy.#" and "lazy.#.#" (both to queue "lazy") match exactly the same routing keys',
    'has adjacent "#" words',
    'matches both "*.orange.*" (to queue "orange") and "lazy.#.#" (to queue "lazy")',
  ]);
  // The lazy queue's card counts what it is in: two overlaps, the duplicate, the pattern.
  await expect(cardNote(node(stage, 'queue', 'lazy'))).toHaveText('2 findings');
  await expect(findingsTab(page)).toHaveAccessibleName('Findings 4');
  expect(errors).toEqual([]);
});

test('duplicate (fanout) and pattern: a fanout binding one queue twice with different keys', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  const exchange = node(stage, 'exchange', 'topic_logs');
  await select(stage, exchange);
  await choose(stage, 'Type', 'fanout');
  await expect(exchange.getByTestId('exchange-type')).toHaveText('fanout');
  await bindInInspector(stage, 'orange', 'again');
  const panel = await openFindings(page);

  await expectFinding(panel, {
    severity: 'Warning',
    message: [
      'Fanout exchange "topic_logs" binds queue "orange" twice (key "*.orange.*"; key "again")',
      'a fanout exchange ignores binding keys and arguments: these bindings route exactly the same messages, so all but one add nothing.',
    ],
  });
  await expectFinding(panel, {
    severity: 'Note',
    message: ['Fanout exchange "topic_logs" ignores binding keys: its binding to queue "orange" with key "again" gets every message, whatever its routing key.'],
  });
  await expectFinding(panel, {
    severity: 'Note',
    message: ['its binding to queue "lazy" with key "lazy.#" gets every message'],
  });
  await expect(panel.locator('li.finding')).toHaveCount(4);
  // Warnings come first.
  await expect(panel.locator('li.finding .sev').first()).toHaveText('Warning');
  await expect(cardNote(node(stage, 'queue', 'orange'))).toHaveText('1 finding');
  await expect(cardNote(node(stage, 'queue', 'lazy'))).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('covers: "lazy.*" to orange, edited on its label, is covered by "lazy.#" to lazy', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  const panel = await openFindings(page);
  await expect(findingIn(panel, 'routing key "lazy.orange.x" matches both')).toHaveCount(1);
  await editKey(stage, '*.orange.*', 'orange', 'lazy.*');

  await expectFinding(panel, {
    severity: 'Note',
    message: [
      'On exchange "topic_logs", every routing key that matches "lazy.*" (to queue "orange") also matches "lazy.#" (to queue "lazy"), so those messages go to both',
      '(not the other way: "lazy" matches only "lazy.#").',
    ],
    example: 'Example key "lazy.x": matched by both bindings.',
  });
  // Covers wins over overlap: the old overlap is gone.
  await expect(findingIn(panel, 'matches both')).toHaveCount(0);
  await expect(panel.locator('li.finding')).toHaveCount(1);
  await expectLabelFindings(bindingLabel(stage, 'lazy.*', 'orange'), 'info', ['every routing key that matches "lazy.*"']);
  expect(errors).toEqual([]);
});

test('pattern: a direct exchange takes "*" and "#" literally, an empty word is a stray ".", more than two "#" is refused', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  const exchange = node(stage, 'exchange', 'topic_logs');
  await select(stage, exchange);
  await choose(stage, 'Type', 'direct');
  const panel = await openFindings(page);

  await expectFinding(panel, {
    severity: 'Warning',
    message: [
      'Direct exchange "topic_logs" compares binding key "*.orange.*" (to queue "orange") literally',
      'only the routing key "*.orange.*" does. "*" and "#" are wildcards on topic exchanges only.',
    ],
    example: 'Example key "x.orange.x": missed by 1 binding.',
  });
  await expectFinding(panel, {
    severity: 'Warning',
    message: ['Direct exchange "topic_logs" compares binding key "lazy.#" (to queue "lazy") literally'],
    example: 'Example key "lazy": missed by 1 binding.',
  });
  await expectLabelFindings(bindingLabel(stage, 'lazy.#', 'lazy'), 'warning', ['compares binding key "lazy.#" (to queue "lazy") literally']);
  await expect(cardNote(exchange)).toHaveText('2 findings');
  await expect(cardNote(node(stage, 'queue', 'orange'))).toHaveText('1 finding');

  // Back to topic, and a stray "." in a key.
  await select(stage, exchange);
  await choose(stage, 'Type', 'topic');
  await expect(findingIn(panel, 'literally')).toHaveCount(0);
  await editKey(stage, 'lazy.#', 'lazy', 'lazy..#');
  await expectFinding(panel, {
    severity: 'Warning',
    message: [
      'Binding key "lazy..#" (exchange "topic_logs" to queue "lazy") has an empty word, which matches only an empty word in the routing key: "lazy" does not match it',
      'Empty words are allowed, but usually a stray ".".',
    ],
    example: 'Example key "lazy": missed by 1 binding.',
  });

  // More than two "#" is refused by RabbitMQ itself: an error, flagged in the error's tone.
  await editKey(stage, '*.orange.*', 'orange', '#.a.#.b.#');
  await expectFinding(panel, {
    severity: 'Error',
    message: ['RabbitMQ 4.3.6 refuses this binding of exchange "topic_logs" to queue "orange". Topic binding key \'#.a.#.b.#\' uses 3 \'#\' wildcards, at most 2 are allowed.'],
  });
  await expect(panel.locator('li.finding .sev').first()).toHaveText('Error');
  await expect(findingsTab(page).locator('.count')).toHaveClass(/sev-error/);
  await expectLabelFindings(bindingLabel(stage, '#.a.#.b.#', 'orange'), 'error', ["Topic binding key '#.a.#.b.#' uses 3 '#' wildcards"]);
  await expect(cardNote(node(stage, 'queue', 'orange'))).toHaveText('1 finding');
  expect(errors).toEqual([]);
});

test('headers: no header keys matches every message under all; only "x-" keys match none under any', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await select(stage, node(stage, 'exchange', 'topic_logs'));
  await choose(stage, 'Type', 'headers');
  const panel = await openFindings(page);
  await expectFinding(panel, {
    severity: 'Warning',
    message: ['The binding of headers exchange "topic_logs" to queue "orange" has no header keys to compare, so under x-match all it matches every message, even one without headers.'],
  });
  await expectFinding(panel, {
    severity: 'Warning',
    message: ['The binding of headers exchange "topic_logs" to queue "lazy" has no header keys to compare'],
  });

  // The orange binding, edited on its label: x-match any with one "x-" header.
  const label = stage.canvas.getByRole('button', { name: /^Binding arguments all: \(no headers\) from topic_logs to orange/ });
  await label.dblclick();
  const editor = stage.canvas.getByRole('group', { name: /^Edit Binding arguments all: \(no headers\) from topic_logs to orange/ });
  await editor.getByLabel('x-match').selectOption('any');
  await editor.getByLabel('Header 1 name').fill('x-tenant');
  await editor.getByLabel('Header 1 value').fill('acme');
  await editor.getByLabel('Header 1 value').press('Enter');
  await expect(editor).toHaveCount(0);
  const edited = stage.canvas.getByRole('button', { name: /^Binding arguments any: x-tenant=acme from topic_logs to orange(, .*)?, press Enter to edit$/ });
  await expect(edited).toBeVisible();

  await expectFinding(panel, {
    severity: 'Warning',
    message: [
      'Every key of the binding of headers exchange "topic_logs" to queue "orange" starts with "x-" ("x-tenant")',
      'under x-match any it matches no message, not even one carrying exactly these headers.',
    ],
  });
  await expect(findingIn(panel, 'to queue "orange" has no header keys')).toHaveCount(0);
  await expect(panel.locator('li.finding')).toHaveCount(2);
  expect(errors).toEqual([]);
});

test('topology: an unbound queue, an unused exchange, a missing alternate and a missing dead-letter exchange', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  const spare = await addNamed(stage, 'queue', 'spare');
  await addNamed(stage, 'exchange', 'side');
  // (The palette drops the new queue just above topic_logs; once its findings note grows it, its
  // foot covers the exchange's title. Tidying the diagram first keeps the clicks on their cards.)
  await autoLayout(stage);
  await select(stage, node(stage, 'exchange', 'topic_logs'));
  await setField(stage, 'Alternate exchange', 'nowhere');
  await select(stage, node(stage, 'queue', 'orange'));
  await setField(stage, 'Dead-letter exchange', 'gone');
  const panel = await openFindings(page);

  await expectFinding(panel, {
    severity: 'Warning',
    message: ['Queue "spare" has no bindings, and no publisher or dead-letter routing key sends to it through the default exchange, so nothing here routes messages to it.'],
  });
  await expectFinding(panel, { severity: 'Note', message: ['No consumer reads from queue "spare", so the messages that reach it wait there.'] });
  await expectFinding(panel, { severity: 'Note', message: ['Nothing sends messages to exchange "side": no publisher publishes to it'] });
  await expectFinding(panel, {
    severity: 'Warning',
    message: ['Exchange "topic_logs" has alternate exchange "nowhere", which does not exist: a message that matches none of its bindings is unroutable'],
  });
  await expectFinding(panel, {
    severity: 'Warning',
    message: ['Queue "orange" has dead-letter exchange "gone", which does not exist: messages that die in it (rejected, expired or over a limit) are dropped.'],
  });
  await expect(cardNote(spare)).toHaveText('1 finding');
  await expect(cardNote(node(stage, 'exchange', 'side'))).toHaveCount(0);
  await expect(cardNote(node(stage, 'queue', 'orange'))).toHaveText('1 finding');
  await expect(findingsTab(page)).toHaveAccessibleName('Findings 6');

  // Show on the unbound queue selects its card alone.
  await findingIn(panel, 'Queue "spare" has no bindings').getByRole('button', { name: /^Show on canvas/ }).click();
  await expect(spare).toHaveClass(/\bselected\b/);
  await expect(node(stage, 'queue', 'orange')).not.toHaveClass(/\bselected\b/);
  await expect(stage.canvas.locator('[data-testid="binding-label"].selected')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('loop: dead letters back into their queue, alternate exchanges in a ring, an exchange-to-exchange cycle', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  // orange dead-letters into topic_logs, which routes "*.orange.*" straight back to orange.
  await select(stage, node(stage, 'queue', 'orange'));
  await setField(stage, 'Dead-letter exchange', 'topic_logs');
  const panel = await openFindings(page);
  await expectFinding(panel, {
    severity: 'Warning',
    message: [
      'Dead letters can come back to queue "orange": from "orange" keeping its routing key "quick.orange.rabbit" through dead-letter exchange "topic_logs" to "orange".',
      'while one where a consumer rejects the message (reject or nack without requeue) goes round again.',
    ],
    example: 'Example key "quick.orange.rabbit": matched by 1 binding.',
  });

  // Two exchanges each other's alternate.
  const ring = await addNamed(stage, 'exchange', 'ring');
  await setField(stage, 'Alternate exchange', 'topic_logs');
  await select(stage, node(stage, 'exchange', 'topic_logs'));
  await setField(stage, 'Alternate exchange', 'ring');
  await expectFinding(panel, {
    severity: 'Warning',
    message: ['Alternate exchanges form a loop: "topic_logs" → "ring" → "topic_logs".'],
  });

  // And bound to each other: ring → topic_logs dragged on the canvas, topic_logs → ring in the inspector.
  // Laid out first: where the palette put "ring" depends on timing, and a card or an edge may cover its handle.
  await autoLayout(stage);
  await link(stage, ring, node(stage, 'exchange', 'topic_logs'));
  await select(stage, node(stage, 'exchange', 'topic_logs'));
  await bindInInspector(stage, 'ring', 'all.#');
  await expectFinding(panel, {
    severity: 'Note',
    message: ['Exchange-to-exchange bindings form a cycle: "ring" → "topic_logs" → "ring". It is harmless for routing'],
  });
  // Notes come last.
  await expect(panel.locator('li.finding .sev').last()).toHaveText('Note');
  expect(errors).toEqual([]);
});

test('from the keyboard: Tab to the tabs, arrows to Findings, Enter opens, Tab to Show, Enter selects; Space folds', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  // In the dark theme: the focus rings must show there too (a screenshot below).
  await useTheme(page, 'dark');
  const tab = findingsTab(page);
  await expect(tab).toHaveAccessibleName('Findings 1');

  // Tab through the page until a drawer tab has the focus (the tablist is one Tab stop).
  const onTab = () => page.evaluate(() => document.activeElement?.getAttribute('role') === 'tab' && document.activeElement.closest('[aria-label="Explanations"]') !== null);
  for (let i = 0; i < 80 && !(await onTab()); i++) await page.keyboard.press('Tab');
  expect(await onTab()).toBe(true);
  const eventLog = drawerOf(page).getByRole('tab', { name: /^Event log/ });
  await expect(eventLog).toBeFocused();
  // ArrowLeft wraps round to the last tab, "Commands"; ArrowRight twice comes back past "Event log" to Findings.
  await page.keyboard.press('ArrowLeft');
  await expect(drawerOf(page).getByRole('tab', { name: /^Commands/ })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(eventLog).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(tab).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  const panel = drawerOf(page).getByRole('tabpanel');
  await expect(panel.locator('li.finding')).toHaveCount(1);

  // Tab reaches the Show button (after the drawer's Hide), Enter selects the finding's elements.
  const show = panel.getByRole('button', { name: /^Show on canvas: On exchange "topic_logs", routing key "lazy.orange.x"/ });
  for (let i = 0; i < 4 && !(await show.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(show).toBeFocused();
  await shot(page, 'findings-keyboard-focus-dark');
  await page.keyboard.press('Enter');
  await expect(bindingLabel(stage, '*.orange.*', 'orange')).toHaveClass(/\bselected\b/);
  await expect(bindingLabel(stage, 'lazy.#', 'lazy')).toHaveClass(/\bselected\b/);
  await expect(node(stage, 'queue', 'orange')).toHaveClass(/\bselected\b/);
  await expect(node(stage, 'queue', 'lazy')).toHaveClass(/\bselected\b/);
  await expect(node(stage, 'exchange', 'topic_logs')).toHaveClass(/\bselected\b/);

  // Back to the tab with Shift+Tab; Space folds the drawer.
  for (let i = 0; i < 4 && !(await tab.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Shift+Tab');
  await expect(tab).toBeFocused();
  await page.keyboard.press('Space');
  await expect(panel).toHaveCount(0);
  await expect(tab).toHaveAttribute('aria-selected', 'false');
  expect(errors).toEqual([]);
});

/** A close-up of the canvas in each theme (the flags and notes are small on the whole page). */
async function canvasBoth(stage: Stage, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    await useTheme(stage.page, theme);
    // Let the colour transitions finish.
    await stage.page.waitForTimeout(300);
    await stage.canvas.screenshot({ path: resolve(screenshots, `${name}-${theme}.png`) });
  }
  await useTheme(stage.page, 'light');
}

// At twice the pixels, so the small flags and notes can be read in the close-ups.
test.describe('screenshots', () => {
  test.use({ deviceScaleFactor: 2 });

  test('screenshots: the findings list and its marks on the canvas, in both themes', async ({ page }) => {
    const errors = collectErrors(page);
    const stage = await openStage(page);
    await useTheme(page, 'light');
    // Several families at once: a duplicate in effect with a "#.#" pattern, a key RabbitMQ refuses
    // (an error), an unbound queue and a missing dead-letter exchange.
    await select(stage, node(stage, 'exchange', 'topic_logs'));
    await bindInInspector(stage, 'lazy', 'lazy.#.#');
    await editKey(stage, '*.orange.*', 'orange', '#.orange.#.#');
    await addNamed(stage, 'queue', 'spare');
    await autoLayout(stage);
    await select(stage, node(stage, 'queue', 'orange'));
    await setField(stage, 'Dead-letter exchange', 'gone');
    const panel = await openFindings(page);
    await expect(panel.locator('li.finding .sev').first()).toHaveText('Error');
    await expect(findingIn(panel, "Topic binding key '#.orange.#.#' uses 3")).toHaveCount(1);
    await expect(findingIn(panel, 'Queue "orange" has dead-letter exchange "gone"')).toHaveCount(1);
    await expect(findingIn(panel, 'Queue "spare" has no bindings')).toHaveCount(1);
    await expect(findingsTab(page)).toHaveAccessibleName(/^Findings \d+$/);
    await fitView(stage);
    await page.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
    await expect(stage.canvas.locator('.svelte-flow__node.selected')).toHaveCount(0);
    await shotBoth(page, 'findings-list');
    await canvasBoth(stage, 'findings-list-canvas');

    // Show the duplicate: its two bindings, the queue and the exchange are selected.
    await findingIn(panel, 'match exactly the same routing keys').getByRole('button', { name: /^Show on canvas/ }).click();
    await expect(bindingLabel(stage, 'lazy.#.#', 'lazy')).toHaveClass(/\bselected\b/);
    await expect(bindingLabel(stage, 'lazy.#', 'lazy')).toHaveClass(/\bselected\b/);
    await expect(node(stage, 'queue', 'lazy')).toHaveClass(/\bselected\b/);
    await expect(node(stage, 'queue', 'orange')).not.toHaveClass(/\bselected\b/);
    await shotBoth(page, 'findings-show');
    await canvasBoth(stage, 'findings-show-canvas');
    expect(errors).toEqual([]);
  });
});
