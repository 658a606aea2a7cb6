/**
 * What the events carry for a message inspector: the properties a message is stored with and
 * its body size on `publish`, and the dead-lettered copy's headers (its x-death history) on
 * `dead-lettered`.
 */

import { describe, expect, it } from 'vitest';
import { createBroker, fromFieldTable, type BrokerEvent, type FieldTable } from '../../src/broker/index';
import { flush } from './support/replay';

async function setup() {
  const broker = createBroker();
  const events: BrokerEvent[] = [];
  broker.observe((e) => events.push(e));
  const conn = await broker.connect();
  const ch = await conn.createChannel();
  return { broker, conn, ch, events };
}

type Of<T extends BrokerEvent['type']> = Extract<BrokerEvent, { type: T }>;
const only = <T extends BrokerEvent['type']>(events: BrokerEvent[], type: T): Of<T>[] => events.filter((e): e is Of<T> => e.type === type);

/** x-death entries as amqplib shows them, the fields a reader cares about. */
function deaths(headers: FieldTable): { queue: string; reason: string; count: number }[] {
  const plain = fromFieldTable(headers) as { 'x-death': { queue: string; reason: string; count: number }[] };
  return plain['x-death'].map(({ queue, reason, count }) => ({ queue, reason, count }));
}

describe('publish events', () => {
  it('carry the properties as stored (CC kept, BCC gone) and the body size', async () => {
    const { ch, events } = await setup();
    await ch.assertQueue('q', { durable: false });
    ch.publish('', 'q', Buffer.from('hello'), {
      headers: { region: 'eu', n: 5 },
      CC: ['other'],
      BCC: ['secret'],
      contentType: 'text/plain',
      priority: 3,
      messageId: 'm-1',
    });
    const [event] = only(events, 'publish');
    expect(event!.bodySize).toBe(5);
    expect(event!.properties).toMatchObject({ contentType: 'text/plain', priority: 3, messageId: 'm-1' });
    const headers = event!.properties.headers!;
    expect(Object.keys(headers)).toEqual(['region', 'n', 'CC']);
    expect(headers.region).toEqual({ type: 'longstr', value: 'eu' });
    expect(headers.CC).toEqual({ type: 'array', value: [{ type: 'longstr', value: 'other' }] });
    // The event's properties are what a consumer receives.
    const got = await ch.get('q', { noAck: true });
    expect(got && got.properties.headers).toEqual(fromFieldTable(headers));
  });

  it('a plain publish has an empty headers table, as amqplib sends one; an empty body is 0 bytes', async () => {
    const { ch, events } = await setup();
    ch.publish('amq.direct', 'nowhere', Buffer.alloc(0));
    const [event] = only(events, 'publish');
    expect(event!.bodySize).toBe(0);
    expect(event!.properties).toEqual({ headers: {} });
  });

  it('show the direct reply-to address the broker filled in', async () => {
    const { ch, events } = await setup();
    await ch.consume('amq.rabbitmq.reply-to', () => {}, { noAck: true });
    ch.sendToQueue('rpc', Buffer.from('?'), { replyTo: 'amq.rabbitmq.reply-to' });
    const [event] = only(events, 'publish');
    expect(event!.properties.replyTo).toMatch(/^amq\.rabbitmq\.reply-to\..+/);
  });

  it('are not built while nobody observes', async () => {
    const broker = createBroker();
    const conn = await broker.connect();
    const ch = await conn.createChannel();
    await ch.assertQueue('q', { durable: false });
    ch.sendToQueue('q', Buffer.from('x'), { headers: { a: 1 } });
    const events: BrokerEvent[] = [];
    broker.observe((e) => events.push(e));
    ch.sendToQueue('q', Buffer.from('yy'));
    expect(only(events, 'publish').map((e) => [e.messageId, e.bodySize])).toEqual([[2, 2]]);
  });
});

describe('dead-lettered events', () => {
  it('carry the dead copy\'s headers: x-death and the first/last death headers; expiration removed', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertExchange('dlx', 'fanout', { durable: false });
    await ch.assertQueue('dead', { durable: false });
    await ch.bindQueue('dead', 'dlx', '');
    await ch.assertQueue('work', { durable: false, deadLetterExchange: 'dlx' });
    ch.sendToQueue('work', Buffer.from('x'), { expiration: '100', headers: { kept: true } });
    broker.advance(100);
    const [event] = only(events, 'dead-lettered');
    expect(event).toMatchObject({ queue: 'work', reason: 'expired', exchange: 'dlx' });
    expect(event!.properties.expiration).toBeUndefined();
    expect(event!.properties.headers).toBe(event!.headers);
    const plain = fromFieldTable(event!.headers) as Record<string, unknown>;
    expect(plain).toMatchObject({
      kept: true,
      'x-first-death-exchange': '',
      'x-first-death-queue': 'work',
      'x-first-death-reason': 'expired',
      'x-last-death-queue': 'work',
      'x-last-death-reason': 'expired',
    });
    expect((plain['x-death'] as Record<string, unknown>[])[0]).toMatchObject({ 'original-expiration': '100', count: 1, queue: 'work', reason: 'expired' });
    // What the event shows is what arrives.
    const got = await ch.get('dead', { noAck: true });
    expect(got && got.properties.headers).toEqual(plain);
  });

  it('TTL expiry twice through two queues: two x-death entries, most recent first', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertQueue('final', { durable: false });
    await ch.assertQueue('second', { durable: false, messageTtl: 50, deadLetterExchange: '', deadLetterRoutingKey: 'final' });
    await ch.assertQueue('first', { durable: false, messageTtl: 100, deadLetterExchange: '', deadLetterRoutingKey: 'second' });
    ch.sendToQueue('first', Buffer.from('x'));
    broker.advance(100);
    broker.advance(50);
    const dead = only(events, 'dead-lettered');
    expect(dead.map((e) => e.queue)).toEqual(['first', 'second']);
    expect(deaths(dead[0]!.headers)).toEqual([{ queue: 'first', reason: 'expired', count: 1 }]);
    expect(deaths(dead[1]!.headers)).toEqual([
      { queue: 'second', reason: 'expired', count: 1 },
      { queue: 'first', reason: 'expired', count: 1 },
    ]);
    const last = fromFieldTable(dead[1]!.headers);
    expect(last).toMatchObject({ 'x-first-death-queue': 'first', 'x-last-death-queue': 'second' });
    // The same message id throughout its journey.
    expect(new Set(dead.map((e) => e.messageId))).toEqual(new Set([only(events, 'publish')[0]!.messageId]));
  });

  it('the same queue and reason twice (a rejection in between breaks the cycle): its entry counts 2', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertQueue('retry', { durable: false, deadLetterExchange: '', deadLetterRoutingKey: 'work' });
    await ch.assertQueue('work', { durable: false, messageTtl: 100, deadLetterExchange: '', deadLetterRoutingKey: 'retry' });
    ch.sendToQueue('work', Buffer.from('job'));
    broker.advance(100); // work -> retry (expired)
    const rejectFromRetry = async () => {
      const m = await ch.get('retry');
      expect(m).toBeTruthy();
      ch.nack(m as Exclude<typeof m, false>, false, false); // retry -> work (rejected)
      await flush();
    };
    await rejectFromRetry();
    broker.advance(100); // work -> retry (expired, again)
    const dead = only(events, 'dead-lettered');
    expect(dead.map((e) => [e.queue, e.reason])).toEqual([
      ['work', 'expired'],
      ['retry', 'rejected'],
      ['work', 'expired'],
    ]);
    expect(deaths(dead[2]!.headers)).toEqual([
      { queue: 'work', reason: 'expired', count: 2 },
      { queue: 'retry', reason: 'rejected', count: 1 },
    ]);
    expect(fromFieldTable(dead[2]!.headers)).toMatchObject({ 'x-first-death-queue': 'work', 'x-first-death-reason': 'expired', 'x-last-death-queue': 'work' });
  });
});

describe('peekQueue', () => {
  it('lists ready messages in delivery order, then unacked ones, changing nothing', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertExchange('x', 'direct', { durable: false });
    await ch.assertQueue('q', { durable: false, maxPriority: 5 });
    await ch.bindQueue('q', 'x', 'k');
    ch.sendToQueue('q', Buffer.from('1')); // id 1
    ch.publish('x', 'k', Buffer.from('2'), { priority: 5 }); // id 2: delivered first
    ch.sendToQueue('q', Buffer.from('3')); // id 3
    ch.sendToQueue('q', Buffer.from('4')); // id 4
    const a = await ch.get('q'); // 2, unacked
    const b = await ch.get('q'); // 1, unacked
    ch.nack(b as Exclude<typeof b, false>, false, true); // 1 back to its place, redelivered
    await flush();
    const before = { snapshot: JSON.stringify(broker.inspect()), events: events.length };
    expect(broker.peekQueue('/', 'q')).toEqual([
      { messageId: 1, state: 'ready', redelivered: true, routingKey: 'q', exchange: '' },
      { messageId: 3, state: 'ready', redelivered: false, routingKey: 'q', exchange: '' },
      { messageId: 4, state: 'ready', redelivered: false, routingKey: 'q', exchange: '' },
      { messageId: 2, state: 'unacked', redelivered: false, routingKey: 'k', exchange: 'x' },
    ]);
    expect(broker.peekQueue('/', 'q', 2).map((m) => m.messageId)).toEqual([1, 3]);
    expect(broker.peekQueue('/', 'q', 0)).toEqual([]);
    expect({ snapshot: JSON.stringify(broker.inspect()), events: events.length }).toEqual(before);
    // What basic.get then takes is what the list said.
    const next = await ch.get('q', { noAck: true });
    expect(next && next.content.toString()).toBe('1');
    ch.ack(a as Exclude<typeof a, false>);
  });

  it('orders unacked messages by their place in the queue, across channels and consumers', async () => {
    const { broker, conn, ch } = await setup();
    await ch.assertQueue('q', { durable: false });
    for (const body of ['a', 'b', 'c', 'd']) ch.sendToQueue('q', Buffer.from(body));
    const other = await conn.createChannel();
    const d = await other.get('q'); // a on the other channel
    await ch.prefetch(2);
    await ch.consume('q', () => {}); // b, c
    await flush();
    expect(broker.peekQueue('/', 'q').map((m) => [m.messageId, m.state])).toEqual([
      [4, 'ready'],
      [1, 'unacked'],
      [2, 'unacked'],
      [3, 'unacked'],
    ]);
    expect(d).toBeTruthy();
  });

  it('shows a dead-lettered message with its new exchange and key; a quorum queue lists returns first', async () => {
    const { broker, ch } = await setup();
    await ch.assertExchange('dlx', 'fanout', { durable: false });
    await ch.assertQueue('dlq', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.bindQueue('dlq', 'dlx', '');
    await ch.assertQueue('work', { durable: false, messageTtl: 10, deadLetterExchange: 'dlx' });
    ch.sendToQueue('work', Buffer.from('x')); // id 1
    ch.sendToQueue('dlq', Buffer.from('y')); // id 2
    broker.advance(10);
    expect(broker.peekQueue('/', 'dlq')).toEqual([
      { messageId: 2, state: 'ready', redelivered: false, routingKey: 'dlq', exchange: '' },
      { messageId: 1, state: 'ready', redelivered: false, routingKey: 'work', exchange: 'dlx' },
    ]);
    const m = await ch.get('dlq');
    ch.nack(m as Exclude<typeof m, false>, false, true);
    await flush();
    expect(broker.peekQueue('/', 'dlq').map((r) => [r.messageId, r.redelivered])).toEqual([
      [2, true],
      [1, false],
    ]);
  });

  it('404 for a missing queue', async () => {
    const { broker } = await setup();
    expect(() => broker.peekQueue('/', 'nope')).toThrow("NOT_FOUND - no queue 'nope' in vhost '/'");
  });
});
