/**
 * Every outcome a message can have, shown where it happens, as a person sees it: diagrams built
 * with the palette, links dragged between handles, settings typed into the inspector, the
 * producer's Publish and the clock bar. Each test checks the mark (its node, label and reason)
 * or the dot (its edge), and the counts that change.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectErrors } from './support';
import {
  addNamed,
  autoLayout,
  choose,
  clock,
  dot,
  exampleIds,
  fitView,
  idOf,
  link,
  mark,
  node,
  openStage,
  publish,
  recordLayer,
  seen,
  select,
  setField,
  shot,
  shotBoth,
  speed,
  stopConsumer,
  useTheme,
  type Stage,
} from './outcomes-support';

test.describe.configure({ timeout: 60_000 });

/** Opens the example in the light theme with the clock at 0.25×: dots and marks last 4× longer. */
async function slowStage(page: Page): Promise<Stage> {
  const stage = await openStage(page);
  await useTheme(page, 'light');
  await speed(stage, '0.25');
  await recordLayer(page);
  return stage;
}

/** Sets every badge a card can show, through the inspector. */
async function decorate(stage: Stage): Promise<void> {
  const orange = node(stage, 'queue', 'orange');
  await select(stage, orange);
  await setField(stage, 'Message TTL (ms)', '5000');
  await setField(stage, 'Max length', '10');
  await choose(stage, 'Overflow', 'reject-publish');
  await setField(stage, 'Dead-letter exchange', 'dlx');
  await setField(stage, 'Max priority', '10');
  await stage.inspector.getByLabel('Auto-delete', { exact: true }).check();

  const lazy = node(stage, 'queue', 'lazy');
  await select(stage, lazy);
  await choose(stage, 'Queue type', 'quorum');

  await select(stage, node(stage, 'exchange', 'topic_logs'));
  await setField(stage, 'Alternate exchange', 'ae');

  const producer = node(stage, 'producer', 'emit_log_topic');
  await select(stage, producer);
  await stage.inspector.getByLabel('Mandatory', { exact: true }).check();
  await setField(stage, 'Expiration (ms)', '1500');
  await setField(stage, 'Priority', '5');

  await select(stage, node(stage, 'consumer', 'worker-lazy'));
  await setField(stage, 'Failure rate (0–1)', '0.25');
  await setField(stage, 'Prefetch', '10');

  // An internal exchange, and a built-in one placed like any other.
  await addNamed(stage, 'exchange', 'audit');
  await stage.inspector.getByLabel('Internal', { exact: true }).check();
  await addNamed(stage, 'exchange', 'amq.fanout');
}

for (const theme of ['light', 'dark'] as const) {
  test(`node cards show their settings as badges (${theme})`, async ({ page }) => {
    const errors = collectErrors(page);
    const stage = await openStage(page);
    await useTheme(page, theme);
    await decorate(stage);
    const orange = node(stage, 'queue', 'orange');
    await expect(orange.getByTestId('ttl')).toHaveText('TTL 5 s');
    await expect(orange.getByTestId('dlx')).toHaveText('DLX → dlx');
    await expect(orange.getByTestId('max-length')).toHaveText('max 10 · reject');
    await expect(orange.getByTestId('max-priority')).toHaveText('prio 10');
    await expect(orange.getByTestId('durable')).toHaveAttribute('title', /Durable/);
    await expect(orange.getByTestId('auto-delete')).toHaveText('AD');
    await expect(node(stage, 'queue', 'lazy').getByTestId('queue-type')).toHaveText('quorum');
    await expect(node(stage, 'exchange', 'topic_logs').getByTestId('alternate-exchange')).toHaveText('AE → ae');
    const producer = node(stage, 'producer', 'emit_log_topic');
    await expect(producer.getByTestId('mandatory')).toBeVisible();
    await expect(producer.getByTestId('expiration')).toHaveText('exp 1.5 s');
    await expect(producer.getByTestId('priority')).toHaveText('prio 5');
    const lazyWorker = node(stage, 'consumer', 'worker-lazy');
    await expect(lazyWorker.getByTestId('prefetch')).toHaveText('prefetch 10');
    await expect(lazyWorker.getByTestId('ack-mode')).toHaveText('manual ack');
    await expect(lazyWorker.getByTestId('work')).toHaveText('work 1 s');
    await expect(lazyWorker.getByTestId('failure')).toHaveText('fail 25% → nack-requeue');
    await expect(node(stage, 'exchange', 'audit').getByTestId('internal')).toHaveText('internal');
    await expect(node(stage, 'exchange', 'topic_logs').getByTestId('internal')).toHaveCount(0);
    const builtIn = node(stage, 'exchange', 'amq.fanout');
    await expect(builtIn.getByTestId('built-in')).toHaveText('built-in');
    await expect(builtIn.getByTestId('exchange-type')).toHaveText('fanout');
    await fitView(stage);
    await page.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
    await shot(page, `nodes-${theme}`);
    expect(errors).toEqual([]);
  });
}

test('reached a queue: dots along the publish link and the matching binding, delivered, then acked', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await slowStage(page);
  const id = await exampleIds(stage);
  const orange = node(stage, 'queue', 'orange');
  const worker = node(stage, 'consumer', 'worker-orange');

  await publish(node(stage, 'producer', 'emit_log_topic'));
  // quick.orange.rabbit matches *.orange.* only: one dot goes down that binding's edge.
  const routed = dot(stage, id.exchange, id.orange, 'route');
  await expect(routed).toBeVisible();
  const edge = await routed.getAttribute('data-edge');
  await expect(stage.canvas.locator(`.svelte-flow__edge[data-id="${edge}"]`)).toHaveClass(/edge-binding/);
  await expect(orange.getByTestId('unacked')).toHaveText('1');
  await expect(node(stage, 'producer', 'emit_log_topic').getByTestId('published')).toHaveText('1');
  // Then along the consume link to worker-orange, which works on it (in flight, not acked).
  await expect(dot(stage, id.orange, id.workerOrange, 'deliver')).toBeVisible();
  await expect(worker.getByTestId('delivered')).toHaveText('1');
  await expect(worker.getByTestId('in-flight')).toHaveText('1');
  await shotBoth(page, 'outcome-delivered');
  await expect.poll(() => seen(page)).toEqual(expect.arrayContaining([
    `dot ${id.producer}>${id.exchange} publish publish:${id.producer}`,
    `dot ${id.exchange}>${id.orange} route ${edge}`,
    `dot ${id.orange}>${id.workerOrange} deliver consume:${id.workerOrange}`,
  ]));
  expect((await seen(page)).filter((line) => line.includes(`>${id.lazy}`))).toEqual([]);
  await expect(node(stage, 'queue', 'lazy').getByTestId('ready')).toHaveText('0');

  // The work is due at 1 s: Step runs it and the consumer acks.
  await clock(stage, 'Step');
  const acked = mark(stage, id.workerOrange, 'acked');
  await expect(acked).toBeVisible();
  await expect(worker.getByTestId('acked')).toHaveText('1');
  await expect(worker.getByTestId('in-flight')).toHaveText('0');
  await expect(orange.getByTestId('unacked')).toHaveText('0');
  await shotBoth(page, 'outcome-acked');
  expect(errors).toEqual([]);
});

test('unroutable: dropped at the exchange with the reason no binding matched', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await slowStage(page);
  const id = await exampleIds(stage);
  await select(stage, node(stage, 'producer', 'emit_log_topic'));
  const key = stage.inspector.getByLabel('Routing key');
  await key.fill('quick.brown.fox');
  await key.press('Enter');
  const unroutable = mark(stage, id.exchange, 'unroutable');
  await expect(unroutable).toBeVisible();
  await expect(unroutable).toContainText('no binding matched "quick.brown.fox"');
  await expect(node(stage, 'producer', 'emit_log_topic').getByTestId('published')).toHaveText('1');
  await shotBoth(page, 'outcome-unroutable');
  for (const queue of ['orange', 'lazy']) {
    await expect(node(stage, 'queue', queue).getByTestId('ready')).toHaveText('0');
    await expect(node(stage, 'queue', queue).getByTestId('unacked')).toHaveText('0');
  }
  // Only the publish hop travelled.
  expect((await seen(page)).filter((line) => line.startsWith('dot'))).toEqual([`dot ${id.producer}>${id.exchange} publish publish:${id.producer}`]);
  expect(errors).toEqual([]);
});

test('returned: a mandatory message no queue takes goes back to its producer', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await slowStage(page);
  const id = await exampleIds(stage);
  const producer = node(stage, 'producer', 'emit_log_topic');
  await select(stage, producer);
  await stage.inspector.getByLabel('Mandatory', { exact: true }).check();
  await expect(producer.getByTestId('mandatory')).toBeVisible();
  const key = stage.inspector.getByLabel('Routing key');
  await key.fill('quick.brown.fox');
  await key.press('Enter');
  await expect(mark(stage, id.exchange, 'unroutable')).toContainText('no binding matched "quick.brown.fox"');
  // basic.return: back along the publish link, to a mark at the producer.
  await expect(dot(stage, id.exchange, id.producer, 'return')).toBeVisible();
  const returned = mark(stage, id.producer, 'returned');
  await expect(returned).toBeVisible();
  await expect(returned).toContainText('312 NO_ROUTE');
  await expect(producer.getByTestId('returned')).toHaveText('1');
  await shotBoth(page, 'outcome-returned');
  expect(await seen(page)).toContain(`dot ${id.exchange}>${id.producer} return publish:${id.producer}`);
  expect(errors).toEqual([]);
});

test('alternate exchange: what no binding matches goes to the AE and its queue', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await slowStage(page);
  const id = await exampleIds(stage);
  const ae = await addNamed(stage, 'exchange', 'ae');
  await choose(stage, 'Type', 'fanout');
  await expect(ae.getByTestId('exchange-type')).toHaveText('fanout');
  const unrouted = await addNamed(stage, 'queue', 'unrouted');
  await fitView(stage);
  await link(stage, ae, unrouted);
  await autoLayout(stage);
  const topic = node(stage, 'exchange', 'topic_logs');
  await select(stage, topic);
  await setField(stage, 'Alternate exchange', 'ae');
  await expect(topic.getByTestId('alternate-exchange')).toHaveText('AE → ae');
  await recordLayer(page);

  await select(stage, node(stage, 'producer', 'emit_log_topic'));
  const key = stage.inspector.getByLabel('Routing key');
  await key.fill('quick.brown.fox');
  await key.press('Enter');
  const alternate = mark(stage, id.exchange, 'alternate');
  await expect(alternate).toBeVisible();
  await expect(alternate).toContainText('no binding matched "quick.brown.fox" → AE "ae"');
  const aeId = await idOf(ae);
  await expect(dot(stage, id.exchange, aeId, 'alternate')).toBeVisible();
  await expect(unrouted.getByTestId('ready')).toHaveText('1');
  await expect(node(stage, 'queue', 'orange').getByTestId('ready')).toHaveText('0');
  await shotBoth(page, 'outcome-alternate');
  await expect.poll(() => seen(page)).toEqual(expect.arrayContaining([
    expect.stringMatching(new RegExp(`^dot ${id.exchange}>${aeId} alternate`)),
    expect.stringMatching(new RegExp(`^dot ${aeId}>${await idOf(unrouted)} route`)),
  ]));
  expect((await seen(page)).some((line) => line.startsWith(`mark ${id.exchange} unroutable`))).toBe(false);
  expect(errors).toEqual([]);
});

/**
 * The orange queue limited to one message, its consumer stopped, then two publishes: the second
 * meets a full queue. `overflow` is chosen in the inspector unless it is the default, drop-head.
 */
async function overfillOrange(page: Page, overflow: 'drop-head' | 'reject-publish', badge: string) {
  const stage = await slowStage(page);
  const id = await exampleIds(stage);
  const orange = node(stage, 'queue', 'orange');
  const producer = node(stage, 'producer', 'emit_log_topic');
  await stopConsumer(stage, node(stage, 'consumer', 'worker-orange'));
  await select(stage, orange);
  await setField(stage, 'Max length', '1');
  if (overflow === 'drop-head') await expect(stage.inspector.getByLabel('Overflow')).toHaveValue('drop-head');
  else await choose(stage, 'Overflow', overflow);
  await expect(orange.getByTestId('max-length')).toHaveText(badge);

  await publish(producer);
  await expect(orange.getByTestId('ready')).toHaveText('1');
  await publish(producer);
  return { stage, id, orange, producer };
}

test('refused: a full queue with overflow reject-publish refuses the next message', async ({ page }) => {
  const errors = collectErrors(page);
  const { stage, id, orange, producer } = await overfillOrange(page, 'reject-publish', 'max 1 · reject');
  const refused = mark(stage, id.orange, 'refused');
  await expect(refused).toBeVisible();
  await expect(refused).toContainText('queue full (overflow reject-publish)');
  await expect(producer.getByTestId('nacked')).toHaveText('1');
  await expect(orange.getByTestId('ready')).toHaveText('1');
  await shotBoth(page, 'outcome-refused');
  expect(errors).toEqual([]);
});

test('head dropped: a full queue with drop-head drops its oldest message', async ({ page }) => {
  const errors = collectErrors(page);
  const { stage, id, orange, producer } = await overfillOrange(page, 'drop-head', 'max 1');
  const dropped = mark(stage, id.orange, 'head dropped');
  await expect(dropped).toBeVisible();
  await expect(dropped).toContainText('length limit');
  await expect(producer.getByTestId('published')).toHaveText('2');
  await expect(orange.getByTestId('ready')).toHaveText('1');
  await shotBoth(page, 'outcome-head-dropped');
  expect(errors).toEqual([]);
});

test('expired: by the queue’s message TTL, and by a message’s own expiration', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await slowStage(page);
  const id = await exampleIds(stage);
  const orange = node(stage, 'queue', 'orange');
  const producer = node(stage, 'producer', 'emit_log_topic');
  await stopConsumer(stage, node(stage, 'consumer', 'worker-orange'));
  await select(stage, orange);
  await setField(stage, 'Message TTL (ms)', '2000');
  await expect(orange.getByTestId('ttl')).toHaveText('TTL 2 s');

  await publish(producer);
  await expect(orange.getByTestId('ready')).toHaveText('1');
  await expect(page.getByTestId('sim-time')).toHaveText('0.0 s');
  await clock(stage, 'Step');
  await expect(page.getByTestId('sim-time')).toHaveText('2.0 s');
  const expired = mark(stage, id.orange, 'expired');
  await expect(expired).toBeVisible();
  await expect(expired).toContainText('queue TTL 2000 ms');
  await expect(orange.getByTestId('ready')).toHaveText('0');
  await shotBoth(page, 'outcome-expired-queue-ttl');
  await expect(expired).toHaveCount(0, { timeout: 15_000 });

  // A message's own expiration, shorter than the queue's TTL, wins.
  await select(stage, producer);
  await setField(stage, 'Expiration (ms)', '500');
  await expect(producer.getByTestId('expiration')).toHaveText('exp 500 ms');
  await publish(producer);
  await expect(orange.getByTestId('ready')).toHaveText('1');
  await clock(stage, 'Step');
  await expect(page.getByTestId('sim-time')).toHaveText('2.5 s');
  const own = mark(stage, id.orange, 'expired');
  await expect(own).toBeVisible();
  await expect(own).toContainText('message TTL 500 ms');
  await expect(orange.getByTestId('ready')).toHaveText('0');
  await shotBoth(page, 'outcome-expired-message');
  expect(errors).toEqual([]);
});

test('dead-lettered: an expired message travels the DLX edge into a dead-letter queue', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await slowStage(page);
  const id = await exampleIds(stage);
  const dlx = await addNamed(stage, 'exchange', 'dlx');
  await choose(stage, 'Type', 'fanout');
  const dead = await addNamed(stage, 'queue', 'dead-letters');
  await fitView(stage);
  await link(stage, dlx, dead);
  await autoLayout(stage);
  const orange = node(stage, 'queue', 'orange');
  await stopConsumer(stage, node(stage, 'consumer', 'worker-orange'));
  await select(stage, orange);
  await setField(stage, 'Message TTL (ms)', '1000');
  await setField(stage, 'Dead-letter exchange', 'dlx');
  await expect(orange.getByTestId('dlx')).toHaveText('DLX → dlx');
  await recordLayer(page);

  await publish(node(stage, 'producer', 'emit_log_topic'));
  await expect(orange.getByTestId('ready')).toHaveText('1');
  await expect(dead.getByTestId('ready')).toHaveText('0');
  await clock(stage, 'Step');
  const deadLettered = mark(stage, id.orange, 'dead-lettered');
  await expect(deadLettered).toBeVisible();
  await expect(deadLettered).toContainText('expired → dlx');
  const dlxId = await idOf(dlx);
  await expect(dot(stage, id.orange, dlxId, 'dead-letter')).toBeVisible();
  await expect(dead.getByTestId('ready')).toHaveText('1');
  await expect(orange.getByTestId('ready')).toHaveText('0');
  await shotBoth(page, 'outcome-dead-lettered');
  await expect.poll(() => seen(page)).toEqual(expect.arrayContaining([
    expect.stringMatching(new RegExp(`^dot ${id.orange}>${dlxId} dead-letter`)),
    expect.stringMatching(new RegExp(`^dot ${dlxId}>${await idOf(dead)} route`)),
  ]));
  expect(errors).toEqual([]);
});

test('nacked and requeued: a failing consumer sends it back, and it is redelivered', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await slowStage(page);
  const id = await exampleIds(stage);
  const worker = node(stage, 'consumer', 'worker-orange');
  const orange = node(stage, 'queue', 'orange');
  await select(stage, worker);
  await setField(stage, 'Failure rate (0–1)', '1');
  await choose(stage, 'On failure', 'nack-requeue');
  await expect(worker.getByTestId('failure')).toHaveText('fail 100% → nack-requeue');

  await publish(node(stage, 'producer', 'emit_log_topic'));
  await expect(worker.getByTestId('delivered')).toHaveText('1');
  await expect(worker.getByTestId('in-flight')).toHaveText('1');
  await clock(stage, 'Step');
  const nacked = mark(stage, id.workerOrange, 'nacked');
  await expect(nacked).toBeVisible();
  await expect(nacked).toContainText('requeue');
  await expect(dot(stage, id.workerOrange, id.orange, 'requeue')).toBeVisible();
  await expect(mark(stage, id.orange, 'requeued')).toContainText('nack with requeue');
  await expect(worker.getByTestId('failed')).toHaveText('1 failed');
  await expect(worker.getByTestId('delivered')).toHaveText('2');
  const redelivered = mark(stage, id.workerOrange, 'redelivered');
  await expect(redelivered).toBeVisible();
  await shotBoth(page, 'outcome-requeued-redelivered');
  await expect(worker.getByTestId('acked')).toHaveText('0');
  await expect(orange.getByTestId('unacked')).toHaveText('1');
  expect(await seen(page)).toEqual(expect.arrayContaining([`dot ${id.workerOrange}>${id.orange} requeue consume:${id.workerOrange}`]));
  expect(errors).toEqual([]);
});

test('nacked without requeue: dropped at the queue, which has no dead-letter exchange', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await slowStage(page);
  const id = await exampleIds(stage);
  const worker = node(stage, 'consumer', 'worker-orange');
  await select(stage, worker);
  await setField(stage, 'Failure rate (0–1)', '1');
  await choose(stage, 'On failure', 'nack-drop');

  await publish(node(stage, 'producer', 'emit_log_topic'));
  await expect(worker.getByTestId('in-flight')).toHaveText('1');
  await clock(stage, 'Step');
  await expect(mark(stage, id.workerOrange, 'nacked')).toContainText('no requeue');
  const dropped = mark(stage, id.orange, 'dropped');
  await expect(dropped).toContainText('rejected without requeue, and the queue has no dead-letter exchange');
  await expect(worker.getByTestId('in-flight')).toHaveText('0');
  await expect(node(stage, 'queue', 'orange').getByTestId('unacked')).toHaveText('0');
  await expect(node(stage, 'queue', 'orange').getByTestId('ready')).toHaveText('0');
  await shotBoth(page, 'outcome-nacked-dropped');
  expect(errors).toEqual([]);
});

test('a crashed consumer’s unacked message is requeued and waits ready', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await slowStage(page);
  const id = await exampleIds(stage);
  const worker = node(stage, 'consumer', 'worker-orange');
  const orange = node(stage, 'queue', 'orange');
  await publish(node(stage, 'producer', 'emit_log_topic'));
  await expect(orange.getByTestId('unacked')).toHaveText('1');
  await select(stage, worker);
  await stage.inspector.getByRole('button', { name: 'Crash', exact: true }).click();
  const requeued = mark(stage, id.orange, 'requeued');
  await expect(requeued).toBeVisible();
  await expect(requeued).toContainText('its channel closed before it was acknowledged');
  await expect(worker.getByTestId('status')).toHaveText('crashed');
  await expect(orange.getByTestId('ready')).toHaveText('1');
  await expect(orange.getByTestId('unacked')).toHaveText('0');
  await shotBoth(page, 'outcome-crash-requeued');

  // Started again, it gets the message redelivered.
  await stage.inspector.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(mark(stage, id.workerOrange, 'redelivered')).toBeVisible();
  await expect(orange.getByTestId('unacked')).toHaveText('1');
  expect(errors).toEqual([]);
});
