/** Tab completion in the console: programs, commands, info items and the broker's names. */
import { describe, expect, it } from 'vitest';
import { createBroker } from '../../../src/broker/index';
import { complete } from '../../../src/broker/tools/complete';

async function snapshot() {
  const broker = createBroker({ seed: 1 });
  const channel = await (await broker.connect()).createChannel();
  await channel.assertQueue('task_queue', { durable: true });
  await channel.assertQueue('tasks_done', { durable: true });
  await channel.assertExchange('logs', 'fanout', { durable: false });
  return broker.inspect();
}

describe('complete', () => {
  it('completes a program, then a rabbitmqctl command, adding a space when there is one choice', async () => {
    const s = await snapshot();
    expect(complete('rabbitm', s)).toEqual({ line: 'rabbitmq', candidates: ['rabbitmqadmin', 'rabbitmqctl'] });
    expect(complete('sudo rabbitmqc', s)).toEqual({ line: 'sudo rabbitmqctl ', candidates: ['rabbitmqctl'] });
    expect(complete('rabbitmqctl list_q', s)).toEqual({ line: 'rabbitmqctl list_queues ', candidates: ['list_queues'] });
    expect(complete('rabbitmqctl list_', s).candidates).toEqual(['list_bindings', 'list_channels', 'list_connections', 'list_consumers', 'list_exchanges', 'list_queues', 'list_vhosts']);
  });

  it('completes info items after a listing, and queue names after purge_queue and delete_queue', async () => {
    const s = await snapshot();
    // messages_unacknowledged and messages_unacknowledged_ram: completed as far as both agree.
    expect(complete('rabbitmqctl list_queues name messages_un', s)).toEqual({
      line: 'rabbitmqctl list_queues name messages_unacknowledged',
      candidates: ['messages_unacknowledged', 'messages_unacknowledged_ram'],
    });
    expect(complete('rabbitmqctl list_queues cons', s).candidates).toEqual(['consumer_capacity', 'consumer_utilisation', 'consumers']);
    expect(complete('rabbitmqctl delete_queue task', s)).toEqual({ line: 'rabbitmqctl delete_queue task', candidates: ['task_queue', 'tasks_done'] });
    expect(complete('rabbitmqctl purge_queue task_', s).line).toBe('rabbitmqctl purge_queue task_queue ');
  });

  it('completes rabbitmqadmin verbs, types and name= values; curl API paths', async () => {
    const s = await snapshot();
    expect(complete('rabbitmqadmin de', s).candidates).toEqual(['declare', 'delete']);
    expect(complete('rabbitmqadmin delete q', s).line).toBe('rabbitmqadmin delete queue ');
    expect(complete('rabbitmqadmin delete queue name=task_', s).line).toBe('rabbitmqadmin delete queue name=task_queue ');
    expect(complete('rabbitmqadmin delete exchange name=l', s).line).toBe('rabbitmqadmin delete exchange name=logs ');
    expect(complete('curl -u guest:guest http://localhost:15672/api/ov', s).line).toBe('curl -u guest:guest http://localhost:15672/api/overview ');
    expect(complete('curl http://localhost:15672/api/queues/%2f/task_', s).line).toBe('curl http://localhost:15672/api/queues/%2f/task_queue ');
  });

  it('leaves a line it cannot complete as it is', async () => {
    const s = await snapshot();
    expect(complete('nothing-like-this', s)).toEqual({ line: 'nothing-like-this', candidates: [] });
    expect(complete('rabbitmqctl list_queues zz', s)).toEqual({ line: 'rabbitmqctl list_queues zz', candidates: [] });
  });
});
