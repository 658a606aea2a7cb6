/**
 * rabbitmqadmin (v1) against the broker core through the management API: its confirmations,
 * ASCII tables and errors, as its source prints them.
 */
import { describe, expect, it } from 'vitest';
import { createBroker } from '../../../src/broker/index';
import { consoleHost, runConsole } from '../../../src/broker/tools/console';

async function setup() {
  const broker = createBroker({ seed: 1 });
  const run = (line: string) => runConsole(consoleHost(broker, { date: () => 'Sun, 06 Dec 2026 18:59:52 GMT' }), line);
  return { broker, run };
}

describe('rabbitmqadmin', () => {
  it('declares a queue, an exchange and a binding, publishes, lists them as tables, and gets the message', async () => {
    const { run, broker } = await setup();
    expect(await run('rabbitmqadmin declare queue name=task_queue durable=true queue_type=quorum')).toEqual({ stdout: 'queue declared\n', stderr: '', status: 0 });
    expect(broker.inspect().queues[0]).toMatchObject({ name: 'task_queue', durable: true, type: 'quorum' });
    expect((await run('rabbitmqadmin declare exchange name=logs type=fanout durable=false')).stdout).toBe('exchange declared\n');
    expect((await run('rabbitmqadmin declare binding source=logs destination=task_queue')).stdout).toBe('binding declared\n');
    expect((await run('rabbitmqadmin publish exchange=logs routing_key=x payload="a task"')).stdout).toBe('Message published\n');
    expect((await run('rabbitmqadmin publish routing_key=nowhere payload=lost')).stdout).toBe('Message published but NOT routed\n');
    expect((await run('rabbitmqadmin list queues')).stdout).toBe(
      ['+------------+----------+', '|    name    | messages |', '+------------+----------+', '| task_queue | 1        |', '+------------+----------+', ''].join('\n'),
    );
    expect((await run('rabbitmqadmin list bindings source destination routing_key')).stdout).toBe(
      [
        '+--------+-------------+-------------+',
        '| source | destination | routing_key |',
        '+--------+-------------+-------------+',
        '|        | task_queue  | task_queue  |',
        '| logs   | task_queue  |             |',
        '+--------+-------------+-------------+',
        '',
      ].join('\n'),
    );
    const got = (await run('rabbitmqadmin get queue=task_queue ackmode=ack_requeue_false')).stdout.split('\n');
    expect(got[1]).toMatch(/^\| routing_key \| exchange \| message_count \| payload +\| payload_bytes \| payload_encoding \| properties \| redelivered \|$/);
    expect(got[3]).toMatch(/^\| x +\| logs +\| 0 +\| a task +\| 6 +\| string +\| +\| False +\|$/);
    expect(broker.inspect().queues[0]).toMatchObject({ messages: 0 });
  });

  it("the seed's form: python …/rabbitmqadmin delete queue name=task_queue", async () => {
    const { run, broker } = await setup();
    await run('rabbitmqadmin declare queue name=task_queue');
    expect(await run('python /usr/local/bin/rabbitmqadmin delete queue name=task_queue')).toEqual({ stdout: 'queue deleted\n', stderr: '', status: 0 });
    expect(broker.inspect().queues).toEqual([]);
    expect(await run('rabbitmqadmin delete queue name=task_queue')).toEqual({ stdout: '', stderr: '*** Not found: /api/queues/%2F/task_queue\n\n', status: 1 });
  });

  it('usage errors and refusals as rabbitmqadmin words them; empty lists say No items', async () => {
    const { run } = await setup();
    expect((await run('rabbitmqadmin list queues')).stdout).toBe('No items\n');
    expect(await run('rabbitmqadmin declare queue durable=true')).toEqual({ stdout: '', stderr: '\nERROR: mandatory argument "name" is required\n\nrabbitmqadmin --help for help\n\n', status: 1 });
    expect((await run('rabbitmqadmin declare queue name')).stderr).toContain('ERROR: Argument "name" not in the name=value format');
    expect((await run('rabbitmqadmin frobnicate')).stderr).toContain('ERROR: Action frobnicate not understood');
    expect((await run('rabbitmqadmin list things')).stderr).toContain("ERROR: Don't know how to list things");
    await run('rabbitmqadmin declare queue name=q durable=true');
    expect(await run('rabbitmqadmin declare queue name=q durable=false')).toMatchObject({ status: 1, stderr: "*** inequivalent arg 'durable' for queue 'q' in vhost '/': received 'false' but current is 'true'\n\n" });
    expect((await run('rabbitmqadmin -u guest -p wrong list queues')).stderr).toBe('*** Access refused: /api/queues\n\n');
  });
});
