/**
 * The worker's journal: a message's whole story from the broker's own events.
 */

import { describe, expect, it } from 'vitest';
import { createBroker } from '../../src/broker/index';
import { Journal } from '../../src/worker/journal';
import { flush } from '../broker/support/replay';

async function setup(limit?: number) {
  const broker = createBroker();
  const journal = new Journal(limit);
  broker.observe((e) => journal.take(e));
  const conn = await broker.connect();
  const ch = await conn.createChannel();
  await ch.assertExchange('orders', 'topic', { durable: false });
  await ch.assertExchange('dlx', 'fanout', { durable: false });
  await ch.assertQueue('eu', { durable: false, messageTtl: 100, deadLetterExchange: 'dlx' });
  await ch.assertQueue('us', { durable: false });
  await ch.assertQueue('dead', { durable: false });
  await ch.bindQueue('eu', 'orders', 'orders.*.eu');
  await ch.bindQueue('us', 'orders', 'orders.*.us');
  await ch.bindQueue('dead', 'dlx', '');
  return { broker, journal, ch };
}

describe('the journal', () => {
  it('keeps the properties, typed headers, each verdict and each step of a message', async () => {
    const { journal, ch } = await setup();
    ch.publish('orders', 'orders.big.eu', Buffer.from('hello'), { headers: { region: 'eu', n: 2 }, contentType: 'text/plain', persistent: true });
    await flush();
    const journey = journal.journey(1)!;
    expect(journey).toMatchObject({ messageId: 1, exchange: 'orders', routingKey: 'orders.big.eu', bodySize: 5 });
    expect(journey.properties).toContainEqual({ name: 'contentType', text: '"text/plain"', type: 'shortstr' });
    expect(journey.properties).toContainEqual({ name: 'deliveryMode', text: '2 (persistent)', type: 'octet' });
    expect(journey.headers).toEqual([
      { name: 'region', text: '"eu"', type: 'longstr' },
      { name: 'n', text: '2', type: 'byte' },
    ]);
    const verdicts = journey.routes[0]!.visits[0]!.bindings.map((b) => [b.bindingKey, b.matched, b.reason]);
    expect(verdicts).toContainEqual(['orders.*.us', false, 'word 3: binding wants "us", key has "eu"']);
    expect(journey.steps.map((s) => s.kind)).toEqual(['published', 'enqueued']);
    expect(journey.steps[0]!.text).toBe('Published to exchange "orders" with routing key "orders.big.eu": one queue got a copy.');
  });

  it('follows a message through expiry and dead-lettering, with its x-death history', async () => {
    const { broker, journal, ch } = await setup();
    ch.publish('orders', 'orders.big.eu', Buffer.from('x'));
    await flush();
    broker.advance(150);
    await flush();
    const journey = journal.journey(1)!;
    expect(journey.steps.map((s) => [s.kind, s.queue, s.time])).toEqual([
      ['published', undefined, 0],
      ['enqueued', 'eu', 0],
      ['expired', 'eu', 100],
      ['dead-lettered', 'eu', 100],
      ['enqueued', 'dead', 100],
    ]);
    expect(journey.routes.map((r) => [r.kind, r.exchange, r.fromQueue])).toEqual([
      ['publish', 'orders', undefined],
      ['dead-letter', 'dlx', 'eu'],
    ]);
    expect(journey.deaths).toHaveLength(1);
    const death = Object.fromEntries(journey.deaths[0]!.map((f) => [f.name, f.text]));
    expect(death).toMatchObject({ queue: '"eu"', reason: '"expired"', exchange: '"orders"' });
  });

  it('shows CC keys in the route and a mandatory return among the steps', async () => {
    const { journal, ch } = await setup();
    ch.publish('orders', 'orders.a.us', Buffer.from('x'), { CC: ['orders.b.eu'], BCC: ['nowhere'] });
    ch.publish('orders', 'nothing.here', Buffer.from('x'), { mandatory: true });
    await flush();
    const cc = journal.journey(1)!;
    expect([cc.routes[0]!.cc, cc.routes[0]!.bcc]).toEqual([['orders.b.eu'], ['nowhere']]);
    expect(cc.routes[0]!.queues.map((a) => a.queue).sort()).toEqual(['eu', 'us']);
    // BCC is gone from the headers RabbitMQ keeps; CC stays.
    expect(cc.headers.map((h) => h.name)).toEqual(['CC']);
    const returned = journal.journey(2)!;
    expect(returned.steps.map((s) => [s.kind, s.text])).toEqual([
      ['published', 'Published to exchange "orders" with routing key "nothing.here": no queue matched; mandatory, so it was returned.'],
      ['returned', 'Returned to the publisher: 312 NO_ROUTE.'],
    ]);
  });

  it('forgets the oldest messages past its limit, and everything on clear', async () => {
    const { journal, ch } = await setup(2);
    for (let i = 0; i < 3; i++) ch.publish('orders', 'orders.a.us', Buffer.from('x'));
    await flush();
    expect([journal.journey(1), journal.journey(2)?.messageId, journal.journey(3)?.messageId]).toEqual([null, 2, 3]);
    journal.clear();
    expect(journal.journey(3)).toBeNull();
  });
});
