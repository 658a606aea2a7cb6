/**
 * Route traces and the observer stream: what the canvas animates and the explanations read.
 */

import { describe, expect, it } from 'vitest';
import { createBroker, type BrokerEvent, type RouteTrace } from '../../src/broker/index';
import { flush } from './support/replay';

async function setup() {
  const broker = createBroker();
  const events: BrokerEvent[] = [];
  const conn = await broker.connect();
  const ch = await conn.createChannel();
  await ch.assertExchange('orders', 'topic', { durable: false, alternateExchange: 'unrouted' });
  await ch.assertExchange('unrouted', 'fanout', { durable: false });
  await ch.assertExchange('audit', 'headers', { durable: false });
  await ch.assertQueue('eu', { durable: false });
  await ch.assertQueue('lost', { durable: false });
  await ch.assertQueue('audit-log', { durable: false });
  await ch.bindQueue('eu', 'orders', 'orders.*.eu');
  await ch.bindQueue('eu', 'orders', 'orders.#');
  await ch.bindQueue('lost', 'unrouted', '');
  await ch.bindExchange('audit', 'orders', 'audit.#');
  await ch.bindQueue('audit-log', 'audit', '', { 'x-match': 'any', region: 'eu', level: 'high' });
  const stop = broker.observe((e) => events.push(e));
  return { broker, ch, events, stop };
}

const traces = (events: BrokerEvent[]): RouteTrace[] =>
  events.flatMap((e) => (e.type === 'publish' ? [e.trace] : []));

describe('route traces', () => {
  it('records every binding of every exchange visited, per routing key, with its verdict and reason', async () => {
    const { ch, events } = await setup();
    ch.publish('orders', 'orders.big.eu', Buffer.from('a'), { CC: ['audit.x'], headers: { region: 'eu' } });
    await flush();
    const [trace] = traces(events);
    expect(trace).toMatchObject({ exchange: 'orders', routingKey: 'orders.big.eu', cc: ['audit.x'], bcc: [], outcome: 'routed' });
    expect(trace!.visits.map((v) => [v.exchange, v.via])).toEqual([
      ['orders', { kind: 'publish' }],
      ['audit', { kind: 'exchange-binding', from: 'orders' }],
    ]);
    const orders = trace!.visits[0]!.bindings.map((b) => [b.bindingKey, b.routingKey, b.matched, b.reason]);
    expect(orders).toEqual([
      ['orders.*.eu', 'orders.big.eu', true, `"orders" matched "orders", '*' took "big", "eu" matched "eu"`],
      ['orders.*.eu', 'audit.x', false, `the binding key needs 3 words and "audit.x" has 2`],
      ['orders.#', 'orders.big.eu', true, `"orders" matched "orders", '#' took "big.eu" (2 words)`],
      ['orders.#', 'audit.x', false, `word 1: binding wants "orders", key has "audit"`],
      ['audit.#', 'orders.big.eu', false, `word 1: binding wants "audit", key has "orders"`],
      ['audit.#', 'audit.x', true, `"audit" matched "audit", '#' took "x"`],
    ]);
    const audit = trace!.visits[1]!.bindings;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ destination: 'audit-log', matched: true });
    expect(audit[0]!.headers?.rows.map((r) => [r.key, r.verdict])).toEqual([
      ['x-match', 'ignored'],
      ['region', 'match'],
      ['level', 'missing'],
    ]);
    // Two bindings and two paths lead to eu and audit-log: each queue once.
    expect(trace!.queues).toEqual([
      { queue: 'eu', result: 'enqueued' },
      { queue: 'audit-log', result: 'enqueued' },
    ]);
  });

  it('shows the alternate exchange taking what no binding matched, and a mandatory return', async () => {
    const { ch, events } = await setup();
    ch.publish('orders', 'nothing.here', Buffer.from('b'), { mandatory: true });
    ch.publish('unrouted', 'x', Buffer.from('c'));
    ch.publish('audit', '', Buffer.from('d'), { mandatory: true });
    ch.publish('audit', '', Buffer.from('e'));
    await flush();
    const [viaAe, fanout, returned, dropped] = traces(events);
    expect(viaAe!.visits.map((v) => [v.exchange, v.via.kind])).toEqual([
      ['orders', 'publish'],
      ['unrouted', 'alternate'],
    ]);
    expect(viaAe!.visits[0]!.alternate).toEqual({ name: 'unrouted', exists: true });
    expect(viaAe).toMatchObject({ outcome: 'routed', queues: [{ queue: 'lost', result: 'enqueued' }] });
    expect(fanout!.visits[0]!.bindings[0]!.reason).toBe('a fanout exchange copies every message to every binding');
    expect(returned!.outcome).toBe('returned');
    expect(returned!.visits[0]!.bindings[0]).toMatchObject({ matched: false, reason: expect.stringContaining('x-match=any') });
    expect(dropped!.outcome).toBe('unroutable');
    expect(events.filter((e) => e.type === 'returned')).toHaveLength(1);
  });

  it('explains the default exchange by queue name', async () => {
    const { ch, events } = await setup();
    ch.sendToQueue('eu', Buffer.from('x'));
    ch.sendToQueue('nope', Buffer.from('y'));
    await flush();
    const [hit, miss] = traces(events);
    expect(hit!.visits[0]!.bindings[0]).toMatchObject({ destination: 'eu', matched: true, reason: 'the default exchange delivers to the queue named "eu"' });
    expect(miss!.visits[0]!.bindings[0]).toMatchObject({ matched: false, reason: 'no queue is named "nope", so the default exchange has nowhere to send it' });
    expect(miss!.outcome).toBe('unroutable');
  });

  it('BCC keys route but are stripped before delivery; CC stays', async () => {
    const { ch, events } = await setup();
    ch.publish('orders', 'x', Buffer.from('x'), { CC: ['orders.a.eu'], BCC: ['audit.y'], headers: { level: 'high' } });
    await flush();
    expect(traces(events)[0]).toMatchObject({ cc: ['orders.a.eu'], bcc: ['audit.y'] });
    const eu = await ch.get('eu', { noAck: true });
    const log = await ch.get('audit-log', { noAck: true });
    expect(eu && eu.properties.headers).toEqual({ CC: ['orders.a.eu'], level: 'high' });
    expect(log && log.properties.headers).toEqual({ CC: ['orders.a.eu'], level: 'high' });
  });
});

describe('the observer stream', () => {
  it('reports each step of a message with the simulated time', async () => {
    const { broker, ch, events } = await setup();
    broker.advance(1500);
    await ch.consume('eu', (msg) => msg && ch.ack(msg));
    ch.publish('orders', 'orders.a.eu', Buffer.from('m'));
    await flush();
    const kinds = events.map((e) => e.type);
    expect(kinds).toEqual(['consumer.added', 'publish', 'enqueued', 'delivered', 'acked']);
    expect(events.every((e) => e.time === 1500 && e.vhost === '/')).toBe(true);
    const delivered = events.find((e) => e.type === 'delivered');
    expect(delivered).toMatchObject({ queue: 'eu', redelivered: false, noAck: false, deliveryTag: 1 });
  });

  it('stops when unsubscribed, and builds nothing while nobody listens', async () => {
    const { broker, ch, events, stop } = await setup();
    stop();
    expect(broker.observed).toBe(false);
    ch.publish('orders', 'orders.a.eu', Buffer.from('m'));
    await flush();
    expect(events).toEqual([]);
  });

  it('reports server errors with their code, text and what they closed', async () => {
    const { ch, events } = await setup();
    ch.on('error', () => {});
    await expect(ch.checkQueue('missing')).rejects.toThrow();
    expect(events.filter((e) => e.type === 'error')).toEqual([
      expect.objectContaining({ scope: 'channel', code: 404, text: "NOT_FOUND - no queue 'missing' in vhost '/'", method: 'QueueDeclare' }),
    ]);
    expect(events.some((e) => e.type === 'channel.closed')).toBe(true);
  });
});

describe('inspect', () => {
  it('lists what rabbitmqctl lists for the default vhost', async () => {
    const broker = createBroker();
    const snapshot = broker.inspect();
    expect(snapshot.exchanges.map((x) => [x.name, x.type, x.durable, x.auto_delete, x.internal])).toEqual([
      ['', 'direct', true, false, false],
      ['amq.direct', 'direct', true, false, false],
      ['amq.fanout', 'fanout', true, false, false],
      ['amq.headers', 'headers', true, false, false],
      ['amq.match', 'headers', true, false, false],
      ['amq.rabbitmq.log', 'topic', true, false, true],
      ['amq.rabbitmq.trace', 'topic', true, false, true],
      ['amq.topic', 'topic', true, false, false],
    ]);
    expect(broker.addVhost('other').exchanges.has('amq.rabbitmq.log')).toBe(false);
    expect(broker.inspect().exchanges.filter((x) => x.vhost === 'other')).toHaveLength(7);
  });

  it('counts ready and unacknowledged messages, consumers, connections and channels', async () => {
    const { broker, ch } = await setup();
    await ch.prefetch(1);
    ch.sendToQueue('eu', Buffer.from('1'));
    ch.sendToQueue('eu', Buffer.from('2'));
    await ch.consume('eu', () => {}, { consumerTag: 'worker' });
    await flush();
    const snapshot = broker.inspect();
    expect(snapshot.queues.find((q) => q.name === 'eu')).toMatchObject({ messages: 2, messages_ready: 1, messages_unacknowledged: 1, consumers: 1 });
    expect(snapshot.consumers).toEqual([expect.objectContaining({ queue_name: 'eu', consumer_tag: 'worker', ack_required: true, prefetch_count: 1 })]);
    expect(snapshot.connections).toHaveLength(1);
    expect(snapshot.connections[0]!.name).toMatch(/^127\.0\.0\.1:\d+ -> 127\.0\.0\.1:5672$/);
    expect(snapshot.channels[0]).toMatchObject({ number: 1, consumer_count: 1, messages_unacknowledged: 1, prefetch_count: 1 });
    expect(snapshot.bindings.filter((b) => b.source_name === '').map((b) => b.destination_name)).toEqual(['eu', 'lost', 'audit-log']);
  });
});
