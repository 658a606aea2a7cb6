/**
 * The Topic lab, as a person uses it: open it from the top bar, type a pattern and a key, read
 * the word-by-word alignment and the verdict, try an example key, check a headers binding.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, openExample, screenshots } from './support';

async function openLab(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Topic lab' }).click();
  const lab = page.getByRole('dialog', { name: 'Topic lab' });
  await expect(lab).toBeVisible();
  return lab;
}

/** Types both keys and waits for the verdict on exactly those keys. */
async function tryKeys(lab: Locator, bindingKey: string, routingKey: string, verdict: 'matches' | 'does not match'): Promise<void> {
  await lab.getByLabel('Binding key').fill(bindingKey);
  await lab.getByLabel('Routing key').fill(routingKey);
  const shown = (key: string) => (key === '' ? '""' : key);
  await expect(lab.getByRole('tabpanel').locator('.verdict')).toContainText(`${shown(routingKey)} against ${shown(bindingKey)}`);
  await expect(lab.getByRole('tabpanel').locator('.verdict strong')).toHaveText(verdict);
}

/** The alignment row ("Binding key", "Routing key", "Step") as the texts of its cells. */
function alignmentRow(lab: Locator, name: string): Locator {
  return lab.getByRole('table', { name: 'Alignment' }).getByRole('row', { name: new RegExp(`^${name}`) }).getByRole('cell');
}

test('the Topic lab explains * and # word by word, with examples, and closes with Escape', async ({ page }) => {
  const errors = collectErrors(page);
  await openExample(page);
  const lab = await openLab(page);

  // * takes exactly one word.
  await tryKeys(lab, '*.orange.*', 'quick.orange.rabbit', 'matches');
  await expect(alignmentRow(lab, 'Routing key')).toHaveText(['quick', 'orange', 'rabbit']);
  await tryKeys(lab, '*.orange.*', 'quick.orange', 'does not match');
  await expect(lab.getByRole('tabpanel').locator('.verdict')).toContainText('the binding key needs 3 words and "quick.orange" has 2');
  await expect(alignmentRow(lab, 'Step').last()).toHaveText(/fails: no word left/);

  // # takes zero words, or several.
  await tryKeys(lab, 'lazy.#', 'lazy', 'matches');
  await expect(alignmentRow(lab, 'Routing key')).toHaveText(['lazy', '(no words)']);
  await tryKeys(lab, 'lazy.#', 'lazy.brown.fox.jumps', 'matches');
  await expect(alignmentRow(lab, 'Routing key')).toHaveText(['lazy', 'brown.fox.jumps']);
  await expect(alignmentRow(lab, 'Step')).toHaveText(['equal', 'took 3 words']);

  // Empty words are words, shown as "".
  await tryKeys(lab, 'a..b', 'a..b', 'matches');
  await expect(alignmentRow(lab, 'Binding key').nth(1)).toContainText('""');
  await expect(alignmentRow(lab, 'Routing key')).toHaveText(['a', '""', 'b']);
  await tryKeys(lab, 'a.*.b', 'a..b', 'matches');
  await expect(alignmentRow(lab, 'Routing key')).toHaveText(['a', '""', 'b']);
  await expect(lab.getByRole('tabpanel').locator('.verdict')).toContainText(`'*' took ""`);

  // An example from the core fills the routing key.
  await tryKeys(lab, '*.orange.*', 'x', 'does not match');
  const tryList = lab.getByRole('region', { name: 'Try' });
  await tryList.getByRole('button', { name: 'a.b.orange.c' }).click();
  await expect(lab.getByLabel('Routing key')).toHaveValue('a.b.orange.c');
  await expect(lab.getByRole('tabpanel').locator('.verdict strong')).toHaveText('does not match');
  await tryList.getByRole('button', { name: 'quick.orange.rabbit' }).click();
  await expect(lab.getByLabel('Routing key')).toHaveValue('quick.orange.rabbit');
  await expect(lab.getByRole('tabpanel').locator('.verdict strong')).toHaveText('matches');

  // More than two # is refused, in RabbitMQ's words.
  await lab.getByLabel('Binding key').fill('#.a.#.#');
  await expect(lab.getByText("uses 3 '#' wildcards, at most 2 are allowed")).toBeVisible();

  await page.keyboard.press('Escape');
  await expect(lab).toBeHidden();
  expect(errors).toEqual([]);
});

test('the headers tab shows one verdict per binding argument and the x-match rule', async ({ page }) => {
  const errors = collectErrors(page);
  await openExample(page);
  const lab = await openLab(page);
  await lab.getByRole('tab', { name: 'Headers' }).click();
  const table = lab.getByRole('table', { name: 'Header verdicts' });
  // Defaults: format=pdf (equal), type=report vs log (not equal), x-match=all.
  await expect(table.getByRole('row', { name: /^format/ })).toContainText('equal');
  await expect(table.getByRole('row', { name: /^type/ })).toContainText('not equal');
  await expect(lab.getByRole('tabpanel').locator('.verdict strong')).toHaveText('does not match');

  await lab.getByLabel('x-match').selectOption('any');
  await expect(lab.getByRole('tabpanel').locator('.verdict strong')).toHaveText('matches');
  await expect(lab.getByRole('tabpanel').locator('.verdict')).toContainText('x-match=any: "format" matched');

  // A typed value: the number 2 is not the text "2".
  await lab.getByRole('button', { name: 'Add binding argument' }).click();
  await lab.getByLabel('Binding argument 3 name').fill('size');
  await lab.getByLabel('Binding argument 3 value').fill('2');
  await lab.getByRole('button', { name: 'Add message header' }).click();
  await lab.getByLabel('Message header 3 name').fill('size');
  await lab.getByLabel('Message header 3 value').fill('"2"');
  await expect(table.getByRole('row', { name: /^size/ })).toContainText('not equal');
  await expect(table.getByRole('row', { name: /^size/ })).toContainText('a string never equals an integer');

  await lab.getByRole('button', { name: 'Close' }).click();
  await expect(lab).toBeHidden();
  expect(errors).toEqual([]);
});

test('screenshots of the Topic lab in both themes', async ({ page }) => {
  const errors = collectErrors(page);
  mkdirSync(screenshots, { recursive: true });
  await openExample(page);
  for (const theme of ['light', 'dark'] as const) {
    await page.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
    const lab = await openLab(page);
    await lab.getByRole('tab', { name: 'Topic' }).click();
    await tryKeys(lab, 'lazy.#.fox', 'lazy.brown.dog', 'does not match');
    await page.screenshot({ path: resolve(screenshots, `topic-lab-topic-${theme}.png`) });
    await tryKeys(lab, '*.orange.#', 'quick.orange..rabbit.x', 'matches');
    await page.screenshot({ path: resolve(screenshots, `topic-lab-match-${theme}.png`) });
    await lab.getByRole('tab', { name: 'Headers' }).click();
    await expect(lab.getByRole('table', { name: 'Header verdicts' })).toBeVisible();
    await page.screenshot({ path: resolve(screenshots, `topic-lab-headers-${theme}.png`) });
    await page.keyboard.press('Escape');
    await expect(lab).toBeHidden();
  }
  expect(errors).toEqual([]);
});

test('a teacher pins exercises: they stay with the diagram, load with a click, and unpin (Ctrl+Z brings one back)', async ({ page }) => {
  const errors = collectErrors(page);
  await openExample(page);
  let lab = await openLab(page);
  const pinned = lab.getByRole('region', { name: 'Pinned exercises' });
  await tryKeys(lab, 'lazy.#', 'lazy', 'matches');
  await pinned.getByRole('button', { name: 'Pin this pair' }).click();
  await expect(pinned.getByRole('button', { name: 'Pinned' })).toBeDisabled();
  await tryKeys(lab, 'a..b', 'a.*.b', 'does not match');
  await pinned.getByRole('button', { name: 'Pin this pair' }).click();
  await expect(pinned.getByRole('listitem')).toHaveText([/lazy\.#\s*against\s*lazy/, /a\.\.b\s*against\s*a\.\*\.b/]);

  // Closed and opened again, the exercises are still there (they are in the diagram); one loads with a click.
  await page.keyboard.press('Escape');
  lab = await openLab(page);
  await pinned.getByRole('button', { name: /lazy\.# against lazy/ }).click();
  await expect(lab.getByLabel('Binding key')).toHaveValue('lazy.#');
  await expect(lab.getByLabel('Routing key')).toHaveValue('lazy');
  await expect(lab.getByRole('tabpanel').locator('.verdict strong')).toHaveText('matches');

  await pinned.getByRole('button', { name: 'Unpin exercise 1' }).click();
  await expect(pinned.getByRole('listitem')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Undo' }).click();
  lab = await openLab(page);
  await expect(pinned.getByRole('listitem')).toHaveCount(2);
  expect(errors).toEqual([]);
});
