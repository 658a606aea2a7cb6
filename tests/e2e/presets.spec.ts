/**
 * Each preset, opened from the gallery and played as a person would (publish, start, crash,
 * play the clock), shows on screen what its tutorial or pattern observes.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { clock, node, openStage, select, speed, shotBoth, type Stage } from './outcomes-support';
import { collectErrors } from './support';

async function openPreset(stage: Stage, title: RegExp, classic = false): Promise<void> {
  await stage.page.getByRole('button', { name: 'Diagrams' }).click();
  const dialog = stage.page.getByRole('dialog', { name: 'Diagrams' });
  const presets = dialog.getByRole('region', { name: 'Presets' });
  if (classic) await presets.getByLabel(/Classic queues/).check();
  await presets.getByRole('button', { name: title }).click();
  await expect(dialog).toBeHidden();
}

const count = (card: Locator, testId: string) => card.getByTestId(testId);

async function publishFrom(stage: Stage, producer: string): Promise<void> {
  await node(stage, 'producer', producer).getByRole('button', { name: 'Publish' }).click();
}

async function consumerAction(stage: Stage, consumer: string, action: 'Start' | 'Stop' | 'Crash'): Promise<void> {
  await select(stage, node(stage, 'consumer', consumer));
  await stage.inspector.getByRole('button', { name: action, exact: true }).click();
}

function log(page: Page): Locator {
  return page.getByRole('region', { name: 'Explanations' });
}

async function openLog(page: Page): Promise<Locator> {
  const drawer = log(page);
  await drawer.getByRole('tab', { name: /^Event log/ }).click();
  return drawer;
}

test('tutorial 1: four messages wait in hello; receive started takes them all, 0 ready', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await openPreset(stage, /^Hello World!/);
  const hello = node(stage, 'queue', 'hello');
  await expect(hello.getByTestId('queue-type')).toHaveText('quorum');
  await publishFrom(stage, 'send');
  await expect(count(hello, 'ready')).toHaveText('4');
  await consumerAction(stage, 'receive', 'Start');
  await clock(stage, 'Play');
  await expect(count(hello, 'ready')).toHaveText('0');
  await expect(count(node(stage, 'consumer', 'receive'), 'delivered')).toHaveText('4');
  expect(errors).toEqual([]);
});

test('tutorial 2: two prefetch-1 workers share the tasks; a worker crashed mid-task has its task redelivered to the other', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await openPreset(stage, /^Work queues/);
  const queue = node(stage, 'queue', 'task_queue');
  const [w1, w2] = [node(stage, 'consumer', 'worker-1'), node(stage, 'consumer', 'worker-2')];
  await publishFrom(stage, 'new_task');
  // Prefetch 1: one task each, three wait.
  await expect(count(queue, 'ready')).toHaveText('3');
  await expect(count(queue, 'unacked')).toHaveText('2');
  await expect(count(w1, 'in-flight')).toHaveText('1');
  await expect(count(w2, 'in-flight')).toHaveText('1');
  // worker-1 dies mid-task (the clock has not moved): its task goes back to task_queue.
  await consumerAction(stage, 'worker-1', 'Crash');
  await expect(w1.getByTestId('status')).toHaveText('crashed');
  await expect(count(queue, 'ready')).toHaveText('4');
  await speed(stage, '8');
  await clock(stage, 'Play');
  await expect(count(w2, 'acked')).toHaveText('5', { timeout: 20_000 });
  await expect(count(queue, 'ready')).toHaveText('0');
  const drawer = await openLog(page);
  await expect(drawer.getByRole('button', { name: /delivered from "task_queue" \(redelivered\)/ })).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('tutorial 3: each receiver declares its own amq.gen- queue, which goes with its connection and comes back under a new name', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await openPreset(stage, /^Publish\/Subscribe/);
  const queues = stage.canvas.locator('.svelte-flow__node-queue');
  await expect(queues.getByTitle(/^amq\.gen-[\w-]{22}$/)).toHaveCount(2);
  await expect(queues.getByTestId('server-named')).toHaveCount(2);
  const first = await queues.nth(0).getByTitle(/^amq\.gen-/).getAttribute('title');
  await publishFrom(stage, 'emit_log');
  await expect(count(node(stage, 'consumer', 'receive_logs-1'), 'delivered')).toHaveText('1');
  await expect(count(node(stage, 'consumer', 'receive_logs-2'), 'delivered')).toHaveText('1');

  // receive_logs-1 dies: its queue is gone, so the next log does not reach it.
  await consumerAction(stage, 'receive_logs-1', 'Crash');
  await expect(queues.nth(0).getByTitle('server-named, not declared')).toBeVisible();
  await publishFrom(stage, 'emit_log');
  await expect(count(node(stage, 'consumer', 'receive_logs-2'), 'delivered')).toHaveText('2');
  // Started again: a new queue, a new name, bound to logs again.
  await consumerAction(stage, 'receive_logs-1', 'Start');
  await expect(queues.nth(0).getByTitle(/^amq\.gen-/)).toBeVisible();
  expect(await queues.nth(0).getByTitle(/^amq\.gen-/).getAttribute('title')).not.toBe(first);
  await publishFrom(stage, 'emit_log');
  await expect(count(node(stage, 'consumer', 'receive_logs-1'), 'delivered')).toHaveText('2');
  await shotBoth(page, 'preset-publish-subscribe');
  expect(errors).toEqual([]);
});

test('tutorial 4: info reaches only the receiver that binds every severity, error reaches both', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await openPreset(stage, /^Routing/);
  const [all, errorsOnly] = [node(stage, 'consumer', 'receive_logs_direct-2'), node(stage, 'consumer', 'receive_logs_direct-1')];
  await publishFrom(stage, 'emit_log_direct');
  await expect(count(all, 'delivered')).toHaveText('1');
  await select(stage, node(stage, 'producer', 'emit_log_direct'));
  const key = stage.inspector.getByLabel('Routing key', { exact: true });
  await key.fill('error');
  await key.press('Tab');
  await publishFrom(stage, 'emit_log_direct');
  await expect(count(all, 'delivered')).toHaveText('2');
  await expect(count(errorsOnly, 'delivered')).toHaveText('1');
  expect(errors).toEqual([]);
});

test('tutorial 6: rpc_server answers the request to its Direct Reply-to address, with the same correlation id', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await openPreset(stage, /^RPC/);
  await expect(node(stage, 'queue', 'amq.rabbitmq.reply-to').getByTestId('direct-reply-to')).toBeVisible();
  await expect(node(stage, 'consumer', 'rpc_server').getByTestId('replies')).toBeVisible();
  await publishFrom(stage, 'rpc_client');
  await expect(count(node(stage, 'consumer', 'rpc_server'), 'delivered')).toHaveText('1');
  await speed(stage, '8');
  await clock(stage, 'Play');
  await expect(count(node(stage, 'consumer', 'rpc_client'), 'delivered')).toHaveText('1');
  const drawer = await openLog(page);
  await expect(drawer.getByRole('button', { name: /^#2 delivered from "amq\.rabbitmq\.reply-to"/ })).toHaveCount(1);
  // The answer, opened in the message inspector: the request's correlation id, the answer as body.
  await drawer.getByRole('button', { name: /^#2 published/ }).click();
  const message = page.getByRole('region', { name: 'Message inspector' });
  await expect(message.getByRole('region', { name: 'Properties' })).toContainText('8f2b6c1e-4d3a-4f7b-9e05-1c2d3e4f5a6b');
  await expect(message).toContainText(/amq\.rabbitmq\.reply-to\./);
  await shotBoth(page, 'preset-rpc');
  expect(errors).toEqual([]);
});

test('patterns: the alternate exchange takes an unmatched key, headers bindings match all or any, priority 9 jumps the queue', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);

  await openPreset(stage, /^Alternate exchange/);
  await publishFrom(stage, 'publisher');
  await expect(count(node(stage, 'queue', 'orders.unrouted'), 'ready')).toHaveText('1');
  await expect(count(node(stage, 'queue', 'orders.eu'), 'ready')).toHaveText('0');

  await openPreset(stage, /^Headers routing/);
  await publishFrom(stage, 'uploader');
  const drawer = await openLog(page);
  await expect(drawer.getByRole('button', { name: /enqueued in "pdf_reports"/ })).toHaveCount(1);
  await expect(drawer.getByRole('button', { name: /enqueued in "zip_or_log"/ })).toHaveCount(0);

  await openPreset(stage, /^Priority queue/);
  await publishFrom(stage, 'low');
  await publishFrom(stage, 'high');
  await expect(count(node(stage, 'queue', 'jobs'), 'ready')).toHaveText('6');
  await consumerAction(stage, 'worker', 'Start');
  await speed(stage, '8');
  await clock(stage, 'Play');
  await expect(count(node(stage, 'consumer', 'worker'), 'acked')).toHaveText('6', { timeout: 20_000 });
  // The deliveries, oldest first: the three high-priority messages (#4 to #6) come out first.
  const delivered = drawer.getByRole('button', { name: /delivered from "jobs"/ });
  await expect(delivered).toHaveCount(6);
  const order = (await delivered.allTextContents()).map((text) => Number(/#(\d+)/.exec(text)?.[1]));
  expect(order.slice(0, 3).sort()).toEqual([4, 5, 6]);
  expect(errors).toEqual([]);
});

test('pattern: a rejected task waits in work.retry, then is dead-lettered back to work and delivered again', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await openPreset(stage, /^Dead-lettering with retry/);
  await publishFrom(stage, 'publisher');
  await speed(stage, '8');
  await clock(stage, 'Play');
  const drawer = await openLog(page);
  await expect(drawer.getByRole('button', { name: /dead-lettered from "work" \(rejected\) to "work\.dlx"/ }).first()).toBeVisible({ timeout: 20_000 });
  await expect(drawer.getByRole('button', { name: /dead-lettered from "work\.retry" \(expired\) to "work"/ }).first()).toBeVisible({ timeout: 20_000 });
  expect(errors).toEqual([]);
});
