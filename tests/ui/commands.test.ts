/** The commands log's text: each topology op and publish as rabbitmqadmin and amqplib. */
import { describe, expect, it } from 'vitest';
import { opCommands, publishCommands, topologyCommands } from '../../src/ui/console/commands';
import { exampleDiagram } from '../../src/ui/canvas/example';

describe('commands', () => {
  it('writes declarations with their flags and arguments (plain JSON), shell-quoted where needed', () => {
    expect(opCommands({ op: 'declareQueue', name: 'orders eu', durable: true, exclusive: false, autoDelete: false, arguments: { 'x-max-length': { $long: 5 } } })).toEqual({
      what: 'declare queue orders eu',
      admin: `rabbitmqadmin declare queue name='orders eu' durable=true arguments='{"x-max-length":5}'`,
      amqplib: `await channel.assertQueue('orders eu', {"arguments":{"x-max-length":5},"durable":true});`,
    });
    expect(opCommands({ op: 'declareExchange', name: 'logs', type: 'fanout', durable: false, autoDelete: true, internal: false, arguments: {} })).toMatchObject({
      admin: 'rabbitmqadmin declare exchange name=logs type=fanout durable=false auto_delete=true',
      amqplib: `await channel.assertExchange('logs', 'fanout', {"autoDelete":true,"durable":false});`,
    });
    expect(opCommands({ op: 'bind', source: 'x', destinationKind: 'exchange', destination: 'y', routingKey: "it's", arguments: {} })).toMatchObject({
      admin: `rabbitmqadmin declare binding source=x destination=y destination_type=exchange routing_key='it'\\''s'`,
      amqplib: `await channel.bindExchange('y', 'x', 'it\\'s');`,
    });
    expect(opCommands({ op: 'unbind', source: 'x', destinationKind: 'queue', destination: 'q', routingKey: '', arguments: {} }).admin).toBe(
      "rabbitmqadmin delete binding source=x destination=q destination_type=queue properties_key='~'",
    );
  });

  it('writes a publish with its properties in the API names for rabbitmqadmin, amqplib options as they are', () => {
    const c = publishCommands('', 'task_queue', { routingKey: '', body: 'A task', properties: { persistent: true, correlationId: 'c1' } });
    expect(c.admin).toBe(`rabbitmqadmin publish exchange=amq.default routing_key=task_queue payload='A task' properties='{"delivery_mode":2,"correlation_id":"c1"}'`);
    expect(c.amqplib).toBe(`channel.publish('', 'task_queue', Buffer.from('A task'), {"correlationId":"c1","persistent":true});`);
  });

  it('an edit gives the ops the worker applies: removing a binding unbinds it, nothing else', () => {
    const before = exampleDiagram();
    const after = { ...before, bindings: before.bindings.slice(1) };
    expect(topologyCommands(before, after).map((c) => c.what)).toEqual([`unbind topic_logs → orange (*.orange.*)`]);
    expect(topologyCommands(before, before)).toEqual([]);
  });

  it("a server-named queue is a client's: declared with the name '', bound by the name the broker gave", () => {
    const before = exampleDiagram();
    const q = { id: 'sn', kind: 'queue' as const, position: { x: 0, y: 0 }, name: '', durable: false, exclusive: true, autoDelete: false, arguments: {} };
    const after = { ...before, nodes: [...before.nodes, q], bindings: [...before.bindings, { id: 'bsn', source: before.bindings[0]!.source, destination: { kind: 'queue' as const, id: 'sn' }, routingKey: 'a.#', arguments: {} }] };
    const entries = topologyCommands(before, after);
    expect(entries.map((e) => e.amqplib)).toEqual([`const { queue } = await channel.assertQueue('', {"exclusive":true});`, `await channel.bindQueue(queue, 'topic_logs', 'a.#');`]);
    expect(entries[0]!.admin).toMatch(/^# rabbitmqadmin cannot/);
    expect(topologyCommands(after, before).map((e) => e.amqplib)).toEqual(['await channel.deleteQueue(queue);']);
  });
});
