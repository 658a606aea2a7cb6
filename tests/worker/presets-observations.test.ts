/**
 * Each preset, run by the worker's simulation in Node (as tests/worker/simulation.test.ts does),
 * shows what its tutorial observes: hello's ready messages, work shared by prefetch-1 workers and
 * a crashed worker's task redelivered, fanout copies, direct and topic routing with the
 * tutorials' keys, an RPC request answered with its correlation id; and the patterns: a rejected
 * task back after the retry TTL, an unmatched key in the alternate exchange's queue, priorities,
 * and headers bindings with x-match all and any.
 */

import { describe, expect, it } from 'vitest';
import { createBroker, type BrokerEvent } from '../../src/broker/index';
import { presetById, PRESETS } from '../../src/document/presets/index';
import { withServerNames } from '../../src/document/names';
import type { Diagram, DiagramNode, JsonTable, MessageTemplate, QueueNode } from '../../src/document/types';
import { Simulation } from '../../src/worker/simulation';

type Of<T extends BrokerEvent['type']> = Extract<BrokerEvent, { type: T }>;

/** A simulation of the diagram; by default with the seed the app's worker uses, so failures fall as the person sees them. */
function setup(diagram: Diagram, seed?: number) {
  const sim = new Simulation(seed === undefined ? { createBroker } : { createBroker, seed });
  const events: BrokerEvent[] = [];
  sim.observe((e) => events.push(e));
  const of = <T extends BrokerEvent['type']>(type: T) => events.filter((e): e is Of<T> => e.type === type);
  const depth = (name: string) => {
    const q = sim.inspect().queues.find((row) => row.name === name);
    return q && { ready: q.messages_ready, unacked: q.messages_unacknowledged, consumers: q.consumers };
  };
  /** A node's id, by kind and name. */
  const id = (kind: DiagramNode['kind'], name: string) => {
    const node = diagram.nodes.find((n) => n.kind === kind && n.name === name);
    if (!node) throw new Error(`no ${kind} '${name}'`);
    return node.id;
  };
  /** The channel of a consumer node, by name. */
  const channelOf = (name: string) => sim.state().clients.find((c) => c.id === id('consumer', name))!.channel;
  /** The name the broker gave a server-named queue node, now. */
  const serverName = (nodeId: string) => sim.state().serverNames[nodeId];
  return { sim, events, of, depth, id, channelOf, serverName };
}

/** Steps the clock until nothing is due (or `limit` steps). */
function runDown(sim: Simulation, limit = 10_000): void {
  for (let i = 0; i < limit && sim.clockState().nextDue !== null; i++) sim.step();
  expect(sim.clockState().nextDue).toBeNull();
}

/** The diagram with one producer's message changed. */
function withMessage(diagram: Diagram, producerName: string, change: (message: MessageTemplate) => void): Diagram {
  const copy = structuredClone(diagram);
  const producer = copy.nodes.find((n) => n.kind === 'producer' && n.name === producerName);
  if (producer?.kind !== 'producer') throw new Error(`no producer '${producerName}'`);
  change(producer.message);
  return copy;
}

/**
 * Publishes one message per routing key (or headers table) from a producer, re-syncing the
 * diagram with the producer's template changed each time, and returns the queues each reached.
 */
async function routes(diagram: Diagram, producerName: string, changes: ((m: MessageTemplate) => void)[]): Promise<string[][]> {
  const { sim, of, id } = setup(diagram);
  expect(await sim.syncTo(diagram)).toEqual({ errors: [] });
  const reached: string[][] = [];
  for (const change of changes) {
    const edited = withMessage(diagram, producerName, change);
    expect(await sim.syncTo(edited)).toEqual({ errors: [] });
    const before = of('publish').length;
    expect(await sim.publish(id('producer', producerName), 1)).toMatchObject({ published: 1, confirmed: 1, lost: 0 });
    const publish = of('publish')[before]!;
    const enqueued = of('enqueued').filter((e) => e.messageId === publish.messageId);
    // A queue gets at most one copy of a message, however many of its bindings match.
    expect(enqueued.length).toBe(new Set(enqueued.map((e) => e.queue)).size);
    // Server-named queues by their node's id (their amq.gen- names are the broker's pick).
    const label = (queue: string) => Object.entries(sim.state().serverNames).find(([, name]) => name === queue)?.[0] ?? queue;
    reached.push(publish.trace.queues.map((q) => label(q.queue)).sort());
    expect(enqueued.map((e) => label(e.queue)).sort()).toEqual(reached.at(-1));
  }
  return reached;
}

/** Tracks how many unacknowledged deliveries each channel holds, and the most it ever held. */
function unackedPerChannel(sim: Simulation) {
  const now = new Map<number, number>();
  const max = new Map<number, number>();
  sim.observe((e) => {
    if (e.type === 'delivered' && !e.noAck) now.set(e.channel, (now.get(e.channel) ?? 0) + 1);
    else if (e.type === 'acked' || e.type === 'rejected') now.set(e.channel, (now.get(e.channel) ?? 0) - 1);
    else return;
    max.set(e.channel, Math.max(max.get(e.channel) ?? 0, now.get(e.channel)!));
  });
  return max;
}

const FORMS = [
  ['current form (quorum)', false],
  ['classic form', true],
] as const;

describe('every preset syncs onto the broker core without an error', () => {
  it.each(PRESETS.flatMap((p) => (p.hasClassicForm ? [false, true] : [false]).map((classic) => [`${p.id}${classic ? ' (classic)' : ''}`, p, classic] as const)))(
    '%s',
    async (_, preset, classic) => {
      const d = preset.build({ classic });
      const { sim } = setup(d);
      expect(await sim.syncTo(d)).toEqual({ errors: [] });
      // Direct Reply-to's pseudo-queue is never declared.
      const queues = withServerNames(d, sim.state().serverNames).nodes.filter((n): n is QueueNode => n.kind === 'queue' && n.name !== 'amq.rabbitmq.reply-to');
      expect(sim.inspect().queues.map((q) => q.name).sort()).toEqual(queues.map((q) => q.name).sort());
      // Each server-named queue got a name from the broker.
      for (const q of d.nodes) if (q.kind === 'queue' && q.name === '') expect(sim.state().serverNames[q.id]).toMatch(/^amq\.gen-[\w-]{22}$/);
      for (const q of sim.inspect().queues) {
        const arguments_ = (queues.find((n) => n.name === q.name)!.arguments as JsonTable)['x-queue-type'];
        expect(q.type).toBe(arguments_ === 'quorum' ? 'quorum' : 'classic');
      }
      // Every running consumer subscribed.
      // (a Direct Reply-to consumer is no queue's: RabbitMQ does not list it)
      const replyTo = d.nodes.find((n) => n.kind === 'queue' && n.name === 'amq.rabbitmq.reply-to')?.id;
      const running = d.nodes.filter((n) => n.kind === 'consumer' && n.running && n.queue !== replyTo).length;
      expect(sim.inspect().consumers).toHaveLength(running);
    },
  );
});

describe.each(FORMS)('tutorial 1, Hello World!, %s', (_, classic) => {
  it('4 messages wait in hello while receive is stopped; started, it takes them all: 0 ready, 1 consumer', async () => {
    const d = presetById('hello-world')!.build({ classic });
    const { sim, of, depth, id } = setup(d);
    expect(await sim.syncTo(d)).toEqual({ errors: [] });
    expect(await sim.publish(id('producer', 'send'))).toEqual({ published: 4, confirmed: 4, nacked: 0, returned: 0, lost: 0 });
    runDown(sim);
    expect(depth('hello')).toEqual({ ready: 4, unacked: 0, consumers: 0 });

    await sim.consumer(id('consumer', 'receive'), 'start');
    runDown(sim);
    expect(depth('hello')).toEqual({ ready: 0, unacked: 0, consumers: 1 });
    expect(of('delivered')).toHaveLength(4);
    expect(of('delivered').every((e) => e.queue === 'hello' && e.noAck)).toBe(true);
    expect(sim.inspect().queues.find((q) => q.name === 'hello')).toMatchObject({ durable: !classic, type: classic ? 'classic' : 'quorum' });
  });
});

describe.each(FORMS)('tutorial 2, work queues, %s', (_, classic) => {
  it('two workers with prefetch 1 share the tasks, never holding more than one unacknowledged', async () => {
    const d = presetById('work-queues')!.build({ classic });
    const { sim, of, depth, id, channelOf } = setup(d);
    expect(await sim.syncTo(d)).toEqual({ errors: [] });
    const max = unackedPerChannel(sim);
    expect(await sim.publish(id('producer', 'new_task'))).toMatchObject({ published: 5, confirmed: 5 });
    // One task each at once; the rest wait in task_queue.
    expect(depth('task_queue')).toEqual({ ready: 3, unacked: 2, consumers: 2 });
    runDown(sim);

    const [w1, w2] = [channelOf('worker-1'), channelOf('worker-2')];
    const byWorker = (channel: number | null) => of('delivered').filter((e) => e.channel === channel).length;
    expect(byWorker(w1)).toBeGreaterThan(0);
    expect(byWorker(w2)).toBeGreaterThan(0);
    expect(byWorker(w1) + byWorker(w2)).toBe(5);
    expect([...max.values()].every((n) => n <= 1)).toBe(true);
    expect(max.get(w1!)).toBe(1);
    expect(of('acked')).toHaveLength(5);
    expect(of('publish').every((e) => e.properties.deliveryMode === 2)).toBe(true); // persistent
    expect(depth('task_queue')).toEqual({ ready: 0, unacked: 0, consumers: 2 });
  });

  it('a worker killed mid-task: its task is requeued and redelivered to the other worker', async () => {
    const d = presetById('work-queues')!.build({ classic });
    const { sim, of, depth, id, channelOf } = setup(d);
    expect(await sim.syncTo(d)).toEqual({ errors: [] });
    const [w1, w2] = [channelOf('worker-1'), channelOf('worker-2')];
    await sim.publish(id('producer', 'new_task'));
    sim.advanceBy(1000); // mid-task: nothing acked yet
    expect(of('acked')).toHaveLength(0);
    const held = of('delivered').find((e) => e.channel === w1)!;

    await sim.consumer(id('consumer', 'worker-1'), 'crash');
    expect(of('requeued')).toMatchObject([{ messageId: held.messageId, queue: 'task_queue' }]);
    expect(depth('task_queue')).toMatchObject({ consumers: 1 });
    runDown(sim);

    const again = of('delivered').filter((e) => e.messageId === held.messageId && e.redelivered);
    expect(again).toHaveLength(1);
    expect(again[0]!.channel).toBe(w2);
    expect(of('acked').find((e) => e.messageId === held.messageId)!.channel).toBe(w2);
    // Nothing is lost: worker-2 did all five.
    expect(new Set(of('acked').map((e) => e.messageId)).size).toBe(5);
    expect(depth('task_queue')).toEqual({ ready: 0, unacked: 0, consumers: 1 });
  });
});

describe('tutorial 3, publish/subscribe', () => {
  it('each subscriber queue gets every message, and each receiver prints it', async () => {
    const d = presetById('publish-subscribe')!.build();
    const { sim, of, id, channelOf, serverName } = setup(d);
    expect(await sim.syncTo(d)).toEqual({ errors: [] });
    await sim.publish(id('producer', 'emit_log'), 3);
    runDown(sim);
    const ids = of('publish').map((e) => e.messageId);
    expect(ids).toHaveLength(3);
    for (const queue of [serverName('queue-1'), serverName('queue-2')]) {
      expect(of('enqueued').filter((e) => e.queue === queue).map((e) => e.messageId)).toEqual(ids);
    }
    for (const receiver of ['receive_logs-1', 'receive_logs-2']) {
      expect(of('delivered').filter((e) => e.channel === channelOf(receiver))).toHaveLength(3);
    }
  });

  it('each receiver declares its own server-named exclusive queue, which lives as long as its connection', async () => {
    const d = presetById('publish-subscribe')!.build();
    const { sim, of, id, serverName } = setup(d);
    expect(await sim.syncTo(d)).toEqual({ errors: [] });
    const [first, second] = [serverName('queue-1')!, serverName('queue-2')!];
    expect(first).toMatch(/^amq\.gen-/);
    expect(second).not.toBe(first);
    const rows = sim.inspect().queues;
    for (const name of [first, second]) expect(rows.find((q) => q.name === name)).toMatchObject({ exclusive: true, durable: false, consumers: 1 });
    // Declared on the receiver's own connection, the only one that may consume an exclusive queue.
    const receiver = sim.state().clients.find((c) => c.id === id('consumer', 'receive_logs-1'))!;
    expect(sim.inspect().consumers.find((c) => c.queue_name === first)?.channel).toBe(receiver.channel);

    // receive_logs-1 dies: its queue goes with its connection, and so do the logs meanwhile.
    await sim.consumer(id('consumer', 'receive_logs-1'), 'crash');
    expect(sim.inspect().queues.map((q) => q.name)).toEqual([second]);
    expect(serverName('queue-1')).toBeUndefined();
    await sim.publish(id('producer', 'emit_log'));
    expect(of('enqueued').map((e) => e.queue)).toEqual([second]);

    // Started again, it declares a new queue (a new name), binds it to logs and consumes.
    await sim.consumer(id('consumer', 'receive_logs-1'), 'start');
    const again = serverName('queue-1')!;
    expect(again).toMatch(/^amq\.gen-/);
    expect(again).not.toBe(first);
    expect(sim.inspect().bindings.filter((b) => b.source_name === 'logs').map((b) => b.destination_name).sort()).toEqual([again, second].sort());
    await sim.publish(id('producer', 'emit_log'));
    expect(of('enqueued').slice(1).map((e) => e.queue).sort()).toEqual([again, second].sort());
  });
});

describe('tutorial 4, routing', () => {
  it('a severity reaches only the queues bound with it', async () => {
    const d = presetById('routing')!.build();
    const keys = ['info', 'warning', 'error', 'debug'];
    const reached = await routes(d, 'emit_log_direct', keys.map((key) => (m) => (m.routingKey = key)));
    expect(Object.fromEntries(keys.map((k, i) => [k, reached[i]]))).toEqual({
      info: ['queue-2'],
      warning: ['queue-2'],
      error: ['queue-1', 'queue-2'],
      debug: [],
    });
  });
});

describe('tutorial 5, topics', () => {
  it("routes the tutorial's keys as the tutorial says", async () => {
    const d = presetById('topics')!.build();
    const expected: Record<string, string[]> = {
      // Q1 and Q2 in the tutorial: the server-named queues of queue-1 and queue-2.
      'quick.orange.rabbit': ['queue-1', 'queue-2'],
      'lazy.orange.elephant': ['queue-1', 'queue-2'],
      'quick.orange.fox': ['queue-1'],
      'lazy.brown.fox': ['queue-2'],
      'lazy.pink.rabbit': ['queue-2'], // matches two of Q2's bindings, delivered once
      'quick.brown.fox': [],
      orange: [],
      'quick.orange.new.rabbit': [],
      'lazy.orange.new.rabbit': ['queue-2'],
    };
    const keys = Object.keys(expected);
    const reached = await routes(d, 'emit_log_topic', keys.map((key) => (m) => (m.routingKey = key)));
    expect(Object.fromEntries(keys.map((k, i) => [k, reached[i]]))).toEqual(expected);
  });

  it("lazy.pink.rabbit matches both of Q2's bindings and is delivered to Q2's receiver once", async () => {
    const d = withMessage(presetById('topics')!.build(), 'emit_log_topic', (m) => (m.routingKey = 'lazy.pink.rabbit'));
    const { sim, of, id, channelOf, serverName } = setup(d);
    await sim.syncTo(d);
    await sim.publish(id('producer', 'emit_log_topic'));
    runDown(sim);
    const verdicts = of('publish')[0]!.trace.visits[0]!.bindings.filter((v) => v.destination === serverName('queue-2'));
    expect(verdicts.map((v) => [v.bindingKey, v.matched])).toEqual([
      ['*.*.rabbit', true],
      ['lazy.#', true],
    ]);
    expect(of('delivered').map((e) => e.channel)).toEqual([channelOf('receive_logs_topic-2')]);
  });
});

describe.each(FORMS)('tutorial 6, RPC, %s', (_, classic) => {
  it('a request to rpc_queue carries reply-to and a correlation id; rpc_server answers it there, and the answer reaches rpc_client with the same correlation id', async () => {
    const d = presetById('rpc')!.build({ classic });
    const { sim, of, id, channelOf } = setup(d);
    expect(await sim.syncTo(d)).toEqual({ errors: [] });

    // The client's request.
    await sim.publish(id('producer', 'rpc_client'));
    const request = of('publish')[0]!;
    expect(request.trace).toMatchObject({ exchange: '', routingKey: 'rpc_queue', outcome: 'routed' });
    const { replyTo, correlationId } = request.properties;
    // Direct Reply-to: the broker gave the request an address naming the client's channel.
    if (classic) expect(replyTo).toBe('rpc_client.callback');
    else expect(replyTo).toMatch(/^amq\.rabbitmq\.reply-to\.\S+$/);
    expect(correlationId).toEqual(expect.any(String));
    expect(of('delivered')).toMatchObject([{ messageId: request.messageId, queue: 'rpc_queue', channel: channelOf('rpc_server'), noAck: false }]);
    runDown(sim);

    // The server's answer: published by rpc_server before its ack, to the default exchange, routed by the reply-to.
    const reply = of('publish')[1]!;
    expect(reply.trace).toMatchObject({ exchange: '', routingKey: replyTo });
    expect(reply.properties.correlationId).toBe(correlationId);
    expect(reply.bodySize).toBe('832040'.length);
    // Direct Reply-to hands it to the client's channel without a queue; the trace says so.
    expect(reply.trace.directReplies).toBe(classic ? undefined : 1);
    expect(reply.trace.queues.map((q) => q.queue)).toEqual(classic ? ['rpc_client.callback'] : []);
    expect(of('acked')).toMatchObject([{ messageId: request.messageId, queue: 'rpc_queue' }]);
    const answer = of('delivered').find((e) => e.messageId === reply.messageId)!;
    expect(answer).toMatchObject({ queue: classic ? 'rpc_client.callback' : 'amq.rabbitmq.reply-to', channel: channelOf('rpc_client'), noAck: true });
    // The client's request and its answer share one channel with Direct Reply-to.
    const client = sim.state().clients.find((c) => c.id === id('producer', 'rpc_client'))!;
    if (!classic) expect(client.channel).toBe(channelOf('rpc_client'));
    expect(sim.inspect().queues.find((q) => q.name === 'rpc_queue')).toMatchObject({ durable: !classic, type: classic ? 'classic' : 'quorum' });
  });
});

describe('tutorial 6, RPC: Direct Reply-to needs the consumer on the publishing channel', () => {
  it('a client that publishes with amq.rabbitmq.reply-to but consumes it elsewhere is refused, as RabbitMQ refuses it', async () => {
    // The reply consumer renamed: no longer the same program as the producer rpc_client.
    const d = structuredClone(presetById('rpc')!.build());
    for (const n of d.nodes) if (n.kind === 'consumer' && n.name === 'rpc_client') n.name = 'listener';
    const { sim, id } = setup(d);
    await sim.syncTo(d);
    expect(await sim.publish(id('producer', 'rpc_client'))).toMatchObject({
      confirmed: 0,
      lost: 1,
      error: { code: 406, message: 'PRECONDITION_FAILED - fast reply consumer does not exist' },
    });
  });

  it('the reply consumer must not acknowledge: manual acks are refused', async () => {
    const d = structuredClone(presetById('rpc')!.build());
    for (const n of d.nodes) if (n.kind === 'consumer' && n.name === 'rpc_client') n.ackMode = 'manual';
    const { sim } = setup(d);
    const { errors } = await sim.syncTo(d);
    expect(errors.map((e) => e.message)).toEqual(['PRECONDITION_FAILED - reply consumer cannot acknowledge']);
  });
});

describe('dead-lettering with retry', () => {
  it('a rejected task is dead-lettered to work.retry and comes back to work after the TTL', async () => {
    const d = presetById('dead-letter-retry')!.build();
    const { sim, of, depth, id } = setup(d);
    expect(await sim.syncTo(d)).toEqual({ errors: [] });
    await sim.publish(id('producer', 'publisher'));
    const published = of('publish').map((e) => e.messageId);
    expect(published).toHaveLength(8);
    runDown(sim);

    const rejected = of('rejected').filter((e) => e.queue === 'work');
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((e) => e.method === 'reject' && !e.requeue)).toBe(true);
    const first = rejected[0]!;
    const deaths = of('dead-lettered').filter((e) => e.messageId === first.messageId);
    expect(deaths[0]).toMatchObject({ queue: 'work', reason: 'rejected', exchange: 'work.dlx', time: first.time });
    expect(deaths[0]!.trace.queues.map((q) => q.queue)).toEqual(['work.retry']);
    expect(deaths[1]).toMatchObject({ queue: 'work.retry', reason: 'expired', exchange: 'work', time: first.time + 5000 });
    expect(deaths[1]!.trace.queues.map((q) => q.queue)).toEqual(['work']);
    const back = of('delivered').find((e) => e.messageId === first.messageId && e.queue === 'work' && e.time > first.time)!;
    expect(back.time).toBeGreaterThanOrEqual(first.time + 5000);

    // In the end every task was done; nothing is left waiting.
    expect(new Set(of('acked').map((e) => e.messageId))).toEqual(new Set(published));
    expect(depth('work')).toMatchObject({ ready: 0, unacked: 0 });
    expect(depth('work.retry')).toMatchObject({ ready: 0 });
  });
});

describe('alternate exchange', () => {
  it('an unmatched key lands in the alternate exchange’s queue; a matched one goes to its queue', async () => {
    const d = presetById('alternate-exchange')!.build();
    const reached = await routes(d, 'publisher', ['asia', 'eu', 'us'].map((key) => (m) => (m.routingKey = key)));
    expect(reached).toEqual([['orders.unrouted'], ['orders.eu'], ['orders.us']]);

    const { sim, of, depth, id } = setup(d);
    await sim.syncTo(d);
    await sim.publish(id('producer', 'publisher'));
    const trace = of('publish')[0]!.trace;
    expect(trace.visits.map((v) => [v.exchange, v.via.kind])).toEqual([
      ['orders', 'publish'],
      ['orders.unrouted', 'alternate'],
    ]);
    expect(trace.visits[0]!.alternate).toEqual({ name: 'orders.unrouted', exists: true });
    expect(depth('orders.unrouted')).toMatchObject({ ready: 1 });
  });
});

describe('priority queue', () => {
  it('waiting messages with a higher priority are delivered first', async () => {
    const d = presetById('priority-queue')!.build();
    const { sim, of, id } = setup(d);
    expect(await sim.syncTo(d)).toEqual({ errors: [] });
    await sim.publish(id('producer', 'low'));
    await sim.publish(id('producer', 'high'));
    const priority = new Map(of('publish').map((e) => [e.messageId, e.properties.priority]));
    expect([...priority.values()]).toEqual([1, 1, 1, 9, 9, 9]);

    await sim.consumer(id('consumer', 'worker'), 'start');
    runDown(sim);
    expect(of('delivered').map((e) => priority.get(e.messageId))).toEqual([9, 9, 9, 1, 1, 1]);
  });
});

describe('headers routing', () => {
  it('x-match all needs every header of the binding, x-match any one of them', async () => {
    const d = presetById('headers-routing')!.build();
    const cases: [JsonTable, string[]][] = [
      [{ format: 'pdf', type: 'report' }, ['pdf_reports']],
      [{ format: 'pdf', type: 'report', size: 'large' }, ['pdf_reports']],
      [{ format: 'pdf', type: 'log' }, ['zip_or_log']],
      [{ format: 'zip', type: 'report' }, ['zip_or_log']],
      [{ format: 'zip', type: 'log' }, ['zip_or_log']],
      [{ format: 'zip' }, ['zip_or_log']],
      [{ format: 'pdf' }, []],
      [{}, []],
    ];
    const reached = await routes(d, 'uploader', cases.map(([headers]) => (m) => (m.properties = { ...m.properties, headers })));
    expect(reached).toEqual(cases.map(([, queues]) => queues));
  });
});

describe('the binding analysis of a preset', () => {
  it("sees no queue in Direct Reply-to's pseudo-queue, and finds nothing wrong with the RPC preset", async () => {
    const { analyzeTopology } = await import('../../src/broker/analysis/index');
    const { analysisInputOf } = await import('../../src/worker/analysis-input');
    const input = analysisInputOf(presetById('rpc')!.build());
    expect(input.queues.map((q) => q.name)).toEqual(['rpc_queue']);
    expect(analyzeTopology(input).filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
