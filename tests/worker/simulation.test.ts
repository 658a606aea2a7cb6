/**
 * The worker's simulation in Node, no worker: a diagram synced onto a real broker core, simulated
 * producers and consumers on its clock, clock controls, re-syncs, refused ops, and the host
 * serving it all over the protocol with a fake port.
 */

import { describe, expect, it } from 'vitest';
import { createBroker, type BrokerEvent } from '../../src/broker/index';
import type { ConsumerNode, Diagram, ExchangeNode, ProducerNode, QueueNode } from '../../src/document/types';
import { createHost } from '../../src/worker/host';
import type { WorkerEvents, WorkerMessage } from '../../src/worker/protocol';
import { Simulation } from '../../src/worker/simulation';

// ---- a small diagram: producer -> topic exchange -> two queues -> consumers -----------------

const at = { x: 0, y: 0 };

function exchange(id: string, name: string, extra: Partial<ExchangeNode> = {}): ExchangeNode {
  return { kind: 'exchange', id, position: at, name, type: 'topic', durable: true, autoDelete: false, internal: false, arguments: {}, ...extra };
}

function queue(id: string, name: string, extra: Partial<QueueNode> = {}): QueueNode {
  return { kind: 'queue', id, position: at, name, durable: true, exclusive: false, autoDelete: false, arguments: {}, ...extra };
}

function producer(id: string, target: string, extra: Partial<ProducerNode> = {}): ProducerNode {
  return {
    kind: 'producer',
    id,
    position: at,
    name: id,
    target: { kind: 'exchange', id: target },
    message: { routingKey: 'order.eu.new', body: 'hello', properties: {} },
    mode: { kind: 'once' },
    ...extra,
  };
}

function consumer(id: string, queueId: string, extra: Partial<ConsumerNode> = {}): ConsumerNode {
  return {
    kind: 'consumer',
    id,
    position: at,
    name: id,
    queue: queueId,
    prefetch: 1,
    ackMode: 'manual',
    workMs: 100,
    failure: { rate: 0, action: 'nack-requeue' },
    running: true,
    ...extra,
  };
}

/** P -> orders (topic) -> eu ('order.eu.*'), all ('order.#') -> C-eu (work 100 ms, prefetch 1), C-all (50 ms, prefetch 2). */
function shop(): Diagram {
  return {
    version: 1,
    nodes: [
      producer('p', 'x'),
      exchange('x', 'orders'),
      queue('q-eu', 'eu'),
      queue('q-all', 'all'),
      consumer('c-eu', 'q-eu', { workMs: 100, prefetch: 1 }),
      consumer('c-all', 'q-all', { workMs: 50, prefetch: 2 }),
    ],
    bindings: [
      { id: 'b-eu', source: 'x', destination: { kind: 'queue', id: 'q-eu' }, routingKey: 'order.eu.*', arguments: {} },
      { id: 'b-all', source: 'x', destination: { kind: 'queue', id: 'q-all' }, routingKey: 'order.#', arguments: {} },
    ],
  };
}

/** The same diagram with some nodes changed. */
function edit(diagram: Diagram, change: (d: Diagram) => void): Diagram {
  const copy = structuredClone(diagram);
  change(copy);
  return copy;
}

function node<K extends Diagram['nodes'][number]['kind']>(d: Diagram, id: string): Extract<Diagram['nodes'][number], { kind: K }> {
  return d.nodes.find((n) => n.id === id) as Extract<Diagram['nodes'][number], { kind: K }>;
}

function setup(seed = 1) {
  const sim = new Simulation({ createBroker, seed });
  const events: BrokerEvent[] = [];
  sim.observe((e) => events.push(e));
  const of = <T extends BrokerEvent['type']>(type: T) => events.filter((e): e is Extract<BrokerEvent, { type: T }> => e.type === type);
  const depth = (name: string) => {
    const q = sim.inspect().queues.find((row) => row.name === name);
    return q && { ready: q.messages_ready, unacked: q.messages_unacknowledged, consumers: q.consumers };
  };
  return { sim, events, of, depth };
}

/** Steps the clock until nothing is due (or `limit` steps). */
function runDown(sim: Simulation, limit = 1000): void {
  for (let i = 0; i < limit && sim.clockState().nextDue !== null; i++) sim.step();
}

// ---- tests ------------------------------------------------------------------------------------

describe('simulation: sync', () => {
  it('declares the topology and subscribes the consumers', async () => {
    const { sim, of, depth } = setup();
    expect(await sim.syncTo(shop())).toEqual({ errors: [] });

    const snapshot = sim.inspect();
    expect(snapshot.exchanges.find((x) => x.name === 'orders')).toMatchObject({ type: 'topic', durable: true });
    expect(snapshot.bindings.filter((b) => b.source_name === 'orders').map((b) => [b.destination_name, b.routing_key])).toEqual([
      ['all', 'order.#'],
      ['eu', 'order.eu.*'],
    ]);
    expect(depth('eu')).toEqual({ ready: 0, unacked: 0, consumers: 1 });
    expect(depth('all')).toEqual({ ready: 0, unacked: 0, consumers: 1 });
    expect(of('exchange.declared').map((e) => e.exchange)).toEqual(['orders']);
    expect(of('queue.declared').map((e) => e.queue)).toEqual(['all', 'eu']);
    expect(of('consumer.added').map((e) => e.queue).sort()).toEqual(['all', 'eu']);
    expect(snapshot.consumers.map((c) => [c.queue_name, c.prefetch_count, c.ack_required]).sort()).toEqual([
      ['all', 2, true],
      ['eu', 1, true],
    ]);

    // A second sync of the same diagram changes nothing.
    const before = of('binding.created').length;
    expect(await sim.syncTo(shop())).toEqual({ errors: [] });
    expect(of('binding.created')).toHaveLength(before);
  });

  it('reports each client with its connection and channel ids, matching the events', async () => {
    const { sim, of } = setup();
    await sim.syncTo(shop());
    await sim.publishOnce('p');
    const state = sim.state();
    const p = state.clients.find((c) => c.id === 'p')!;
    const publish = of('publish')[0]!;
    expect([p.connection, p.channel]).toEqual([publish.connection, publish.channel]);
    const cEu = state.clients.find((c) => c.id === 'c-eu')!;
    expect(cEu).toMatchObject({ kind: 'consumer', status: 'running', delivered: 1, inFlight: 1 });
    expect(of('delivered').find((d) => d.queue === 'eu')!.channel).toBe(cEu.channel);
  });
});

describe('simulation: publishing and consuming on the simulated clock', () => {
  it('publishes a burst with traces and verdicts, delivers up to prefetch, acks after workMs', async () => {
    const { sim, of, depth } = setup();
    await sim.syncTo(shop());
    const result = await sim.publishBurst('p', 3);
    expect(result).toEqual({ published: 3, confirmed: 3, nacked: 0, returned: 0, lost: 0 });

    const publishes = of('publish');
    expect(publishes).toHaveLength(3);
    const trace = publishes[0]!.trace;
    expect(trace.outcome).toBe('routed');
    expect(trace.routingKey).toBe('order.eu.new');
    expect(trace.visits[0]!.bindings.map((v) => [v.destination, v.bindingKey, v.matched, v.reason])).toEqual([
      ['all', 'order.#', true, expect.any(String)],
      ['eu', 'order.eu.*', true, expect.any(String)],
    ]);
    expect(trace.queues.map((q) => q.queue).sort()).toEqual(['all', 'eu']);
    expect(of('confirm').every((c) => c.ack)).toBe(true);

    // Prefetch: eu's consumer holds 1, all's holds 2.
    expect(depth('eu')).toEqual({ ready: 2, unacked: 1, consumers: 1 });
    expect(depth('all')).toEqual({ ready: 1, unacked: 2, consumers: 1 });
    expect(sim.clockState()).toMatchObject({ now: 0, nextDue: 50, playing: false });

    // Step: all's two deliveries finish at 50 together, then its third at 100, eu's at 100, 200, 300.
    sim.step();
    expect(sim.clockState().now).toBe(50);
    expect(of('acked').map((a) => [a.queue, a.time])).toEqual([
      ['all', 50],
      ['all', 50],
    ]);
    expect(depth('all')).toEqual({ ready: 0, unacked: 1, consumers: 1 });
    runDown(sim);
    expect(of('acked').map((a) => [a.queue, a.time])).toEqual([
      ['all', 50],
      ['all', 50],
      ['eu', 100],
      ['all', 100],
      ['eu', 200],
      ['eu', 300],
    ]);
    expect(of('delivered').filter((d) => d.queue === 'eu').map((d) => d.time)).toEqual([0, 100, 200]);
    expect(depth('eu')).toEqual({ ready: 0, unacked: 0, consumers: 1 });
    expect(sim.clockState()).toEqual({ now: 300, playing: false, speed: 1, nextDue: null });
    expect(sim.state().clients.find((c) => c.id === 'c-eu')).toMatchObject({ delivered: 3, acked: 3, failed: 0, inFlight: 0 });
  });

  it('advanceBy runs what is due on the way', async () => {
    const { sim, of } = setup();
    await sim.syncTo(shop());
    await sim.publishBurst('p', 3);
    sim.advanceBy(150);
    expect(sim.clockState().now).toBe(150);
    expect(of('acked').map((a) => a.time)).toEqual([50, 50, 100, 100]);
  });

  it('uses the template: headers, properties, persistent, CC; records returns and nacks', async () => {
    const d = edit(shop(), (d) => {
      node<'producer'>(d, 'p').message = {
        routingKey: 'nowhere',
        body: '{"id":1}',
        properties: {
          mandatory: true,
          persistent: true,
          priority: 3,
          expiration: '60000',
          correlationId: 'c-1',
          messageId: 'm-1',
          replyTo: 'replies',
          contentType: 'application/json',
          headers: { tenant: 'acme', attempt: { $long: 1 } },
          CC: ['order.eu.cc'],
        },
      };
    });
    const { sim, of } = setup();
    await sim.syncTo(d);
    await sim.publishOnce('p');
    // 'nowhere' matches nothing, its CC key reaches both queues.
    const trace = of('publish')[0]!.trace;
    expect(trace.cc).toEqual(['order.eu.cc']);
    expect(trace.outcome).toBe('routed');

    expect(of('delivered').map((e) => e.queue).sort()).toEqual(['all', 'eu']);

    // Now unroutable with mandatory: basic.return before the confirm.
    const unroutable = edit(d, (d) => {
      const props = node<'producer'>(d, 'p').message.properties;
      delete props.CC;
    });
    await sim.syncTo(unroutable);
    expect(await sim.publishOnce('p')).toEqual({ published: 1, confirmed: 1, nacked: 0, returned: 1, lost: 0 });
    expect(of('publish')[1]!.trace.outcome).toBe('returned');
    expect(of('returned')).toHaveLength(1);
    expect(sim.state().clients.find((c) => c.id === 'p')).toMatchObject({ published: 2, confirmed: 2, returned: 1 });

    // A full queue with reject-publish: the broker nacks.
    const full = edit(shop(), (d) => {
      node<'queue'>(d, 'q-eu').arguments = { 'x-max-length': 1, 'x-overflow': 'reject-publish' };
      d.nodes = d.nodes.filter((n) => n.id !== 'c-eu' && n.id !== 'q-all' && n.id !== 'c-all');
      d.bindings = d.bindings.filter((b) => b.id === 'b-eu');
    });
    const second = setup();
    await second.sim.syncTo(full);
    expect(await second.sim.publishBurst('p', 2)).toEqual({ published: 2, confirmed: 1, nacked: 1, returned: 0, lost: 0 });
    expect(second.of('confirm').map((c) => c.ack)).toEqual([true, false]);
  });

  it('delivers the template as amqplib would decode it', async () => {
    const d = edit(shop(), (d) => {
      node<'producer'>(d, 'p').message.properties = { persistent: true, priority: 3, headers: { attempt: { $long: 1 } }, messageId: 'm-1' };
      d.nodes = d.nodes.filter((n) => n.kind !== 'consumer');
    });
    const { sim } = setup();
    await sim.syncTo(d);
    await sim.publishOnce('p');
    // Read back with a client of the test's own.
    const conn = await sim.broker.connect();
    const ch = await conn.createChannel();
    const got = await ch.get('eu');
    expect(got && got.properties).toMatchObject({ deliveryMode: 2, priority: 3, messageId: 'm-1', headers: { attempt: 1 } });
    expect(got && got.content.toString()).toBe('hello');
    await conn.close();
  });
});

describe('simulation: failures', () => {
  function flaky(action: ConsumerNode['failure']['action']): Diagram {
    return edit(shop(), (d) => {
      node<'consumer'>(d, 'c-eu').failure = { rate: 0.5, action };
      node<'consumer'>(d, 'c-eu').workMs = 10;
    });
  }

  async function outcomes(seed: number) {
    const { sim, of } = setup(seed);
    await sim.syncTo(flaky('reject-drop'));
    await sim.publishBurst('p', 20);
    runDown(sim);
    const eu = (e: { queue: string }) => e.queue === 'eu';
    return {
      acked: of('acked').filter(eu).map((e) => e.messageId),
      rejected: of('rejected').filter(eu).map((e) => [e.messageId, e.method, e.requeue]),
      dropped: of('dropped').filter(eu).length,
      state: sim.state().clients.find((c) => c.id === 'c-eu'),
    };
  }

  it('fails a seeded share of deliveries, the same ones run to run', async () => {
    const first = await outcomes(7);
    const again = await outcomes(7);
    expect(again).toEqual(first);
    expect(first.rejected.length).toBeGreaterThan(3);
    expect(first.acked.length).toBeGreaterThan(3);
    expect(first.acked.length + first.rejected.length).toBe(20);
    expect(first.rejected.every(([, method, requeue]) => method === 'reject' && requeue === false)).toBe(true);
    expect(first.dropped).toBe(first.rejected.length);
    expect(first.state).toMatchObject({ delivered: 20, acked: first.acked.length, failed: first.rejected.length });

    const other = await outcomes(8);
    expect(other.rejected).not.toEqual(first.rejected);
  });

  it('nack with requeue puts the message back and it is redelivered', async () => {
    const { sim, of } = setup(3);
    await sim.syncTo(flaky('nack-requeue'));
    await sim.publishBurst('p', 5);
    runDown(sim);
    const rejected = of('rejected').filter((e) => e.queue === 'eu');
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((e) => e.method === 'nack' && e.requeue)).toBe(true);
    expect(of('requeued').filter((e) => e.queue === 'eu')).toHaveLength(rejected.length);
    expect(of('delivered').filter((e) => e.queue === 'eu' && e.redelivered)).toHaveLength(rejected.length);
    // Every message is acked in the end.
    expect(of('acked').filter((e) => e.queue === 'eu')).toHaveLength(5);
  });
});

describe('simulation: consumers stop, start and crash', () => {
  /** One queue, two consumers: slow (1 s) and fast (10 ms). */
  function pair(): Diagram {
    return {
      version: 1,
      nodes: [
        producer('p', 'x', { message: { routingKey: 'job', body: 'work', properties: {} } }),
        exchange('x', 'jobs', { type: 'direct' }),
        queue('q', 'work'),
        consumer('slow', 'q', { workMs: 1000 }),
        consumer('fast', 'q', { workMs: 10 }),
      ],
      bindings: [{ id: 'b', source: 'x', destination: { kind: 'queue', id: 'q' }, routingKey: 'job', arguments: {} }],
    };
  }

  it('a crash requeues the unacked message and another consumer gets it, redelivered', async () => {
    const { sim, of, depth } = setup();
    await sim.syncTo(pair());
    const [slow, fast] = ['slow', 'fast'].map((id) => sim.state().clients.find((c) => c.id === id)!);
    await sim.publishBurst('p', 2);
    const first = of('delivered');
    expect(first.map((d) => [d.messageId, d.channel])).toEqual([
      [1, slow!.channel],
      [2, fast!.channel],
    ]);

    const crashed = await sim.consumer('slow', 'crash');
    expect(crashed).toMatchObject({ status: 'crashed', consumerTag: null, connection: null });
    expect(of('requeued')).toMatchObject([{ messageId: 1, reason: 'its channel closed before it was acknowledged' }]);
    expect(depth('work')).toMatchObject({ consumers: 1 });

    runDown(sim);
    const redelivery = of('delivered').find((d) => d.messageId === 1 && d.redelivered)!;
    expect(redelivery.channel).toBe(fast!.channel);
    expect(of('acked').map((a) => [a.messageId, a.channel, a.time])).toEqual([
      [2, fast!.channel, 10],
      [1, fast!.channel, 20],
    ]);
    expect(sim.clockState().now).toBe(20); // the crashed consumer's work timer is gone

    // Started again, it consumes again.
    expect(await sim.consumer('slow', 'start')).toMatchObject({ status: 'running' });
    expect(depth('work')).toMatchObject({ consumers: 2 });
  });

  it('stop cancels the subscription but lets work in progress finish', async () => {
    const { sim, of, depth } = setup();
    await sim.syncTo(pair());
    await sim.publishBurst('p', 2);
    await sim.consumer('slow', 'stop');
    expect(of('consumer.cancelled')).toMatchObject([{ reason: 'cancelled by the client' }]);
    runDown(sim);
    expect(of('acked').map((a) => [a.messageId, a.time])).toEqual([
      [2, 10],
      [1, 1000],
    ]);
    expect(depth('work')).toEqual({ ready: 0, unacked: 0, consumers: 1 });
  });

  it('auto ack: deliveries are settled at once, the work still takes its time', async () => {
    const { sim, of, depth } = setup();
    await sim.syncTo(edit(pair(), (d) => {
      d.nodes = d.nodes.filter((n) => n.id !== 'fast');
      node<'consumer'>(d, 'slow').ackMode = 'auto';
    }));
    await sim.publishBurst('p', 3);
    expect(of('delivered').every((e) => e.noAck)).toBe(true);
    expect(depth('work')).toEqual({ ready: 0, unacked: 0, consumers: 1 });
    expect(sim.state().clients.find((c) => c.id === 'slow')).toMatchObject({ delivered: 3, inFlight: 3 });
    runDown(sim);
    expect(sim.clockState().now).toBe(1000);
    expect(sim.state().clients.find((c) => c.id === 'slow')).toMatchObject({ inFlight: 0, acked: 0 });
  });

  it('a changed prefetch restarts a running consumer; running: false stops it', async () => {
    const { sim, of, depth } = setup();
    await sim.syncTo(shop());
    await sim.publishBurst('p', 3);
    expect(depth('all')).toMatchObject({ ready: 1, unacked: 2 });
    const before = sim.state().clients.find((c) => c.id === 'c-all')!;

    expect(await sim.syncTo(edit(shop(), (d) => (node<'consumer'>(d, 'c-all').prefetch = 5)))).toEqual({ errors: [] });
    const after = sim.state().clients.find((c) => c.id === 'c-all')!;
    expect(after.connection).not.toBe(before.connection);
    expect(of('requeued').filter((e) => e.queue === 'all')).toHaveLength(2);
    expect(depth('all')).toMatchObject({ ready: 0, unacked: 3, consumers: 1 });
    expect(sim.inspect().consumers.find((c) => c.queue_name === 'all')!.prefetch_count).toBe(5);

    // Work time changes in place: no reconnect.
    await sim.syncTo(edit(shop(), (d) => Object.assign(node<'consumer'>(d, 'c-all'), { prefetch: 5, workMs: 7 })));
    expect(sim.state().clients.find((c) => c.id === 'c-all')!.connection).toBe(after.connection);

    await sim.syncTo(edit(shop(), (d) => Object.assign(node<'consumer'>(d, 'c-all'), { prefetch: 5, workMs: 7, running: false })));
    expect(sim.state().clients.find((c) => c.id === 'c-all')).toMatchObject({ status: 'stopped', consumerTag: null });
    expect(depth('all')).toMatchObject({ consumers: 0 });
  });

  it('a producer that is not linked cannot publish', async () => {
    const { sim } = setup();
    await sim.syncTo(edit(shop(), (d) => (node<'producer'>(d, 'p').target = null)));
    await expect(sim.publish('p')).rejects.toMatchObject({ code: 'NOT_LINKED', message: "Producer 'p' is not linked to an exchange or a queue" });
  });

  it('unknown consumers and producers are refused plainly', async () => {
    const { sim } = setup();
    await sim.syncTo(pair());
    await expect(sim.consumer('nobody', 'stop')).rejects.toMatchObject({ code: 'UNKNOWN_CONSUMER' });
    await expect(sim.publish('nobody')).rejects.toMatchObject({ code: 'UNKNOWN_PRODUCER' });
    await expect(sim.publish('p', -1)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('simulation: the clock', () => {
  function rated(perSecond: number): Diagram {
    return edit(shop(), (d) => {
      node<'producer'>(d, 'p').mode = { kind: 'rate', perSecond };
      // Consumers that never finish in these windows, so only publishes are due.
      node<'consumer'>(d, 'c-eu').running = false;
      node<'consumer'>(d, 'c-all').running = false;
    });
  }

  it('rate mode publishes perSecond per simulated second, at speed 1 and 4', async () => {
    const { sim, of, depth } = setup();
    await sim.syncTo(rated(5));
    expect(sim.clockState().nextDue).toBe(200);

    // Paused: real time does not move the clock.
    expect(sim.tick(1000)).toBe(0);
    expect(of('publish')).toHaveLength(0);

    sim.play(1);
    for (let i = 0; i < 4; i++) sim.tick(250);
    expect(sim.clockState()).toMatchObject({ now: 1000, playing: true, speed: 1 });
    expect(of('publish').map((e) => e.time)).toEqual([200, 400, 600, 800, 1000]);

    sim.play(4);
    for (let i = 0; i < 4; i++) sim.tick(250);
    expect(sim.clockState()).toMatchObject({ now: 5000, speed: 4 });
    expect(of('publish')).toHaveLength(25);
    expect(depth('eu')).toMatchObject({ ready: 25 });
    expect(sim.state().clients.find((c) => c.id === 'p')).toMatchObject({ published: 25, confirmed: 25 });

    sim.pause();
    sim.tick(1000);
    expect(sim.clockState().now).toBe(5000);
  });

  it('maps fractions of real time to whole simulated ms, and caps a long stall', async () => {
    const { sim } = setup();
    await sim.syncTo(rated(5));
    sim.play(0.25);
    for (let i = 0; i < 10; i++) sim.tick(10); // 2.5 ms each
    expect(sim.clockState().now).toBe(25);
    sim.play(1);
    sim.tick(60_000); // a throttled tab: counts as 1 s
    expect(sim.clockState().now).toBe(1025);
    expect(() => sim.play(16)).toThrow(/between 0.25 and 8/);
  });

  it('step goes to the next due timer and pauses', async () => {
    const { sim, of } = setup();
    await sim.syncTo(rated(2));
    sim.play(1);
    expect(sim.step()).toEqual({ now: 500, playing: false, speed: 1, nextDue: 1000 });
    expect(of('publish')).toHaveLength(1);
  });

  it('a changed rate restarts the rate timer from now', async () => {
    const { sim, of } = setup();
    const d = rated(1);
    await sim.syncTo(d);
    sim.advanceBy(1500);
    expect(of('publish')).toHaveLength(1);
    await sim.syncTo(edit(d, (d) => (node<'producer'>(d, 'p').mode = { kind: 'rate', perSecond: 10 })));
    sim.advanceBy(500);
    expect(of('publish').map((e) => e.time).slice(0, 3)).toEqual([1000, 1600, 1700]);
    expect(of('publish')).toHaveLength(6);
  });

  it('reset starts over at 0 on a fresh broker with the diagram applied again', async () => {
    const { sim, events, depth } = setup();
    await sim.syncTo(shop());
    await sim.publishBurst('p', 3);
    sim.advanceBy(120);
    expect(sim.state().epoch).toBe(0);
    events.length = 0;
    expect(await sim.clock('reset')).toEqual({ now: 0, playing: false, speed: 1, nextDue: null });
    expect(sim.state().epoch).toBe(1);
    expect(depth('eu')).toEqual({ ready: 0, unacked: 0, consumers: 1 });
    expect(depth('all')).toEqual({ ready: 0, unacked: 0, consumers: 1 });
    expect(events.some((e) => e.type === 'exchange.declared')).toBe(true); // observers kept across the reset
    expect(events.every((e) => e.time === 0)).toBe(true);
    // Same seed, same run.
    await sim.publishBurst('p', 3);
    runDown(sim);
    expect(sim.clockState().now).toBe(300);
  });
});

describe('simulation: re-sync', () => {
  it('a changed binding key is unbound and bound again', async () => {
    const { sim, events, of, depth } = setup();
    await sim.syncTo(shop());
    events.length = 0;
    const changed = edit(shop(), (d) => (d.bindings[0]!.routingKey = 'order.us.*'));
    expect(await sim.syncTo(changed)).toEqual({ errors: [] });
    expect(events.map((e) => e.type)).toEqual(['binding.deleted', 'binding.created']);
    expect(of('binding.deleted')[0]).toMatchObject({ destination: 'eu', routingKey: 'order.eu.*' });
    expect(of('binding.created')[0]).toMatchObject({ destination: 'eu', routingKey: 'order.us.*' });

    await sim.publishOnce('p'); // order.eu.new
    const verdicts = of('publish')[0]!.trace.visits[0]!.bindings;
    expect(verdicts.find((v) => v.destination === 'eu')).toMatchObject({ bindingKey: 'order.us.*', matched: false });
    expect(depth('eu')).toMatchObject({ ready: 0, unacked: 0 });
    expect(depth('all')).toMatchObject({ unacked: 1 });
  });

  it('a changed queue argument deletes and declares the queue again, rebinding it and resubscribing its consumer', async () => {
    const { sim, events, of, depth } = setup();
    await sim.syncTo(shop());
    await sim.syncTo(edit(shop(), (d) => (node<'consumer'>(d, 'c-eu').running = false)));
    await sim.publishBurst('p', 2);
    expect(depth('eu')).toMatchObject({ ready: 2 });
    events.length = 0;

    const limited = edit(shop(), (d) => (node<'queue'>(d, 'q-eu').arguments = { 'x-max-length': 10 }));
    expect(await sim.syncTo(limited)).toEqual({ errors: [] });
    expect(events.map((e) => e.type).filter((t) => !t.startsWith('connection') && !t.startsWith('channel'))).toEqual([
      'binding.deleted', // the queue's binding goes with it
      'queue.deleted',
      'queue.declared',
      'binding.created',
      'consumer.added',
    ]);
    expect(of('queue.deleted')[0]).toMatchObject({ queue: 'eu' });
    expect(sim.inspect().queues.find((q) => q.name === 'eu')!.arguments).toEqual({ 'x-max-length': 10 });
    expect(depth('eu')).toEqual({ ready: 0, unacked: 0, consumers: 1 }); // its messages went with it
    expect(sim.inspect().bindings.find((b) => b.source_name === 'orders' && b.destination_name === 'eu')).toMatchObject({ routing_key: 'order.eu.*' });
  });

  it('a removed consumer closes first (its unacked message requeued), then its queue is deleted', async () => {
    const { sim, events, of } = setup();
    await sim.syncTo(shop());
    await sim.publishOnce('p');
    const gone = edit(shop(), (d) => {
      d.nodes = d.nodes.filter((n) => n.id !== 'c-all' && n.id !== 'q-all');
      d.bindings = d.bindings.filter((b) => b.id !== 'b-all');
    });
    expect(await sim.syncTo(gone)).toEqual({ errors: [] });
    expect(sim.inspect().queues.map((q) => q.name)).toEqual(['eu']);
    const order = events.filter((e) => e.type === 'requeued' || e.type === 'queue.deleted').map((e) => [e.type, 'queue' in e && e.queue]);
    expect(order).toEqual([
      ['requeued', 'all'],
      ['queue.deleted', 'all'],
    ]);
    expect(sim.state().clients.map((c) => c.id).sort()).toEqual(['c-eu', 'p']);
  });
});

describe('simulation: refused ops', () => {
  it("reports an amq. name with RabbitMQ's code and text, names the node, applies the rest", async () => {
    const { sim } = setup();
    const d = edit(shop(), (d) => (node<'exchange'>(d, 'x').name = 'amq.orders'));
    const { errors } = await sim.syncTo(d);
    expect(errors).toEqual([
      {
        nodeId: 'x',
        op: 'declareExchange',
        code: 403,
        message: "ACCESS_REFUSED - exchange name 'amq.orders' contains reserved prefix 'amq.*'",
      },
    ]);
    // Its bindings were not tried; the queues and consumers are there.
    expect(sim.inspect().queues.map((q) => q.name)).toEqual(['all', 'eu']);
    expect(sim.inspect().consumers).toHaveLength(2);

    // Fixed, the next sync applies what is missing only.
    expect(await sim.syncTo(shop())).toEqual({ errors: [] });
    expect(sim.inspect().bindings.filter((b) => b.source_name === 'orders')).toHaveLength(2);
  });

  it('reports an inequivalent redeclare: the exchange exists with another type', async () => {
    const { sim } = setup();
    // Someone else declared 'orders' first, as a direct exchange.
    const conn = await sim.broker.connect();
    const ch = await conn.createChannel();
    await ch.assertExchange('orders', 'direct');
    const { errors } = await sim.syncTo(shop());
    expect(errors).toEqual([
      {
        nodeId: 'x',
        op: 'declareExchange',
        code: 406,
        message: "PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'orders' in vhost '/': received 'topic' but current is 'direct'",
      },
    ]);
    // Its bindings were not tried; nothing else was refused.
    expect(sim.inspect().bindings.filter((b) => b.source_name === 'orders')).toEqual([]);
    expect(sim.inspect().consumers).toHaveLength(2);
    // Gone, the diagram's declaration goes through on the next sync.
    await ch.deleteExchange('orders');
    expect(await sim.syncTo(shop())).toEqual({ errors: [] });
    expect(sim.inspect().exchanges.find((x) => x.name === 'orders')).toMatchObject({ type: 'topic' });
    await conn.close();
  });

  it('binds from a built-in exchange without declaring it, and never deletes it', async () => {
    const { sim, of } = setup();
    const d = edit(shop(), (d) => (node<'exchange'>(d, 'x').name = 'amq.topic'));
    expect(await sim.syncTo(d)).toEqual({ errors: [] });
    expect(of('exchange.declared')).toEqual([]);
    expect(sim.inspect().bindings.filter((b) => b.source_name === 'amq.topic').map((b) => b.destination_name)).toEqual(['all', 'eu']);
    await sim.publishOnce('p');
    expect(of('publish')[0]!.trace).toMatchObject({ exchange: 'amq.topic', outcome: 'routed' });

    const without = edit(d, (d) => {
      d.nodes = d.nodes.filter((n) => n.id !== 'x' && n.id !== 'p');
      d.bindings = [];
    });
    expect(await sim.syncTo(without)).toEqual({ errors: [] });
    expect(of('binding.deleted')).toHaveLength(2);
    expect(sim.inspect().exchanges.some((x) => x.name === 'amq.topic')).toBe(true);
  });

  it('a refused binding names its edge; the other bindings are made', async () => {
    const { sim } = setup();
    const d = edit(shop(), (d) => {
      d.nodes.push(exchange('h', 'docs', { type: 'headers' }));
      d.bindings.push({ id: 'b-h', source: 'h', destination: { kind: 'queue', id: 'q-eu' }, routingKey: '', arguments: { 'x-match': 'ALL' } });
    });
    const { errors } = await sim.syncTo(d);
    expect(errors).toEqual([
      {
        nodeId: 'b-h',
        op: 'bind',
        code: 406,
        message: 'PRECONDITION_FAILED - Invalid x-match field value <<"ALL">>; expected all, any, all-with-x, or any-with-x',
      },
    ]);
    expect(sim.inspect().bindings.filter((b) => b.source_name === 'orders')).toHaveLength(2);
  });

  it('a hard error closes the admin connection; its exclusive queues are declared again', async () => {
    const { sim, events, of } = setup();
    const d = edit(shop(), (d) => {
      d.nodes.push(queue('q-tmp', 'a-tmp', { exclusive: true, durable: false }));
      d.nodes.push(queue('q-bad', 'bad', { arguments: { 'x-queue-master-locator': 'min-masters' } }));
    });
    const { errors } = await sim.syncTo(d);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ nodeId: 'q-bad', op: 'declareQueue', code: 541 });
    expect(errors[0]!.message).toMatch(/^INTERNAL_ERROR - Feature `queue_master_locator` is deprecated/);
    expect(events.some((e) => e.type === 'connection.closed' && e.reason?.startsWith('INTERNAL_ERROR'))).toBe(true);
    // 'a-tmp' went with the admin connection, and was declared again on the new one.
    expect(of('queue.deleted').map((e) => e.queue)).toEqual(['a-tmp']);
    expect(sim.inspect().queues.map((q) => q.name).sort()).toEqual(['a-tmp', 'all', 'eu']);
    // Nothing else is left to do but the refused queue.
    const again = await sim.syncTo(d);
    expect(again.errors.map((e) => e.nodeId)).toEqual(['q-bad']);
  });

  it('reports a bad argument on a queue and its consumer waits instead of failing', async () => {
    const { sim } = setup();
    const d = edit(shop(), (d) => (node<'queue'>(d, 'q-eu').arguments = { 'x-max-length': 'ten' }));
    const { errors } = await sim.syncTo(d);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ nodeId: 'q-eu', op: 'declareQueue', code: 406 });
    expect(errors[0]!.message).toMatch(/^PRECONDITION_FAILED - invalid arg 'x-max-length' for queue 'eu'/);
    expect(sim.state().clients.find((c) => c.id === 'c-eu')).toMatchObject({ status: 'running', consumerTag: null });
    // Once fixed, the queue is declared and its consumer subscribes.
    expect(await sim.syncTo(shop())).toEqual({ errors: [] });
    expect(sim.state().clients.find((c) => c.id === 'c-eu')).toMatchObject({ consumerTag: expect.any(String) });
  });

  it('a producer publishing to an exchange that is gone gets the channel error; its next publish reopens', async () => {
    const { sim, of } = setup();
    await sim.syncTo(shop());
    // Delete the exchange behind the simulation's back.
    const conn = await sim.broker.connect();
    const ch = await conn.createChannel();
    await ch.deleteExchange('orders');
    const result = await sim.publishOnce('p');
    expect(result).toEqual({
      published: 1,
      confirmed: 0,
      nacked: 0,
      returned: 0,
      lost: 1,
      error: { code: 404, message: "NOT_FOUND - no exchange 'orders' in vhost '/'" },
    });
    expect(of('error').at(-1)).toMatchObject({ code: 404, method: 'BasicPublish' });
    // The next sync declares it again (the record was checked against the broker), publishing works.
    expect(await sim.syncTo(shop())).toEqual({ errors: [] });
    expect(await sim.publishOnce('p')).toMatchObject({ published: 1, confirmed: 1 });
    await conn.close();
  });
});

describe('worker host serving a simulation', () => {
  function hosted() {
    const sim = new Simulation({ createBroker, seed: 1 });
    const posted: WorkerMessage[] = [];
    const scheduled: Array<() => void> = [];
    const host = createHost(sim, { post: (m) => posted.push(m), schedule: (f) => scheduled.push(f) });
    const batches = () => posted.filter((m): m is WorkerEvents => 'type' in m && m.type === 'events');
    const replies = () => posted.filter((m) => 'id' in m);
    return { sim, host, posted, scheduled, batches, replies };
  }

  it('sync, publish, consumer, clock: replies after their events, with the state on the batch', async () => {
    const { host, posted, batches, replies } = hosted();
    await host.handle({ id: 1, type: 'sync', diagram: shop() });
    expect(posted.at(-1)).toEqual({ id: 1, ok: true, result: { errors: [] } });
    const first = posted.at(-2) as WorkerEvents;
    expect(first.type).toBe('events');
    expect(first.events.map((e) => e.type)).toContain('binding.created');
    expect(first.state).toMatchObject({ epoch: 0, clock: { now: 0, playing: false, speed: 1, nextDue: null } });
    expect(first.state!.clients.map((c) => c.id).sort()).toEqual(['c-all', 'c-eu', 'p']);

    await host.handle({ id: 2, type: 'publish', producerId: 'p', count: 3 });
    expect(posted.at(-1)).toEqual({ id: 2, ok: true, result: { published: 3, confirmed: 3, nacked: 0, returned: 0, lost: 0 } });
    const second = posted.at(-2) as WorkerEvents;
    expect(second.events.filter((e) => e.type === 'publish')).toHaveLength(3);
    expect(second.events.filter((e) => e.type === 'delivered')).toHaveLength(3);

    await host.handle({ id: 3, type: 'clock', action: 'step' });
    expect(posted.at(-1)).toEqual({ id: 3, ok: true, result: { now: 50, playing: false, speed: 1, nextDue: 100 } });
    expect((posted.at(-2) as WorkerEvents).state!.clock.now).toBe(50);

    await host.handle({ id: 4, type: 'consumer', consumerId: 'c-eu', action: 'crash' });
    expect(posted.at(-1)).toMatchObject({ id: 4, ok: true, result: { id: 'c-eu', status: 'crashed' } });
    expect((posted.at(-2) as WorkerEvents).events.map((e) => e.type)).toContain('requeued');

    await host.handle({ id: 5, type: 'clock', action: 'play', speed: 2 });
    expect(posted.at(-1)).toEqual({ id: 5, ok: true, result: { now: 50, playing: true, speed: 2, nextDue: 100 } });

    expect(replies()).toHaveLength(5);
    expect(batches().every((b) => b.events.length > 0 || b.state)).toBe(true);
  });

  it('posts the state alone when only the clock moved, once per tick', async () => {
    const { sim, host, posted, scheduled } = hosted();
    await host.handle({ id: 1, type: 'sync', diagram: edit(shop(), (d) => d.nodes.splice(0, 1)) });
    await host.handle({ id: 2, type: 'clock', action: 'play', speed: 1 });
    const count = posted.length;
    scheduled.length = 0;
    sim.tick(100);
    sim.tick(100);
    expect(scheduled).toHaveLength(1);
    scheduled[0]!();
    expect(posted.slice(count)).toEqual([{ type: 'events', events: [], state: expect.objectContaining({ clock: { now: 200, playing: true, speed: 1, nextDue: null } }) }]);
    // Nothing changed since: no batch.
    host.flush();
    expect(posted).toHaveLength(count + 1);
  });

  it('answers bad requests and refused ones with errors', async () => {
    const { host, posted } = hosted();
    await host.handle({ id: 1, type: 'publish', producerId: 'ghost' });
    expect(posted.at(-1)).toMatchObject({ id: 1, ok: false, error: { code: 'UNKNOWN_PRODUCER' } });
    await host.handle({ id: 2, type: 'clock', action: 'rewind' });
    expect(posted.at(-1)).toMatchObject({ id: 2, ok: false, error: { code: 'BAD_REQUEST' } });
    await host.handle({ id: 3, type: 'clock', action: 'play', speed: 100 });
    expect(posted.at(-1)).toMatchObject({ id: 3, ok: false, error: { message: 'speed must be between 0.25 and 8, got 100' } });
    await host.handle({ id: 4, type: 'sync', diagram: null });
    expect(posted.at(-1)).toMatchObject({ id: 4, ok: false, error: { code: 'BAD_REQUEST' } });
    await host.handle({ id: 5, type: 'sync', diagram: edit(shop(), (d) => (node<'exchange'>(d, 'x').name = 'amq.x')) });
    expect(posted.at(-1)).toMatchObject({ id: 5, ok: true, result: { errors: [{ nodeId: 'x', code: 403 }] } });
  });

  it('a bare broker host answers the simulation commands with an error', async () => {
    const broker = createBroker();
    const posted: WorkerMessage[] = [];
    const host = createHost(broker, { post: (m) => posted.push(m), schedule: () => {} });
    await host.handle({ id: 1, type: 'clock', action: 'play' });
    expect(posted).toEqual([{ id: 1, ok: false, error: { code: 'NO_SIMULATION', message: 'This worker hosts a broker without a simulation.' } }]);
  });
});
