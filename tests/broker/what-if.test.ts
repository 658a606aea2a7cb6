/**
 * Broker.whatIf: a publish's route and each queue's answer, without publishing. The trace must
 * be the one the real publish then records, and nothing may change: no ids, no events, no state.
 */

import { describe, expect, it } from 'vitest';
import { AmqpError, createBroker, toFieldTable, type Broker, type BrokerEvent, type RouteTrace } from '../../src/broker/index';
import type { WhatIfOptions } from '../../src/broker/index';
import { flush } from './support/replay';

async function setup() {
  const broker = createBroker();
  const events: BrokerEvent[] = [];
  broker.observe((e) => events.push(e));
  const conn = await broker.connect();
  const ch = await conn.createChannel();
  return { broker, conn, ch, events };
}

type Channel = Awaited<ReturnType<typeof setup>>['ch'];

/** The body sizes left in a queue, taken with basic.get. */
async function drain(ch: Channel, queue: string): Promise<number[]> {
  const sizes: number[] = [];
  for (let m = await ch.get(queue, { noAck: true }); m; m = await ch.get(queue, { noAck: true })) sizes.push(m.content.length);
  return sizes;
}

/** The topology of the trace tests: topic with an AE, an e2e binding into headers, fanout. */
async function topology(ch: Channel) {
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
}

const lastPublish = (events: BrokerEvent[]): RouteTrace => {
  const publishes = events.filter((e) => e.type === 'publish');
  return (publishes[publishes.length - 1] as Extract<BrokerEvent, { type: 'publish' }>).trace;
};

/**
 * whatIf, then the same publish for real: the two traces must be equal, except that whatIf also
 * says why an enqueue pushes messages out of the head (a publish's trace does not).
 */
async function sameAsPublish(broker: Broker, ch: Channel, events: BrokerEvent[], exchange: string, key: string, options: WhatIfOptions = {}) {
  const predicted = broker.whatIf('/', exchange, key, options);
  ch.publish(exchange, key, Buffer.alloc(options.bodySize ?? 0), options as Record<string, unknown>);
  await flush();
  const withoutPushReasons = predicted.queues.map((a) => (a.result === 'enqueued' ? { queue: a.queue, result: a.result } : a));
  expect({ ...predicted, queues: withoutPushReasons }).toEqual(lastPublish(events));
  return predicted;
}

describe('whatIf routes as a publish would', () => {
  it('gives the trace the real publish records: topic, CC/BCC, e2e into headers, alternate exchange, default exchange', async () => {
    const { broker, ch, events } = await setup();
    await topology(ch);
    const routed = await sameAsPublish(broker, ch, events, 'orders', 'orders.big.eu', { CC: ['audit.x'], headers: { region: 'eu' } });
    expect(routed.queues).toEqual([
      { queue: 'eu', result: 'enqueued' },
      { queue: 'audit-log', result: 'enqueued' },
    ]);
    const viaAe = await sameAsPublish(broker, ch, events, 'orders', 'nothing.here', { mandatory: true });
    expect(viaAe.visits.map((v) => [v.exchange, v.via.kind])).toEqual([
      ['orders', 'publish'],
      ['unrouted', 'alternate'],
    ]);
    const bcc = await sameAsPublish(broker, ch, events, 'orders', 'x', { CC: 'orders.a.eu', BCC: ['audit.y'], headers: { level: 'high' } });
    expect(bcc).toMatchObject({ cc: ['orders.a.eu'], bcc: ['audit.y'], outcome: 'routed' });
    await sameAsPublish(broker, ch, events, '', 'eu');
    const returned = await sameAsPublish(broker, ch, events, 'audit', '', { mandatory: true });
    expect(returned.outcome).toBe('returned');
    const dropped = await sameAsPublish(broker, ch, events, 'audit', '');
    expect(dropped.outcome).toBe('unroutable');
    const nobody = await sameAsPublish(broker, ch, events, '', 'nope', { mandatory: true });
    expect(nobody.outcome).toBe('returned');
  });

  it('takes headers as a FieldTable or as amqplib takes them, with the same answer', async () => {
    const { broker, ch } = await setup();
    await topology(ch);
    const plain = broker.whatIf('/', 'audit', '', { headers: { region: 'eu', n: 5 } });
    const table = broker.whatIf('/', 'audit', '', { headers: toFieldTable({ region: 'eu', n: 5 }) });
    expect(table).toEqual(plain);
    expect(plain.queues).toEqual([{ queue: 'audit-log', result: 'enqueued' }]);
    expect(broker.whatIf('/', 'audit', '', { headers: { region: 'us' } }).outcome).toBe('unroutable');
  });

  it('reports a consumer that would take it at once as delivered', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertQueue('q', { durable: false });
    await ch.prefetch(1);
    await ch.consume('q', () => {});
    expect((await sameAsPublish(broker, ch, events, '', 'q')).queues).toEqual([{ queue: 'q', result: 'delivered' }]);
    // The consumer's prefetch is used up now: the next one waits.
    expect((await sameAsPublish(broker, ch, events, '', 'q')).queues).toEqual([{ queue: 'q', result: 'enqueued' }]);
  });
});

describe('what each queue would do', () => {
  it('refused by a full reject-publish queue, with the reason, and outcome refused', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertQueue('q', { durable: false, maxLength: 1, overflow: 'reject-publish' });
    expect(broker.whatIf('/', '', 'q').queues).toEqual([{ queue: 'q', result: 'enqueued' }]);
    ch.sendToQueue('q', Buffer.from('1'));
    const full = await sameAsPublish(broker, ch, events, '', 'q');
    expect(full).toMatchObject({ outcome: 'refused', queues: [{ queue: 'q', result: 'refused', reason: 'the queue is full (x-overflow reject-publish)' }] });
  });

  it('reject-publish-dlx says the refused message is dead-lettered', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertQueue('q', { durable: false, maxLength: 0, overflow: 'reject-publish-dlx', deadLetterExchange: '' });
    const trace = await sameAsPublish(broker, ch, events, '', 'q');
    expect(trace.queues).toEqual([{ queue: 'q', result: 'refused', reason: 'the queue is full (x-overflow reject-publish-dlx), and dead-letters it' }]);
  });

  it('one refusing queue among others: routed', async () => {
    const { broker, ch } = await setup();
    await ch.assertExchange('fan', 'fanout', { durable: false });
    await ch.assertQueue('full', { durable: false, maxLength: 0, overflow: 'reject-publish' });
    await ch.assertQueue('open', { durable: false });
    await ch.bindQueue('full', 'fan', '');
    await ch.bindQueue('open', 'fan', '');
    expect(broker.whatIf('/', 'fan', '')).toMatchObject({ outcome: 'routed', queues: [{ queue: 'full', result: 'refused' }, { queue: 'open', result: 'enqueued' }] });
  });

  it('drop-head: enqueued, saying how many head messages it pushes out; dropped when it would go itself', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertQueue('dl', { durable: false });
    await ch.assertQueue('q', { durable: false, maxLength: 2, deadLetterExchange: '', deadLetterRoutingKey: 'dl' });
    await ch.assertQueue('zero', { durable: false, maxLength: 0 });
    ch.sendToQueue('q', Buffer.from('1'));
    ch.sendToQueue('q', Buffer.from('2'));
    const pushes = broker.whatIf('/', '', 'q');
    expect(pushes.queues).toEqual([
      { queue: 'q', result: 'enqueued', reason: 'the queue is full (x-max-length 2): taking it drops 1 message from the head to its dead-letter exchange "" (x-overflow drop-head)' },
    ]);
    const zero = await sameAsPublish(broker, ch, events, '', 'zero');
    expect(zero.queues).toEqual([{ queue: 'zero', result: 'dropped', reason: 'the queue was over its limit (x-max-length 0) with it, and x-overflow drop-head dropped it from the head' }]);
  });

  it('counts bytes with x-max-length-bytes and the body size given', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertQueue('q', { durable: false, arguments: { 'x-max-length-bytes': 10 } });
    ch.sendToQueue('q', Buffer.from('aaaa'));
    ch.sendToQueue('q', Buffer.from('bbbb'));
    expect(broker.whatIf('/', '', 'q', { bodySize: 2 }).queues[0]).toEqual({ queue: 'q', result: 'enqueued' });
    expect(broker.whatIf('/', '', 'q', { bodySize: 6 }).queues[0]!.reason).toContain('drops 1 message from the head');
    expect(broker.whatIf('/', '', 'q', { bodySize: 11 }).queues[0]).toMatchObject({ result: 'dropped' });
    const seven = await sameAsPublish(broker, ch, events, '', 'q', { bodySize: 7 });
    expect(seven.queues[0]!.reason).toContain('drops 2 messages from the head');
    expect(await drain(ch, 'q')).toEqual([7]);
  });

  it('a priority message stands ahead of lower ones, so drop-head takes it first', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertQueue('q', { durable: false, maxPriority: 5, maxLength: 1 });
    ch.sendToQueue('q', Buffer.from('low'));
    expect(broker.whatIf('/', '', 'q').queues[0]!.reason).toContain('drops 1 message');
    const high = await sameAsPublish(broker, ch, events, '', 'q', { priority: 5 });
    expect(high.queues[0]).toMatchObject({ result: 'dropped' });
    expect(() => broker.whatIf('/', '', 'q', { priority: 256 })).toThrow(RangeError);
  });

  it('a quorum reject-publish queue overshoots by one, then refuses until back at 80%', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertQueue('qq', { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-max-length': 2, 'x-overflow': 'reject-publish' } });
    const results: string[] = [];
    for (let i = 0; i < 4; i++) results.push((await sameAsPublish(broker, ch, events, '', 'qq')).queues[0]!.result);
    expect(results).toEqual(['enqueued', 'enqueued', 'enqueued', 'refused']);
    await ch.get('qq', { noAck: true });
    expect(broker.whatIf('/', '', 'qq').queues[0]!.result).toBe('refused'); // 2 of 2: not at 80% yet
    await ch.get('qq', { noAck: true });
    expect((await sameAsPublish(broker, ch, events, '', 'qq')).queues[0]!.result).toBe('enqueued');
  });
});

describe('whatIf changes nothing', () => {
  it('no events, no message ids, no state, no timers', async () => {
    const { broker, ch, events } = await setup();
    await topology(ch);
    await ch.assertQueue('ttl', { durable: false, messageTtl: 1000, maxLength: 1 });
    ch.sendToQueue('ttl', Buffer.from('old'));
    const before = { snapshot: JSON.stringify(broker.inspect()), due: broker.nextDue(), events: events.length };
    broker.whatIf('/', 'orders', 'orders.big.eu', { CC: ['audit.x'], headers: { region: 'eu' }, mandatory: true });
    broker.whatIf('/', '', 'ttl');
    broker.whatIf('/', 'audit', '', { mandatory: true });
    expect({ snapshot: JSON.stringify(broker.inspect()), due: broker.nextDue(), events: events.length }).toEqual(before);
    ch.sendToQueue('ttl', Buffer.from('new'));
    const publish = events.filter((e) => e.type === 'publish');
    expect(publish.map((e) => e.type === 'publish' && e.messageId)).toEqual([1, 2]);
  });

  it('whatIf between real publishes leaves the same story as the publishes alone', async () => {
    const run = async (withWhatIf: boolean) => {
      const broker = createBroker({ seed: 42 });
      const events: BrokerEvent[] = [];
      broker.observe((e) => events.push(e));
      const conn = await broker.connect();
      const ch = await conn.createConfirmChannel();
      await topology(ch as unknown as Channel);
      await ch.assertExchange('random', 'x-local-random', { durable: false });
      for (const name of ['r1', 'r2', 'r3']) {
        await ch.assertQueue(name, { durable: false });
        await ch.bindQueue(name, 'random', '');
      }
      await ch.assertQueue('small', { durable: false, maxLength: 1, overflow: 'reject-publish' });
      await ch.consume('amq.rabbitmq.reply-to', () => {}, { noAck: true });
      const maybe = (exchange: string, key: string, options?: WhatIfOptions) => {
        if (withWhatIf) broker.whatIf('/', exchange, key, options);
      };
      const sends: [string, string, WhatIfOptions][] = [
        ['orders', 'orders.big.eu', { CC: ['audit.x'], headers: { region: 'eu' } }],
        ['random', '', {}],
        ['random', '', {}],
        ['', 'small', {}],
        ['', 'small', {}],
        ['orders', 'nothing', { mandatory: true }],
        ['random', '', {}],
      ];
      for (const [exchange, key, options] of sends) {
        maybe(exchange, key, options);
        maybe('random', '');
        ch.publish(exchange, key, Buffer.from(key), options as Record<string, unknown>);
        await flush();
      }
      await ch.waitForConfirms().catch(() => {});
      const q = await conn.createChannel();
      const declared = await q.assertQueue('', { exclusive: true }); // a server-made name from the seeded generator
      broker.advance(10);
      return { events: JSON.stringify(events), snapshot: JSON.stringify(broker.inspect()), declared: declared.queue };
    };
    const alone = await run(false);
    const interleaved = await run(true);
    expect(interleaved.events).toBe(alone.events);
    expect(interleaved.snapshot).toBe(alone.snapshot);
    expect(interleaved.declared).toBe(alone.declared);
  });

  it('an x-local-random exchange answers with one bound queue', async () => {
    const { broker, ch } = await setup();
    await ch.assertExchange('random', 'x-local-random', { durable: false });
    await ch.assertQueue('r1', { durable: false });
    await ch.assertQueue('r2', { durable: false });
    await ch.bindQueue('r1', 'random', '');
    await ch.bindQueue('r2', 'random', '');
    const trace = broker.whatIf('/', 'random', '');
    expect(trace.queues).toHaveLength(1);
    expect(['r1', 'r2']).toContain(trace.queues[0]!.queue);
  });

  it('a reply to a direct reply-to address counts as routed, and nothing is delivered', async () => {
    const { broker, conn, events } = await setup();
    const client = await conn.createChannel();
    const replies: unknown[] = [];
    await client.consume('amq.rabbitmq.reply-to', (m) => replies.push(m), { noAck: true });
    client.sendToQueue('nowhere', Buffer.from('?'), { replyTo: 'amq.rabbitmq.reply-to' });
    const publish = events.find((e) => e.type === 'publish') as Extract<BrokerEvent, { type: 'publish' }>;
    const address = publish.properties.replyTo!;
    const count = events.length;
    expect(broker.whatIf('/', '', address, { mandatory: true })).toMatchObject({ outcome: 'routed', queues: [] });
    expect(broker.whatIf('/', '', 'amq.rabbitmq.reply-to.never-issued', { mandatory: true }).outcome).toBe('returned');
    await flush();
    expect(replies).toEqual([]);
    expect(events.length).toBe(count);
  });
});

describe('whatIf errors as a publish would', () => {
  it('404 for a missing exchange, with the broker\'s publish text', async () => {
    const { broker, ch, events } = await setup();
    ch.on('error', () => {});
    const error = (() => {
      try {
        broker.whatIf('/', 'nope', 'k');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AmqpError);
    expect(error).toMatchObject({ code: 404, replyText: "NOT_FOUND - no exchange 'nope' in vhost '/'" });
    ch.publish('nope', 'k', Buffer.from('x'));
    await flush();
    expect(events.find((e) => e.type === 'error')).toMatchObject({ text: (error as AmqpError).replyText });
  });

  it('403 for an internal exchange, 406 for a CC header that is not an array, and an unknown vhost', async () => {
    const { broker } = await setup();
    expect(() => broker.whatIf('/', 'amq.rabbitmq.trace', 'k')).toThrow("ACCESS_REFUSED - cannot publish to internal exchange 'amq.rabbitmq.trace' in vhost '/'");
    expect(() => broker.whatIf('/', 'amq.topic', 'k', { headers: { CC: 'one' } })).toThrow('PRECONDITION_FAILED - invalid message: {unacceptable_type_in_header,"CC",longstr}');
    expect(() => broker.whatIf('nowhere', 'amq.topic', 'k')).toThrow(AmqpError);
  });
});
