import { describe, expect, it } from 'vitest';
import type { BrokerEvent } from '../../src/broker/events';
import type { BindingVerdict, RouteTrace } from '../../src/broker/trace';
import { connect, unwrap, addNodes, batch } from '../../src/document/index';
import type { ClientState } from '../../src/worker/protocol';
import { exampleDiagram } from '../../src/ui/canvas/example';
import {
  AnimationPlanner,
  dotsInFlight,
  markGroups,
  type AnimationJob,
  type DotJob,
  type MarkJob,
} from '../../src/ui/canvas/animation';

const verdict = (destination: string, bindingKey: string, matched: boolean, reason = matched ? 'it matched' : 'it did not match'): BindingVerdict => ({
  destinationKind: 'queue',
  destination,
  bindingKey,
  arguments: {},
  routingKey: 'k',
  matched,
  reason,
});

function trace(partial: Partial<RouteTrace> & Pick<RouteTrace, 'visits'>): RouteTrace {
  return { exchange: 'topic_logs', routingKey: 'k', cc: [], bcc: [], mandatory: false, queues: [], outcome: 'routed', ...partial };
}

const producer: ClientState = {
  kind: 'producer', id: 'producer-1', connection: 7, channel: 9, published: 1, confirmed: 0, nacked: 0, returned: 0, skipped: 0, error: null,
};
const consumer: ClientState = {
  kind: 'consumer', id: 'consumer-1', connection: 3, channel: 4, status: 'running', consumerTag: 'ctag-1', delivered: 0, acked: 0, failed: 0, inFlight: 0, error: null,
};

const publish = (t: RouteTrace, messageId = 1): BrokerEvent => ({ type: 'publish', time: 0, vhost: '/', messageId, connection: 7, channel: 9, trace: t, properties: {}, bodySize: 0 });
const dots = (jobs: AnimationJob[]) => jobs.filter((j): j is DotJob => j.kind === 'dot');
const marks = (jobs: AnimationJob[]) => jobs.filter((j): j is MarkJob => j.kind === 'mark');

describe('animation: broker events as animation jobs', () => {
  const diagram = exampleDiagram();
  const context = { diagram, clients: [producer, consumer] };

  it('a trace with two matched bindings yields dots on both binding edges, after the publish hop', () => {
    const planner = new AnimationPlanner({ hopMs: 600 });
    const t = trace({
      visits: [{ exchange: 'topic_logs', type: 'topic', via: { kind: 'publish' }, bindings: [verdict('orange', '*.orange.*', true), verdict('lazy', 'lazy.#', true)] }],
      queues: [{ queue: 'orange', result: 'enqueued' }, { queue: 'lazy', result: 'enqueued' }],
    });
    const jobs = planner.plan([publish(t)], context, 1000);
    const [first, ...rest] = dots(jobs);
    expect(first).toMatchObject({ from: 'producer-1', to: 'exchange-1', edge: 'publish:producer-1', start: 1000, duration: 600 });
    const bindingIds = diagram.bindings.map((b) => b.id);
    expect(rest.map((d) => [d.from, d.to, d.edge, d.start])).toEqual([
      ['exchange-1', 'queue-1', bindingIds[0], 1600],
      ['exchange-1', 'queue-2', bindingIds[1], 1600],
    ]);
    expect(marks(jobs)).toEqual([]);
  });

  it('an unroutable trace yields a red mark at the exchange with the reason', () => {
    const planner = new AnimationPlanner();
    const t = trace({
      outcome: 'unroutable',
      visits: [{ exchange: 'topic_logs', type: 'topic', via: { kind: 'publish' }, bindings: [verdict('orange', '*.orange.*', false, 'a'), verdict('lazy', 'lazy.#', false, 'b')] }],
    });
    const jobs = planner.plan([publish(t)], context, 0);
    expect(dots(jobs).map((d) => d.to)).toEqual(['exchange-1']);
    const [mark] = marks(jobs);
    expect(mark).toMatchObject({ node: 'exchange-1', tone: 'error', label: 'unroutable', start: 600 });
    expect(mark!.reason).toContain('no binding matched "k"');

    const single = trace({
      outcome: 'returned',
      visits: [{ exchange: 'topic_logs', type: 'topic', via: { kind: 'publish' }, bindings: [verdict('orange', '*.orange.*', false, 'the key has 2 words, the pattern 3')] }],
    });
    expect(marks(planner.plan([publish(single, 2)], context, 0))[0]).toMatchObject({ label: 'unroutable', reason: 'the key has 2 words, the pattern 3' });
  });

  it('a returned (mandatory) message travels back along the publish link to a "returned" mark at its producer', () => {
    const planner = new AnimationPlanner({ hopMs: 100 });
    const t = trace({
      outcome: 'returned',
      mandatory: true,
      visits: [{ exchange: 'topic_logs', type: 'topic', via: { kind: 'publish' }, bindings: [verdict('orange', '*.orange.*', false)] }],
    });
    const jobs = planner.plan([publish(t)], context, 0);
    expect(dots(jobs).map((d) => [d.from, d.to, d.edge, d.tone, d.start])).toEqual([
      ['producer-1', 'exchange-1', 'publish:producer-1', 'publish', 0],
      ['exchange-1', 'producer-1', 'publish:producer-1', 'return', 100],
    ]);
    expect(marks(jobs).map((m) => [m.node, m.label, m.tone, m.start])).toEqual([
      ['exchange-1', 'unroutable', 'error', 100],
      ['producer-1', 'returned', 'error', 200],
    ]);
    expect(marks(jobs)[1]!.reason).toContain('312 NO_ROUTE');
  });

  it('an alternate exchange: a mark at the first exchange says why, a dot goes to the alternate', () => {
    const d = unwrap(
      batch('ae', [
        addNodes([
          { kind: 'exchange', id: 'exchange-2', name: 'ae', type: 'fanout', position: { x: 0, y: 400 } },
          { kind: 'queue', id: 'queue-3', name: 'unrouted', position: { x: 300, y: 400 } },
        ]),
        connect('exchange-2', 'queue-3'),
      ]),
      exampleDiagram(),
    );
    const planner = new AnimationPlanner({ hopMs: 10 });
    const t = trace({
      routingKey: 'quick.brown.fox',
      visits: [
        { exchange: 'topic_logs', type: 'topic', via: { kind: 'publish' }, bindings: [verdict('orange', '*.orange.*', false)], alternate: { name: 'ae', exists: true } },
        { exchange: 'ae', type: 'fanout', via: { kind: 'alternate', from: 'topic_logs' }, bindings: [verdict('unrouted', '', true)] },
      ],
    });
    const jobs = planner.plan([publish(t)], { diagram: d, clients: [producer] }, 0);
    expect(dots(jobs).map((x) => [x.from, x.to, x.tone, x.start])).toEqual([
      ['producer-1', 'exchange-1', 'publish', 0],
      ['exchange-1', 'exchange-2', 'alternate', 10],
      ['exchange-2', 'queue-3', 'route', 20],
    ]);
    expect(marks(jobs)).toHaveLength(1);
    expect(marks(jobs)[0]).toMatchObject({ node: 'exchange-1', label: 'alternate', tone: 'info', start: 10 });
    expect(marks(jobs)[0]!.reason).toBe('no binding matched "quick.brown.fox" → AE "ae"');
  });

  it('queue outcomes: refused, head dropped, dropped, expired by queue or message TTL', () => {
    const planner = new AnimationPlanner();
    const at = { time: 0, vhost: '/' } as const;
    const jobs = planner.plan(
      [
        { ...at, type: 'refused', messageId: 1, queue: 'orange', overflow: 'reject-publish' },
        { ...at, type: 'dropped', messageId: 2, queue: 'orange', reason: "dropped for the queue's length limit, and the queue has no dead-letter exchange", cause: 'no-dead-letter-exchange' },
        { ...at, type: 'dropped', messageId: 3, queue: 'lazy', reason: 'rejected without requeue, and the queue has no dead-letter exchange', cause: 'no-dead-letter-exchange' },
        { ...at, type: 'expired', messageId: 4, queue: 'lazy', ttl: 'queue', ms: 5000 },
        { ...at, type: 'expired', messageId: 5, queue: 'lazy', ttl: 'message', ms: 500 },
      ],
      context,
      0,
    );
    expect(marks(jobs).map((m) => [m.node, m.label, m.tone, m.reason])).toEqual([
      ['queue-1', 'refused', 'error', 'queue full (overflow reject-publish)'],
      ['queue-1', 'head dropped', 'error', "dropped for the queue's length limit, and the queue has no dead-letter exchange"],
      ['queue-2', 'dropped', 'error', 'rejected without requeue, and the queue has no dead-letter exchange'],
      ['queue-2', 'expired', 'warn', 'queue TTL 5000 ms'],
      ['queue-2', 'expired', 'warn', 'message TTL 500 ms'],
    ]);
  });

  it('consumer outcomes: nacked with requeue goes back to the queue, then is redelivered', () => {
    const planner = new AnimationPlanner({ hopMs: 100 });
    const at = { time: 0, vhost: '/', queue: 'orange', channel: 4 } as const;
    const jobs = planner.plan(
      [
        { ...at, type: 'delivered', messageId: 7, consumerTag: 'ctag-1', deliveryTag: 1, redelivered: false, noAck: false },
        { ...at, type: 'rejected', messageId: 7, deliveryTag: 1, requeue: true, method: 'nack' },
        { time: 0, vhost: '/', type: 'requeued', messageId: 7, queue: 'orange', reason: 'nack with requeue' },
        { ...at, type: 'delivered', messageId: 7, consumerTag: 'ctag-1', deliveryTag: 2, redelivered: true, noAck: false },
        { ...at, type: 'rejected', messageId: 8, deliveryTag: 3, requeue: false, method: 'reject' },
      ],
      context,
      0,
    );
    expect(dots(jobs).map((d) => [d.from, d.to, d.tone, d.edge, d.start])).toEqual([
      ['queue-1', 'consumer-1', 'deliver', 'consume:consumer-1', 0],
      ['consumer-1', 'queue-1', 'requeue', 'consume:consumer-1', 100],
      ['queue-1', 'consumer-1', 'deliver', 'consume:consumer-1', 200],
    ]);
    expect(marks(jobs).map((m) => [m.node, m.label, m.reason, m.start])).toEqual([
      ['consumer-1', 'nacked', 'requeue', 100],
      ['queue-1', 'requeued', 'nack with requeue', 200],
      ['consumer-1', 'redelivered', 'delivered again (redelivered flag set)', 300],
      ['consumer-1', 'rejected', 'no requeue', 0],
    ]);
  });

  it('maps RabbitMQ names and client ids to node ids; delivery follows the publish', () => {
    const planner = new AnimationPlanner({ hopMs: 100 });
    const t = trace({
      visits: [{ exchange: 'topic_logs', type: 'topic', via: { kind: 'publish' }, bindings: [verdict('orange', '*.orange.*', true)] }],
    });
    const events: BrokerEvent[] = [
      publish(t, 5),
      { type: 'enqueued', time: 0, vhost: '/', messageId: 5, queue: 'orange', depth: 0 },
      { type: 'delivered', time: 0, vhost: '/', messageId: 5, queue: 'orange', channel: 4, consumerTag: 'ctag-1', deliveryTag: 1, redelivered: false, noAck: false },
      { type: 'acked', time: 0, vhost: '/', messageId: 5, queue: 'orange', channel: 4, deliveryTag: 1 },
      { type: 'expired', time: 0, vhost: '/', messageId: 6, queue: 'lazy', ttl: 'queue', ms: 10 },
    ];
    const jobs = planner.plan(events, context, 0);
    expect(dots(jobs).map((d) => [d.from, d.to, d.start])).toEqual([
      ['producer-1', 'exchange-1', 0],
      ['exchange-1', 'queue-1', 100],
      ['queue-1', 'consumer-1', 200],
    ]);
    expect(marks(jobs).map((m) => [m.node, m.label, m.start])).toEqual([
      ['consumer-1', 'acked', 300],
      ['queue-2', 'expired', 0],
    ]);
  });

  it('without a known client, starts from the last publisher asked, else from the exchange', () => {
    const t = trace({ visits: [{ exchange: 'topic_logs', type: 'topic', via: { kind: 'publish' }, bindings: [verdict('lazy', 'lazy.#', true)] }] });
    const fromUi = new AnimationPlanner().plan([publish(t)], { diagram, clients: [], lastPublisher: 'producer-1' }, 0);
    expect(dots(fromUi)[0]).toMatchObject({ from: 'producer-1', to: 'exchange-1' });
    const fromExchange = new AnimationPlanner().plan([publish(t)], { diagram, clients: [] }, 0);
    expect(dots(fromExchange).map((d) => [d.from, d.to, d.start])).toEqual([['exchange-1', 'queue-2', 0]]);
  });

  it('follows exchange-to-exchange hops and dead-lettering to queues on the canvas', () => {
    const d = unwrap(
      batch('more', [
        addNodes([
          { kind: 'exchange', id: 'exchange-2', name: 'dlx', type: 'fanout', position: { x: 0, y: 400 } },
          { kind: 'queue', id: 'queue-3', name: 'dead', position: { x: 300, y: 400 } },
        ]),
        connect('exchange-1', 'exchange-2', { routingKey: '#' }),
        connect('exchange-2', 'queue-3'),
      ]),
      exampleDiagram(),
    );
    const planner = new AnimationPlanner({ hopMs: 10 });
    const t = trace({
      visits: [
        { exchange: 'topic_logs', type: 'topic', via: { kind: 'publish' }, bindings: [{ ...verdict('dlx', '#', true), destinationKind: 'exchange' }] },
        { exchange: 'dlx', type: 'fanout', via: { kind: 'exchange-binding', from: 'topic_logs' }, bindings: [verdict('dead', '', true)] },
      ],
    });
    const hops = dots(planner.plan([publish(t)], { diagram: d, clients: [producer] }, 0)).map((x) => [x.from, x.to, x.start]);
    expect(hops).toEqual([['producer-1', 'exchange-1', 0], ['exchange-1', 'exchange-2', 10], ['exchange-2', 'queue-3', 20]]);

    const dlTrace = trace({ exchange: 'dlx', visits: [{ exchange: 'dlx', type: 'fanout', via: { kind: 'publish' }, bindings: [verdict('dead', '', true)] }] });
    const jobs = planner.plan(
      [{ type: 'dead-lettered', time: 0, vhost: '/', messageId: 9, queue: 'orange', reason: 'expired', exchange: 'dlx', routingKeys: ['k'], trace: dlTrace, headers: {}, properties: {} }],
      { diagram: d, clients: [] },
      100,
    );
    expect(marks(jobs)[0]).toMatchObject({ node: 'queue-1', label: 'dead-lettered' });
    expect(dots(jobs).map((x) => [x.from, x.to, x.tone])).toEqual([['queue-1', 'exchange-2', 'dead-letter'], ['exchange-2', 'queue-3', 'route']]);
  });

  it('a batch without clients uses the ones last known (a restarted consumer on its new channel)', () => {
    const planner = new AnimationPlanner({ hopMs: 100 });
    const restarted: ClientState = { ...consumer, channel: 12, consumerTag: 'ctag-2' } as ClientState;
    const delivered = (messageId: number): BrokerEvent => ({
      type: 'delivered', time: 0, vhost: '/', messageId, queue: 'orange', channel: 12, consumerTag: 'ctag-2', deliveryTag: 1, redelivered: true, noAck: false,
    });
    expect(dots(planner.plan([delivered(1)], { diagram, clients: [producer, restarted] }, 0))).toHaveLength(1);
    const later = planner.plan([delivered(2)], { diagram, clients: [] }, 0);
    expect(dots(later).map((d) => [d.from, d.to])).toEqual([['queue-1', 'consumer-1']]);
    expect(marks(later).map((m) => [m.node, m.label])).toEqual([['consumer-1', 'redelivered']]);

    // Events ahead of the clients' state: a channel no client has yet is the queue's one consumer.
    const early = new AnimationPlanner({ hopMs: 100 }).plan([delivered(3)], { diagram, clients: [producer, { ...consumer, channel: null } as ClientState] }, 0);
    expect(dots(early).map((d) => [d.from, d.to])).toEqual([['queue-1', 'consumer-1']]);
  });

  it('groups dots on the same edge into one counted dot above the limit', () => {
    const jobs: AnimationJob[] = Array.from({ length: 60 }, (_, i) => ({
      kind: 'dot', id: i, messageId: i, from: 'a', to: i < 40 ? 'b' : 'c', edge: i < 40 ? 'e1' : 'e2', tone: 'route', start: i, duration: 600,
    }));
    expect(dotsInFlight(jobs.slice(0, 10), 100)).toHaveLength(10);
    const grouped = dotsInFlight(jobs, 100);
    expect(grouped.map((g) => g.count).sort()).toEqual([20, 40]);
    expect(markGroups(jobs, 100)).toEqual([]);
  });
});

describe('marks grouped for drawing', () => {
  const mark = (id: number, node: string, label: string, start: number, reason?: string): MarkJob => ({
    kind: 'mark', id, messageId: id, node, tone: 'ok', label, start, duration: 1000, ...(reason ? { reason } : {}),
  });

  it('draws one pill per node and label, counting the marks and showing the newest reason', () => {
    const jobs = [
      mark(1, 'c1', 'acked', 0, 'first'),
      mark(2, 'c1', 'acked', 100, 'second'),
      mark(3, 'c2', 'acked', 50),
      mark(4, 'c1', 'nacked', 60),
      mark(5, 'c1', 'acked', 2000),
    ];
    const groups = markGroups(jobs, 500);
    expect(groups.map((g) => [g.mark.node, g.mark.label, g.count])).toEqual([
      ['c1', 'acked', 2],
      ['c2', 'acked', 1],
      ['c1', 'nacked', 1],
    ]);
    expect(groups[0]!.mark.reason).toBe('second');
    expect(markGroups(jobs, 1500)).toEqual([]);
    expect(markGroups(jobs, 2500).map((g) => g.count)).toEqual([1]);
  });
});
