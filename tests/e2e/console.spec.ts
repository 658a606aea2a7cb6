/**
 * The console under the canvas: a person types rabbitmqctl as the tutorials do and reads what
 * RabbitMQ's own tool prints for the broker on the canvas.
 */
import { expect, test, type Page } from '@playwright/test';
import { clock, node, openStage, select, shotBoth, type Stage } from './outcomes-support';
import { collectErrors } from './support';

async function openConsole(page: Page) {
  const drawer = page.getByRole('region', { name: 'Explanations' });
  await drawer.getByRole('tab', { name: 'Console' }).click();
  const command = drawer.getByRole('textbox', { name: 'Command' });
  await expect(command).toBeVisible();
  const output = drawer.getByRole('log', { name: 'Console output' });
  /** Types a line and presses Enter; resolves with the transcript's latest entry. */
  const enter = async (line: string) => {
    await command.fill(line);
    await command.press('Enter');
    return output.locator('pre').last();
  };
  return { command, output, enter };
}

async function openPreset(stage: Stage, title: RegExp): Promise<void> {
  await stage.page.getByRole('button', { name: 'Diagrams' }).click();
  const dialog = stage.page.getByRole('dialog', { name: 'Diagrams' });
  await dialog.getByRole('region', { name: 'Presets' }).getByRole('button', { name: title }).click();
  await expect(dialog).toBeHidden();
}

const LIST = "sudo rabbitmqctl list_queues name messages_ready messages_unacknowledged consumers state | sed 's/\\t/ | /g'";

test("tutorial 1's observations, typed: 4 ready with no consumer, then 0 ready and 1 consumer", async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await openPreset(stage, /^Hello World!/);
  await node(stage, 'producer', 'send').getByRole('button', { name: 'Publish' }).click();
  await expect(node(stage, 'queue', 'hello').getByTestId('ready')).toHaveText('4');

  const { command, output, enter } = await openConsole(page);
  await enter(LIST);
  await expect(output).toContainText('Listing queues for vhost / ...');
  await expect(output).toContainText('name | messages_ready | messages_unacknowledged | consumers | state');
  await expect(output.locator('pre').last()).toContainText('hello | 4 | 0 | 0 | running');

  // receive starts and takes them all.
  await select(stage, node(stage, 'consumer', 'receive'));
  await stage.inspector.getByRole('button', { name: 'Start', exact: true }).click();
  await clock(stage, 'Play');
  await expect(node(stage, 'queue', 'hello').getByTestId('ready')).toHaveText('0');

  // ↑ recalls the line.
  await command.click();
  await command.press('ArrowUp');
  await expect(command).toHaveValue(LIST);
  await command.press('Enter');
  await expect(output.locator('pre').last()).toContainText('hello | 0 | 0 | 1 | running');
  await shotBoth(page, 'console-tutorial-1');
  expect(errors).toEqual([]);
});

test('wrong commands get the real tools\' errors; output is text, never markup; clear empties the screen', async ({ page }) => {
  const errors = collectErrors(page);
  await openStage(page);
  const { command, output, enter } = await openConsole(page);
  for (const line of ['rabbitmqctl list_foo', 'rabbitmqctl list_queues name nope', 'rabbitmq list_queues', "rabbitmqctl list_queues '<b>x</b>"]) {
    await enter(line);
  }
  await expect(output).toContainText("Command 'list_foo' not found.");
  await expect(output).toContainText("Did you mean 'list_connections'?");
  await expect(output).toContainText('Error (argument validation): Info key(s) nope are not supported');
  await expect(output).toContainText('bash: rabbitmq: command not found');
  await expect(output).toContainText('unexpected EOF while looking for matching');
  await enter("rabbitmqctl list_queues '<img src=x onerror=alert(1)>'");
  await expect(output.getByText("$ rabbitmqctl list_queues '<img src=x onerror=alert(1)>'")).toBeVisible();
  await expect(output.locator('img')).toHaveCount(0);
  await enter('clear');
  await expect(output.locator('pre')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('purge_queue empties a queue on the canvas; list_bindings shows the default binding first', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await openPreset(stage, /^Hello World!/);
  await node(stage, 'producer', 'send').getByRole('button', { name: 'Publish' }).click();
  await expect(node(stage, 'queue', 'hello').getByTestId('ready')).toHaveText('4');
  const { command, output, enter } = await openConsole(page);
  await enter('rabbitmqctl purge_queue hello');
  await expect(output).toContainText("Purging queue 'hello' in vhost '/' ...");
  await expect(node(stage, 'queue', 'hello').getByTestId('ready')).toHaveText('0');
  await enter('rabbitmqctl list_bindings -q | column -t');
  await expect(output.locator('pre').last()).toContainText(/source_name\s+source_kind\s+destination_name/);
  await expect(output.locator('pre').last()).toContainText(/exchange\s+hello\s+queue\s+hello\s+\[\]/);
  expect(errors).toEqual([]);
});

test('delete_queue takes the queue off the canvas too; Undo brings it back, declared again', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  const { command, output, enter } = await openConsole(page);
  await enter('sudo rabbitmqctl delete_queue lazy');
  await expect(output).toContainText("Deleting queue 'lazy' on vhost '/' ...");
  await expect(output).toContainText('Queue was successfully deleted with 0 ready messages');
  await expect(node(stage, 'queue', 'lazy')).toHaveCount(0);
  await enter('rabbitmqctl list_queues -q name');
  await expect(output.locator('pre').last()).toHaveText('$ rabbitmqctl list_queues -q name\nname\norange\n');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(node(stage, 'queue', 'lazy')).toHaveCount(1);
  await enter('rabbitmqctl list_queues -q name');
  await expect(output.locator('pre').last()).toHaveText('$ rabbitmqctl list_queues -q name\nname\nlazy\norange\n');
  expect(errors).toEqual([]);
});


test("tutorial 2's observations: two workers on task_queue; curl DELETE answers 204 and the queue leaves the canvas", async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await openPreset(stage, /^Work queues/);
  await expect(node(stage, 'queue', 'task_queue')).toHaveCount(1);
  const { command, output, enter } = await openConsole(page);
  await enter("sudo rabbitmqctl list_queues name messages_ready messages_unacknowledged consumers state | sed 's/\\t/ | /g'");
  await expect(output.locator('pre').last()).toContainText('task_queue | 0 | 0 | 2 | running');
  await enter('curl -i -u guest:guest -H "content-type:application/json" -XDELETE http://localhost:15672/api/queues/%2f/task_queue');
  await expect(output.locator('pre').last()).toContainText('HTTP/1.1 204 No Content');
  await expect(output.locator('pre').last()).toContainText('server: Cowboy');
  await expect(node(stage, 'queue', 'task_queue')).toHaveCount(0);
  await enter('curl -s -u guest:guest http://localhost:15672/api/queues/%2f/task_queue');
  await expect(output.locator('pre').last()).toContainText('{"error":"Object Not Found","reason":"Not Found"}');
  await shotBoth(page, 'console-tutorial-2');
  expect(errors).toEqual([]);
});

test('a queue, exchange and binding declared by typing appear on the canvas; deleting the binding removes its edge', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  const { command, output, enter } = await openConsole(page);
  const type = async (line: string) => {
    await enter(line);
    await expect(output.locator('pre').last()).toContainText(line.slice(0, 30));
  };
  await type(`curl -i -u guest:guest -XPUT http://localhost:15672/api/queues/%2f/typed -H 'content-type: application/json' -d '{"durable":true,"arguments":{"x-message-ttl":5000}}'`);
  await expect(output.locator('pre').last()).toContainText('HTTP/1.1 201 Created');
  const typed = node(stage, 'queue', 'typed');
  await expect(typed).toHaveCount(1);
  await expect(typed.getByTestId('ttl')).toHaveText('TTL 5 s');
  await type(`curl -s -u guest:guest -XPOST http://localhost:15672/api/bindings/%2f/e/amq.topic/q/typed -d '{"routing_key":"audit.#"}'`);
  await expect(node(stage, 'exchange', 'amq.topic')).toHaveCount(1);
  await expect(stage.canvas.getByRole('button', { name: /^Binding key audit\.# from amq\.topic to typed/ })).toHaveCount(1);
  await type('curl -s -u guest:guest -XDELETE http://localhost:15672/api/bindings/%2f/e/amq.topic/q/typed/audit.%23');
  await expect(stage.canvas.getByRole('button', { name: /^Binding key audit\.# from amq\.topic to typed/ })).toHaveCount(0);
  await expect(typed).toHaveCount(1);
  // One undo takes back what one line did.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(stage.canvas.getByRole('button', { name: /^Binding key audit\.# from amq\.topic to typed/ })).toHaveCount(1);
  expect(errors).toEqual([]);
});

test("rabbitmqadmin, as the seed types it: python …/rabbitmqadmin delete queue name=task_queue takes the queue off the canvas", async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await openPreset(stage, /^Work queues/);
  const { command, output, enter } = await openConsole(page);
  await enter('rabbitmqadmin list queues name messages consumers');
  await expect(output.locator('pre').last()).toContainText('| task_queue | 0        | 2         |');
  await enter('python /usr/local/bin/rabbitmqadmin delete queue name=task_queue');
  await expect(output.locator('pre').last()).toContainText('queue deleted');
  await expect(node(stage, 'queue', 'task_queue')).toHaveCount(0);
  await enter('rabbitmqadmin declare queue name=jobs durable=true');
  await expect(output.locator('pre').last()).toContainText('queue declared');
  await expect(node(stage, 'queue', 'jobs')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test("tutorial 3's observations: the default exchanges plus logs, an amq.gen- queue with its consumer, its binding to logs", async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await openPreset(stage, /^Publish\/Subscribe/);
  await expect(stage.canvas.locator('.svelte-flow__node-queue').getByTitle(/^amq\.gen-/)).toHaveCount(2);
  const { command, output, enter } = await openConsole(page);
  const exchanges = await enter("sudo rabbitmqctl list_exchanges name type durable auto_delete | sed 's/\\t/ | /g'");
  await expect(exchanges).toContainText('Listing exchanges for vhost / ...\nname | type | durable | auto_delete\n | direct | true | false\namq.direct | direct | true | false');
  await expect(exchanges).toContainText('logs | fanout | false | false');
  const queues = await enter("sudo rabbitmqctl list_queues name consumers | sed 's/\\t/ | /g'");
  await expect(queues).toContainText(/amq\.gen-[\w-]{22} \| 1\n/);
  const bindings = await enter("sudo rabbitmqctl list_bindings source_name source_kind destination_name destination_kind routing_key | sed 's/\\t/ | /g'");
  await expect(bindings).toContainText(/ \| exchange \| amq\.gen-[\w-]{22} \| queue \| amq\.gen-[\w-]{22}\n/);
  await expect(bindings).toContainText(/logs \| exchange \| amq\.gen-[\w-]{22} \| queue \| \n/);
  expect(errors).toEqual([]);
});

test('Tab completes commands, info items and queue names; several candidates are listed', async ({ page }) => {
  const errors = collectErrors(page);
  await openStage(page);
  const { command, output, enter } = await openConsole(page);
  await command.fill('rabbitmqctl list_q');
  await command.press('Tab');
  await expect(command).toHaveValue('rabbitmqctl list_queues ');
  await command.pressSequentially('name consu');
  await command.press('Tab');
  await expect(command).toHaveValue('rabbitmqctl list_queues name consumer');
  await expect(page.getByRole('status', { name: 'Completions' })).toHaveText('consumer_capacity  consumer_utilisation  consumers');
  await command.pressSequentially('s');
  await command.press('Enter');
  await expect(output.locator('pre').last()).toContainText('name\tconsumers\nlazy\t1\norange\t1');
  await expect(page.getByRole('status', { name: 'Completions' })).toHaveCount(0);
  await command.fill('rabbitmqctl purge_queue or');
  await command.press('Tab');
  await expect(command).toHaveValue('rabbitmqctl purge_queue orange ');
  // On an empty line Tab moves on, as everywhere else on the page.
  await command.fill('');
  await command.press('Tab');
  await expect(command).not.toBeFocused();
  expect(errors).toEqual([]);
});

test('the history is kept with the diagram: after a reload, ↑ recalls the last line', async ({ page }) => {
  const errors = collectErrors(page);
  await openStage(page);
  let { command, output, enter } = await openConsole(page);
  await enter('rabbitmqctl list_vhosts');
  await expect(output.locator('pre').last()).toContainText('Listing vhosts ...');
  // Let the autosave run, then reload.
  await page.waitForTimeout(600);
  await page.reload();
  await expect(page.getByRole('status')).toContainText('Broker running in a Web Worker');
  ({ command, output, enter } = await openConsole(page));
  await command.press('ArrowUp');
  await expect(command).toHaveValue('rabbitmqctl list_vhosts');
  expect(errors).toEqual([]);
});

test('the commands log writes each canvas gesture as rabbitmqadmin and amqplib, copyable', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const errors = collectErrors(page);
  const stage = await openStage(page);
  // Rename the queue lazy: the broker deletes it and declares sleepy, bound as lazy was.
  await select(stage, node(stage, 'queue', 'lazy'));
  const name = stage.inspector.getByLabel('Name', { exact: true });
  await name.fill('sleepy');
  await name.press('Enter');
  await node(stage, 'producer', 'emit_log_topic').getByRole('button', { name: 'Publish' }).click();
  const drawer = page.getByRole('region', { name: 'Explanations' });
  await drawer.getByRole('tab', { name: 'Commands' }).click();
  const list = drawer.getByRole('list', { name: 'Commands' });
  await expect(list).toContainText('rabbitmqadmin delete queue name=lazy');
  await expect(list).toContainText(`rabbitmqadmin declare queue name=sleepy durable=true arguments='{"x-queue-type":"classic"}'`);
  await expect(list).toContainText(`await channel.assertQueue('sleepy', {"arguments":{"x-queue-type":"classic"},"durable":true});`);
  await expect(list).toContainText("rabbitmqadmin declare binding source=topic_logs destination=sleepy routing_key='lazy.#'");
  await expect(list).toContainText(`await channel.bindQueue('sleepy', 'topic_logs', 'lazy.#');`);
  await expect(list).toContainText('rabbitmqadmin publish exchange=topic_logs routing_key=quick.orange.rabbit payload=');
  await list.getByRole('button', { name: /^Copy rabbitmqadmin command: publish to topic_logs/ }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^rabbitmqadmin publish exchange=topic_logs routing_key=quick\.orange\.rabbit payload=/);
  await shotBoth(page, 'console-commands');
  expect(errors).toEqual([]);
});

test("tutorial 2's connections: list_connections shows the two workers' connections (new_task publishes and disconnects)", async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await openPreset(stage, /^Work queues/);
  await node(stage, 'producer', 'new_task').getByRole('button', { name: 'Publish' }).click();
  await expect(node(stage, 'queue', 'task_queue').getByTestId('unacked')).toHaveText('2');
  const { command, output, enter } = await openConsole(page);
  await enter("sudo rabbitmqctl list_connections name state user send_cnt | sed 's/\\t/ | /g'");
  const rows = output.locator('pre').last();
  await expect(rows).toContainText('Listing connections ...\nname | state | user | send_cnt\n');
  const text = (await rows.textContent()) ?? '';
  const lines = text.split('\n').filter((l) => l.includes('->'));
  expect(lines).toHaveLength(2);
  for (const line of lines) expect(line).toMatch(/^127\.0\.0\.1:\d+ -> 127\.0\.0\.1:5672 \| running \| guest \| \d+$/);
  expect(errors).toEqual([]);
});
