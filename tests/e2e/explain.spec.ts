/**
 * "Why?", as a person asks it: the event log and the message inspector (a delivered, a dropped
 * and a dead-lettered message, opened from the log, from a queue's messages and from a moving
 * dot), "Why not here?" for a topic miss and a headers miss, and the what-if tester lighting up
 * the canvas as one types. Everything through the screen: buttons, fields, tabs, the keyboard.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors } from './support';
import {
  addNamed,
  choose,
  clock,
  fitView,
  link,
  node,
  openStage,
  publish,
  select,
  setField,
  shotBoth,
  speed,
  stopConsumer,
  type Stage,
} from './outcomes-support';

test.describe.configure({ timeout: 60_000 });

function drawer(page: Page): Locator {
  return page.getByRole('region', { name: 'Explanations' });
}

/** Opens a tab of the drawer under the canvas (a click on the open tab would fold it). */
async function openTab(page: Page, name: 'Event log' | 'Findings' | 'What if'): Promise<Locator> {
  const tab = drawer(page).getByRole('tab', { name: new RegExp(`^${name}`) });
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  return drawer(page).getByRole('tabpanel');
}

function inspector(page: Page): Locator {
  return page.getByRole('region', { name: 'Message inspector' });
}

/** Opens message #id from the event log's line about its publish. */
async function openFromLog(page: Page, id: number): Promise<Locator> {
  const log = await openTab(page, 'Event log');
  await log.getByRole('button', { name: new RegExp(`^#${id} published`) }).click();
  const view = inspector(page);
  await expect(view.getByRole('heading', { name: `Message #${id}` })).toBeVisible();
  return view;
}

async function whyNot(view: Locator, queue: string): Promise<Locator> {
  await view.getByRole('combobox', { name: 'Why not here?' }).selectOption(queue);
  const answer = view.locator('.answer');
  await expect(answer.first()).toBeVisible();
  return answer;
}

test('a delivered message: its journey, every binding with its verdict, and why it missed the other queue', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await publish(node(stage, 'producer', 'emit_log_topic'));
  const view = await openFromLog(page, 1);

  await expect(view).toContainText('Published to "topic_logs" with routing key "quick.orange.rabbit"');
  const journey = view.getByRole('region', { name: 'Journey' });
  await expect(journey).toContainText('Enqueued in "orange".');
  await expect(journey).toContainText('That is consumer "worker-orange".');
  const route = view.getByRole('region', { name: 'Route' });
  await expect(route.locator('li.hit')).toContainText(`"*.orange.*" → queue "orange" '*' took "quick", "orange" matched "orange", '*' took "rabbit"`);
  await expect(route.locator('li.miss')).toContainText('✗ no match "lazy.#" → queue "lazy" word 1: binding wants "lazy", key has "quick"');

  // The worker takes 1 s of simulated time, then acks: the journey grows by itself.
  await clock(stage, 'Step');
  await expect(journey).toContainText('Acknowledged: "orange" forgot it.');
  await expect(journey.locator('.step-acked .time')).toHaveText('1.000 s');

  const answer = await whyNot(view, 'lazy');
  await expect(answer).toContainText('binding key "lazy.#" does not match "quick.orange.rabbit" (word 1: binding wants "lazy", key has "quick")');
  await expect(answer).toContainText('"lazy" · "#" against "quick" · "orange" · "rabbit"');
  const there = await whyNot(view, 'orange');
  await expect(there).toHaveClass(/arrived/);

  await view.getByRole('button', { name: 'Close message' }).click();
  await expect(page.getByRole('region', { name: 'Inspector' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a dropped message: unroutable, and why not in each queue (topic words counted)', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  const producer = node(stage, 'producer', 'emit_log_topic');
  await select(stage, producer);
  await setField(stage, 'Routing key', 'quick.orange.big.rabbit');
  await publish(producer);

  const log = await openTab(page, 'Event log');
  await expect(log.getByRole('button', { name: /^#1 published/ })).toContainText('→ unroutable, dropped');
  const view = await openFromLog(page, 1);
  await expect(view.getByRole('region', { name: 'Journey' })).toContainText('no queue matched, so it was dropped');
  await expect(view.getByRole('region', { name: 'Route' })).toContainText('No queue got a copy (unroutable).');
  const answer = await whyNot(view, 'orange');
  await expect(answer).toContainText('exchange "topic_logs" did not route it to queue "orange": the binding key "*.orange.*" needs 3 words and "quick.orange.big.rabbit" has 4');
  await expect(answer).toContainText('"*" · "orange" · "*" against "quick" · "orange" · "big" · "rabbit"');
  expect(errors).toEqual([]);
});

/** The example plus a dead-letter exchange "dlx" (fanout) bound to a queue "dead", and orange dead-lettering to it after 500 ms. */
async function withDeadLetters(stage: Stage): Promise<void> {
  const dlx = await addNamed(stage, 'exchange', 'dlx');
  await choose(stage, 'Type', 'fanout');
  const dead = await addNamed(stage, 'queue', 'dead');
  await fitView(stage);
  await link(stage, dlx, dead);
  const orange = node(stage, 'queue', 'orange');
  await select(stage, orange);
  await setField(stage, 'Message TTL (ms)', '500');
  await setField(stage, 'Dead-letter exchange', 'dlx');
  await stopConsumer(stage, node(stage, 'consumer', 'worker-orange'));
}

test('a dead-lettered message, opened from the queue it ended in: expiry, the dead-letter route and its x-death history', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await withDeadLetters(stage);
  await publish(node(stage, 'producer', 'emit_log_topic'));
  await clock(stage, 'Step');
  const dead = node(stage, 'queue', 'dead');
  await expect(dead.getByText('READY').locator('..')).toContainText('1');

  await select(stage, dead);
  const held = page.getByRole('region', { name: 'Messages in this queue' });
  await held.getByRole('button', { name: /#1 "quick.orange.rabbit" ready/ }).click();
  const view = inspector(page);
  await expect(view.getByRole('heading', { name: 'Message #1' })).toBeVisible();

  const journey = view.getByRole('region', { name: 'Journey' });
  await expect(journey.locator('.step')).toHaveText([
    /0\.000 s\s*Published to exchange "topic_logs"/,
    /0\.000 s\s*Enqueued in "orange"/,
    /0\.000 s\s*The publisher got a confirm \(basic\.ack\)/,
    /0\.500 s\s*Expired in "orange" after 500 ms \(the queue's x-message-ttl\)/,
    /0\.500 s\s*Dead-lettered from "orange" \(it expired\) to exchange "dlx" with routing key "quick.orange.rabbit": one queue got a copy/,
    /0\.500 s\s*Enqueued in "dead"/,
  ]);
  const deadRoute = view.getByRole('region', { name: 'Dead-letter route 1' });
  await expect(deadRoute).toContainText('Dead-lettered from "orange" to exchange "dlx"');
  await expect(deadRoute.locator('li.hit')).toContainText('→ queue "dead"');
  const deaths = view.getByRole('region', { name: 'x-death history' });
  await expect(deaths.locator('summary')).toHaveText('"orange" — "expired", count 1 (long)');
  await expect(deaths).toContainText('"topic_logs"');
  await shotBoth(page, 'explain-dead-lettered');
  expect(errors).toEqual([]);
});

test('why not here, for a headers miss: the header that differs, in the binding\'s own words', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await select(stage, node(stage, 'exchange', 'topic_logs'));
  await choose(stage, 'Type', 'headers');
  const label = stage.canvas.getByRole('button', { name: /^Binding arguments all: \(no headers\) from topic_logs to orange/ });
  await label.dblclick();
  const editor = stage.canvas.getByRole('group', { name: /^Edit Binding arguments/ });
  await editor.getByLabel('Header 1 name').fill('region');
  await editor.getByLabel('Header 1 value').fill('eu');
  await editor.getByLabel('Header 1 value').press('Enter');
  await expect(stage.canvas.getByRole('button', { name: /^Binding arguments all: region=eu from topic_logs to orange/ })).toBeVisible();

  const producer = node(stage, 'producer', 'emit_log_topic');
  await select(stage, producer);
  const more = stage.inspector.getByText('More properties');
  await more.click();
  await stage.inspector.getByLabel('New message header key').fill('region');
  await stage.inspector.getByLabel('New message header value').fill('us');
  await stage.inspector.getByRole('button', { name: 'Add message header' }).click();
  await expect(stage.inspector.getByLabel('Message header 1 value')).toHaveValue('us');
  await publish(producer);

  const view = await openFromLog(page, 1);
  const headers = view.getByRole('region', { name: 'Headers' });
  await expect(headers.getByRole('row')).toHaveText([/region\s*"us"\s*longstr/]);
  const answer = await whyNot(view, 'orange');
  await expect(answer).toContainText('"region" is "us", binding wants "eu"');
  await expect((await whyNot(view, 'lazy'))).toHaveClass(/arrived/);
  expect(errors).toEqual([]);
});

test('the what-if tester lights up the matching bindings and the queues that would get a copy, as one types', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await select(stage, node(stage, 'producer', 'emit_log_topic'));
  const panel = await openTab(page, 'What if');
  await expect(panel.getByLabel('Exchange')).toHaveValue('topic_logs');
  const key = panel.getByLabel('Routing key');
  await expect(key).toHaveValue('quick.orange.rabbit');

  const orangeLabel = stage.canvas.getByTestId('binding-label').filter({ hasText: '*.orange.*' });
  const lazyLabel = stage.canvas.getByTestId('binding-label').filter({ hasText: 'lazy.#' });
  await key.fill('lazy.orange.fox');
  await expect(panel).toContainText('Would reach "lazy", "orange".');
  await expect(orangeLabel).toHaveAttribute('data-what-if', 'hit');
  await expect(lazyLabel).toHaveAttribute('data-what-if', 'hit');
  await expect(lazyLabel).toHaveAccessibleDescription(/Would match\./);
  await expect(node(stage, 'queue', 'lazy').locator('.note')).toHaveText('would get a copy');
  await expect(panel).toContainText(`"lazy" matched "lazy", '#' took "orange.fox" (2 words)`);
  await shotBoth(page, 'explain-what-if');

  await key.fill('lazy');
  await expect(panel).toContainText('Would reach "lazy".');
  await expect(orangeLabel).toHaveAttribute('data-what-if', 'miss');
  await expect(panel).toContainText(`'#' took nothing`);
  await key.fill('quick.brown.fox');
  await expect(panel).toContainText('No queue would get a copy.');
  await expect(node(stage, 'queue', 'lazy').locator('.note')).toHaveCount(0);

  // Nothing was published: the queues are as they were, and the log is empty.
  await expect(stage.canvas.locator('.svelte-flow__node-producer')).toContainText('sent 0');
  // Leaving the tester takes its marks off the canvas.
  await openTab(page, 'Event log');
  await expect(lazyLabel).not.toHaveAttribute('data-what-if');
  expect(errors).toEqual([]);
});

test('a moving dot opens its message', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await speed(stage, '0.25');
  await publish(node(stage, 'producer', 'emit_log_topic'));
  const dot = stage.canvas.locator('[data-testid="message-dot"][data-message="1"]').first();
  await dot.click({ force: true });
  await expect(inspector(page).getByRole('heading', { name: 'Message #1' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('from the keyboard: the event log, a message, why not here, and back', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await publish(node(stage, 'producer', 'emit_log_topic'));
  const tab = drawer(page).getByRole('tab', { name: /^Event log/ });
  await tab.focus();
  await page.keyboard.press('Enter');
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  // Arrow keys move between the tabs; back to the log.
  await page.keyboard.press('ArrowRight');
  await expect(drawer(page).getByRole('tab', { name: /^Findings/ })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(tab).toBeFocused();

  const line = drawer(page).getByRole('button', { name: /^#1 published/ });
  while (!(await line.evaluate((el) => el === document.activeElement))) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const view = inspector(page);
  const heading = view.getByRole('heading', { name: 'Message #1' });
  await expect(heading).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(view.getByRole('button', { name: 'Close message' })).toBeFocused();
  await page.keyboard.press('Tab');
  const pick = view.getByRole('combobox', { name: 'Why not here?' });
  await expect(pick).toBeFocused();
  await pick.selectOption('lazy');
  await expect(view.locator('.answer')).toContainText('word 1: binding wants "lazy", key has "quick"');
  await view.getByRole('button', { name: 'Close message' }).focus();
  await page.keyboard.press('Enter');
  await expect(view).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('screenshots: the message inspector with why not here, and the event log, in both themes', async ({ page }) => {
  const stage = await openStage(page);
  const producer = node(stage, 'producer', 'emit_log_topic');
  await publish(producer);
  await select(stage, producer);
  await setField(stage, 'Routing key', 'lazy.pink.rabbit');
  await publish(producer);
  const view = await openFromLog(page, 1);
  await whyNot(view, 'lazy');
  await shotBoth(page, 'explain-message');
});

test('what people type is shown as text, never as markup: in the log, the message inspector and the what-if tester', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  const producer = node(stage, 'producer', 'emit_log_topic');
  await select(stage, producer);
  const key = '<img src=x onerror=alert(1)>.orange.<b>x</b>';
  await setField(stage, 'Routing key', key);
  await publish(producer);
  const view = await openFromLog(page, 1);
  await expect(view).toContainText(`with routing key "${key}"`);
  await expect(view.locator('img, b')).toHaveCount(0);
  const log = await openTab(page, 'Event log');
  await expect(log).toContainText(`key "${key}"`);
  const whatIf = await openTab(page, 'What if');
  await expect(whatIf.getByLabel('Routing key')).toHaveValue(key);
  await expect(whatIf).toContainText(`'*' took "<img src=x onerror=alert(1)>"`);
  await expect(page.locator('main img, [role="region"] img, [role="region"] b')).toHaveCount(0);
  expect(errors).toEqual([]);
});
