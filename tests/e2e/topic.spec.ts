/**
 * A topic exchange with several bindings, as in RabbitMQ's topic tutorial: topic_logs binds
 * orange with `*.orange.*` and lazy with `lazy.#`; the test adds `*.*.rabbit` to lazy by dragging
 * a link and typing its key. Routing keys that match one binding, two, three (two to the same
 * queue: one copy) and none, each checked as the trace says: which queues' ready counts rise,
 * which binding edges carried a dot, and the unroutable mark's reason.
 */
import { expect, test, type Locator } from '@playwright/test';
import { collectErrors } from './support';
import {
  exampleIds,
  link,
  mark,
  node,
  openStage,
  recordLayer,
  settled,
  seen,
  select,
  shotBoth,
  speed,
  stopConsumer,
  useTheme,
  type Stage,
} from './outcomes-support';

test.describe.configure({ timeout: 90_000 });

async function publishKey(stage: Stage, key: string): Promise<void> {
  await select(stage, node(stage, 'producer', 'emit_log_topic'));
  const field = stage.inspector.getByLabel('Routing key');
  await field.fill(key);
  await field.press('Enter');
}

/** The binding edges between two nodes (Svelte Flow names each edge by its ends' ids). */
function bindingEdges(stage: Stage, from: string, to: string): Locator {
  return stage.canvas.locator(`.svelte-flow__edge.edge-binding[aria-label="Edge from ${from} to ${to}"]`);
}

async function readyCounts(stage: Stage): Promise<{ orange: string; lazy: string }> {
  return {
    orange: (await node(stage, 'queue', 'orange').getByTestId('ready').textContent()) ?? '',
    lazy: (await node(stage, 'queue', 'lazy').getByTestId('ready').textContent()) ?? '',
  };
}

test('topic bindings: one match, two matches, three matches into two queues, and none', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await useTheme(page, 'light');
  await speed(stage, '0.25');
  const id = await exampleIds(stage);
  const orange = node(stage, 'queue', 'orange');
  const lazy = node(stage, 'queue', 'lazy');
  await stopConsumer(stage, node(stage, 'consumer', 'worker-orange'));
  await stopConsumer(stage, node(stage, 'consumer', 'worker-lazy'));

  // The example's edges: *.orange.* → orange, lazy.# → lazy.
  await expect(bindingEdges(stage, id.exchange, id.orange)).toHaveCount(1);
  await expect(bindingEdges(stage, id.exchange, id.lazy)).toHaveCount(1);
  const orangeEdge = (await bindingEdges(stage, id.exchange, id.orange).getAttribute('data-id'))!;
  const lazyHashEdge = (await bindingEdges(stage, id.exchange, id.lazy).getAttribute('data-id'))!;

  // Add *.*.rabbit: drag a second link from topic_logs to lazy, select it, type its key.
  await link(stage, node(stage, 'exchange', 'topic_logs'), lazy);
  await expect(bindingEdges(stage, id.exchange, id.lazy)).toHaveCount(2);
  const rabbitEdge = bindingEdges(stage, id.exchange, id.lazy).and(stage.canvas.locator(`:not([data-id="${lazyHashEdge}"])`));
  const rabbitEdgeId = (await rabbitEdge.getAttribute('data-id'))!;
  await rabbitEdge.focus();
  await page.keyboard.press('Enter');
  const bindingKey = stage.inspector.getByLabel('Binding key');
  await expect(bindingKey).toHaveValue('');
  await bindingKey.fill('*.*.rabbit');
  await bindingKey.press('Tab');
  await expect(stage.canvas.getByText('*.*.rabbit', { exact: true })).toBeVisible();

  const routeDots = async () => (await seen(page)).filter((line) => line.startsWith(`dot ${id.exchange}>`)).sort();
  const routeDot = (to: string, edge: string) => `dot ${id.exchange}>${to} route ${edge}`;

  // One binding: lazy.brown.fox matches lazy.# only.
  await settled(stage);
  await recordLayer(page);
  await publishKey(stage, 'lazy.brown.fox');
  await expect(lazy.getByTestId('ready')).toHaveText('1');
  await expect.poll(routeDots).toEqual([routeDot(id.lazy, lazyHashEdge)]);
  expect(await readyCounts(stage)).toEqual({ orange: '0', lazy: '1' });

  // Two bindings: quick.orange.rabbit matches *.orange.* and *.*.rabbit.
  await settled(stage);
  await recordLayer(page);
  await publishKey(stage, 'quick.orange.rabbit');
  await expect(orange.getByTestId('ready')).toHaveText('1');
  await expect(lazy.getByTestId('ready')).toHaveText('2');
  await expect.poll(routeDots).toEqual([routeDot(id.orange, orangeEdge), routeDot(id.lazy, rabbitEdgeId)].sort());
  await shotBoth(page, 'topic-two-bindings');

  // Three bindings, two of them to lazy: each queue takes one copy, both lazy edges carry a dot.
  await settled(stage);
  await recordLayer(page);
  await publishKey(stage, 'lazy.orange.rabbit');
  await expect(orange.getByTestId('ready')).toHaveText('2');
  await expect(lazy.getByTestId('ready')).toHaveText('3');
  await expect.poll(routeDots).toEqual([routeDot(id.orange, orangeEdge), routeDot(id.lazy, lazyHashEdge), routeDot(id.lazy, rabbitEdgeId)].sort());
  // Settle: one copy each, never two for lazy.
  await page.waitForTimeout(500);
  expect(await readyCounts(stage)).toEqual({ orange: '2', lazy: '3' });

  // None: quick.brown.fox matches no binding; the exchange's mark says why, no count moves.
  await settled(stage);
  await recordLayer(page);
  await publishKey(stage, 'quick.brown.fox');
  const unroutable = mark(stage, id.exchange, 'unroutable');
  await expect(unroutable).toBeVisible();
  await expect(unroutable).toContainText('no binding matched "quick.brown.fox"');
  await shotBoth(page, 'topic-none');
  expect(await routeDots()).toEqual([]);
  expect(await readyCounts(stage)).toEqual({ orange: '2', lazy: '3' });
  await expect(node(stage, 'producer', 'emit_log_topic').getByTestId('published')).toHaveText('4');
  expect(errors).toEqual([]);
});

test('a topic key with fewer words than a pattern: the unroutable reason comes from the topic matcher', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await speed(stage, '0.25');
  const id = await exampleIds(stage);
  // Only *.orange.* is left: delete lazy.# with the keyboard, as a person would.
  const lazyEdge = bindingEdges(stage, id.exchange, id.lazy);
  await lazyEdge.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Delete');
  await expect(lazyEdge).toHaveCount(0);
  await publishKey(stage, 'orange.rabbit');
  const unroutable = mark(stage, id.exchange, 'unroutable');
  await expect(unroutable).toBeVisible();
  // One binding, one verdict: the mark shows the matcher's own sentence, not a generic one.
  await expect(unroutable).not.toContainText('no binding matched');
  await expect(unroutable).toContainText(/orange\.rabbit|\*\.orange\.\*/);
  await expect(node(stage, 'queue', 'orange').getByTestId('ready')).toHaveText('0');
  await expect(node(stage, 'queue', 'orange').getByTestId('unacked')).toHaveText('0');
  expect(errors).toEqual([]);
});
