/**
 * The life of a message and of a queue, rule by rule, on the simulated clock. The replays of
 * scenarios recorded on RabbitMQ 4.3.6 (scenarios.test.ts, vector-scenarios.test.ts) check the
 * same rules against the real broker's observations; these pin each rule and its events.
 */

import { describe, expect, it } from 'vitest';
import { createBroker, type AmqplibMessage, type BrokerEvent } from '../../src/broker/index';
import { flush } from './support/replay';

async function setup() {
  const broker = createBroker();
  const events: BrokerEvent[] = [];
  broker.observe((e) => events.push(e));
  const conn = await broker.connect();
  const ch = await conn.createChannel();
  return { broker, conn, ch, events };
}

const bodies = (list: (AmqplibMessage | false)[]) => list.map((m) => (m ? m.content.toString() : null));

async function drain(ch: Awaited<ReturnType<typeof setup>>['ch'], queue: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const m = await ch.get(queue, { noAck: true });
    if (!m) return out;
    out.push(m.content.toString());
  }
}

describe('message TTL', () => {
  it('expires at the head when its time comes, and says which TTL did it', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertQueue('q', { durable: false, messageTtl: 1000 });
    ch.sendToQueue('q', Buffer.from('a'));
    ch.sendToQueue('q', Buffer.from('b'), { expiration: '300' });
    expect(broker.nextDue()).toBe(1000); // only the head's deadline is watched
    broker.advance(999);
    expect(broker.inspect().queues[0]!.messages_ready).toBe(2);
    broker.advance(1);
    expect(broker.inspect().queues[0]!.messages_ready).toBe(0); // b expired behind a, then a
    const expired = events.filter((e) => e.type === 'expired');
    expect(expired.map((e) => e.type === 'expired' && [e.ttl, e.ms])).toEqual([
      ['queue', 1000],
      ['message', 300],
    ]);
    expect(events.filter((e) => e.type === 'dropped').map((e) => e.type === 'dropped' && e.cause)).toEqual(['no-dead-letter-exchange', 'no-dead-letter-exchange']);
  });

  it('TTL 0 delivers to a waiting consumer, and expires the message when nobody can take it', async () => {
    const { broker, ch } = await setup();
    await ch.assertQueue('q', { durable: false, messageTtl: 0 });
    ch.sendToQueue('q', Buffer.from('lost'));
    expect(broker.inspect().queues[0]!.messages_ready).toBe(0);
    const got: string[] = [];
    await ch.consume('q', (m) => m && got.push(m.content.toString()), { noAck: true });
    ch.sendToQueue('q', Buffer.from('taken'));
    await flush();
    expect(got).toEqual(['taken']);
  });

  it('does not expire a message while it is unacknowledged, but a requeued one keeps its deadline', async () => {
    const { broker, ch } = await setup();
    await ch.assertQueue('q', { durable: false, messageTtl: 100 });
    ch.sendToQueue('q', Buffer.from('m'));
    const m = await ch.get('q');
    broker.advance(500);
    ch.nack(m as AmqplibMessage);
    await flush();
    expect(broker.inspect().queues[0]!.messages_ready).toBe(0); // back past its deadline: gone
  });
});

describe('dead-lettering', () => {
  it('republishes to the DLX with x-death, x-first-death-* and x-last-death-*, and reports where it went', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertExchange('dlx', 'fanout', { durable: false });
    await ch.assertQueue('dlq', { durable: false });
    await ch.bindQueue('dlq', 'dlx', '');
    await ch.assertQueue('work', { durable: false, deadLetterExchange: 'dlx' });
    ch.sendToQueue('work', Buffer.from('job'), { headers: { attempt: 1 } });
    const m = await ch.get('work');
    ch.reject(m as AmqplibMessage, false);
    await flush();
    const dead = await ch.get('dlq', { noAck: true });
    expect(dead && dead.fields).toMatchObject({ exchange: 'dlx', routingKey: 'work', redelivered: true });
    const headers = dead && (dead.properties.headers as Record<string, unknown>);
    expect(headers).toMatchObject({
      attempt: 1,
      'x-first-death-queue': 'work',
      'x-first-death-reason': 'rejected',
      'x-last-death-queue': 'work',
      'x-death': [{ count: 1, reason: 'rejected', queue: 'work', exchange: '', 'routing-keys': ['work'] }],
    });
    const dl = events.find((e) => e.type === 'dead-lettered');
    expect(dl).toMatchObject({ queue: 'work', reason: 'rejected', exchange: 'dlx', routingKeys: ['work'] });
    expect(dl && dl.type === 'dead-lettered' && dl.trace.queues).toEqual([{ queue: 'dlq', result: 'enqueued' }]);
    expect(broker.inspect().queues.find((q) => q.name === 'dlq')!.messages_ready).toBe(0);
  });

  it('drops the message, with the reason, when the DLX is missing', async () => {
    const { ch, events } = await setup();
    await ch.assertQueue('q', { durable: false, deadLetterExchange: 'nowhere', maxLength: 1 });
    ch.sendToQueue('q', Buffer.from('1'));
    ch.sendToQueue('q', Buffer.from('2'));
    await flush();
    expect(events.find((e) => e.type === 'dropped')).toMatchObject({ cause: 'dead-letter-exchange-missing', reason: "dropped for the queue's length limit; its dead-letter exchange 'nowhere' does not exist" });
    expect(await drain(ch, 'q')).toEqual(['2']);
  });
});

describe('length limits', () => {
  it('x-max-length-bytes counts body bytes of ready messages; drop-head dead-letters with reason maxlen', async () => {
    const { ch } = await setup();
    await ch.assertQueue('dlq', { durable: false });
    await ch.assertQueue('q', { durable: false, arguments: { 'x-max-length-bytes': 10 }, deadLetterExchange: '', deadLetterRoutingKey: 'dlq' });
    for (const body of ['aaaa', 'bbbb', 'cccc']) ch.sendToQueue('q', Buffer.from(body), { headers: { big: 'x'.repeat(100) } });
    await flush();
    expect(await drain(ch, 'q')).toEqual(['bbbb', 'cccc']);
    const dead = await ch.get('dlq', { noAck: true });
    expect(dead && (dead.properties.headers as { 'x-death': { reason: string }[] })['x-death'][0]!.reason).toBe('maxlen');
  });

  it('reject-publish refuses the newest: a confirm nack, no basic.return even when mandatory', async () => {
    const { conn, events } = await setup();
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('q', { durable: false, maxLength: 1, overflow: 'reject-publish' });
    const results: string[] = [];
    let returned = 0;
    ch.on('return', () => returned++);
    ch.sendToQueue('q', Buffer.from('1'), { mandatory: true }, (err) => results.push(err ? 'nack' : 'ack'));
    ch.sendToQueue('q', Buffer.from('2'), { mandatory: true }, (err) => results.push(err ? 'nack' : 'ack'));
    await ch.waitForConfirms().catch(() => {});
    await flush();
    expect(results).toEqual(['ack', 'nack']);
    expect(returned).toBe(0);
    const traces = events.flatMap((e) => (e.type === 'publish' ? [e.trace] : []));
    expect(traces.map((t) => [t.outcome, t.queues])).toEqual([
      ['routed', [{ queue: 'q', result: 'enqueued' }]],
      ['refused', [{ queue: 'q', result: 'refused', reason: 'the queue is full (x-overflow reject-publish)' }]],
    ]);
    expect(events.find((e) => e.type === 'refused')).toMatchObject({ queue: 'q', overflow: 'reject-publish' });
  });
});

describe('priorities', () => {
  it('serve the highest priority first, FIFO within one, and a requeued message goes back to its place', async () => {
    const { ch } = await setup();
    await ch.assertQueue('q', { durable: false, maxPriority: 5 });
    const send = (body: string, priority?: number) => ch.sendToQueue('q', Buffer.from(body), priority === undefined ? {} : { priority });
    send('low1');
    send('high1', 5);
    send('over', 9); // above the maximum: treated as 5
    send('mid', 2);
    send('low2');
    const first = await ch.get('q');
    expect(first && first.content.toString()).toBe('high1');
    ch.nack(first as AmqplibMessage);
    expect(await drain(ch, 'q')).toEqual(['high1', 'over', 'mid', 'low1', 'low2']);
  });

  it('quorum queues (4.3) have 32 strict levels, count no priority as 4, and serve returned messages first', async () => {
    const { ch } = await setup();
    await ch.assertQueue('qq', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    for (const [body, priority] of [['p0', 0], ['none', undefined], ['p40', 40], ['p5', 5], ['p31', 31]] as const) {
      ch.sendToQueue('qq', Buffer.from(body), priority === undefined ? {} : { priority });
    }
    const first = await ch.get('qq');
    expect(first && first.content.toString()).toBe('p40'); // above 31 counts as 31, FIFO there
    ch.publish('', 'qq', Buffer.from('p31b'), { priority: 31 });
    ch.nack(first as AmqplibMessage);
    expect(await drain(ch, 'qq')).toEqual(['p40', 'p31', 'p31b', 'p5', 'none', 'p0']);
  });
});

describe('consumers', () => {
  it('single active consumer: one gets everything; when it goes the next takes over', async () => {
    const { conn, ch } = await setup();
    await ch.assertQueue('q', { durable: false, arguments: { 'x-single-active-consumer': true } });
    const got: Record<string, string[]> = { a: [], b: [] };
    const other = await conn.createChannel();
    await ch.consume('q', (m) => m && got.a!.push(m.content.toString()), { noAck: true, consumerTag: 'a' });
    await other.consume('q', (m) => m && got.b!.push(m.content.toString()), { noAck: true, consumerTag: 'b' });
    ch.sendToQueue('q', Buffer.from('1'));
    ch.sendToQueue('q', Buffer.from('2'));
    await flush();
    await ch.cancel('a');
    ch.sendToQueue('q', Buffer.from('3'));
    await flush();
    expect(got).toEqual({ a: ['1', '2'], b: ['3'] });
  });

  it('quorum queues count returns (x-acquired-count) and failed deliveries (x-delivery-count); past the limit the message is dead-lettered', async () => {
    const { ch, events } = await setup();
    await ch.assertQueue('dlq', { durable: false });
    await ch.assertQueue('qq', { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 1 }, deadLetterExchange: '', deadLetterRoutingKey: 'dlq' });
    ch.sendToQueue('qq', Buffer.from('poison'));
    const seen: unknown[] = [];
    for (const settle of ['nack', 'reject', 'reject', 'none'] as const) {
      const m = await ch.get('qq');
      if (!m) break;
      const headers = m.properties.headers as Record<string, unknown>;
      seen.push([m.fields.redelivered, headers['x-acquired-count'], headers['x-delivery-count']]);
      if (settle === 'nack') ch.nack(m); // 4.3: a nack is not a failed delivery
      if (settle === 'reject') ch.reject(m);
    }
    await flush();
    expect(seen).toEqual([
      [false, undefined, undefined],
      [true, 1, undefined],
      [true, 2, 1],
    ]);
    const dead = await ch.get('dlq', { noAck: true });
    expect(dead && [dead.fields.redelivered, (dead.properties.headers as { 'x-death': { reason: string }[] })['x-death'][0]!.reason]).toEqual([true, 'delivery_limit']);
    expect(events.some((e) => e.type === 'dead-lettered' && e.reason === 'delivery_limit')).toBe(true);
  });
});

describe('queue lifetimes', () => {
  it('x-expires deletes a queue unused for that long; a get renews the lease, a consumer holds it', async () => {
    const { broker, ch, events } = await setup();
    await ch.assertQueue('q', { durable: false, expires: 1000 });
    broker.advance(900);
    await ch.get('q');
    broker.advance(900);
    await ch.consume('q', () => {}, { consumerTag: 'c' });
    broker.advance(5000);
    expect(broker.inspect().queues.map((q) => q.name)).toEqual(['q']);
    await ch.cancel('c');
    broker.advance(999);
    expect(broker.inspect().queues).toHaveLength(1);
    broker.advance(1);
    expect(broker.inspect().queues).toHaveLength(0);
    expect(events.find((e) => e.type === 'queue.deleted')).toMatchObject({ queue: 'q', reason: 'expired: unused for its x-expires period' });
  });

  it('an auto-delete queue goes with its last consumer, never before the first', async () => {
    const { broker, ch } = await setup();
    await ch.assertQueue('q', { durable: false, autoDelete: true });
    broker.advance(10_000);
    expect(broker.inspect().queues).toHaveLength(1);
    const { consumerTag } = await ch.consume('q', () => {});
    await ch.cancel(consumerTag);
    expect(broker.inspect().queues).toHaveLength(0);
  });
});

describe('restart', () => {
  it('keeps exchanges, durable queues and persistent messages; drops connections (RabbitMQ 4.3)', async () => {
    const { broker, conn, ch } = await setup();
    const closed: string[] = [];
    conn.on('error', (e: Error) => closed.push(e.message));
    await ch.assertExchange('dx', 'direct', { durable: true });
    await ch.assertExchange('tx', 'direct', { durable: false });
    await ch.assertQueue('dq', { durable: true });
    await ch.assertQueue('tq', { durable: false });
    await ch.bindQueue('dq', 'dx', 'k');
    await ch.bindQueue('tq', 'dx', 'k');
    await ch.bindQueue('dq', 'tx', 'k');
    ch.publish('dx', 'k', Buffer.from('p1'), { persistent: true });
    ch.publish('dx', 'k', Buffer.from('t1'));
    ch.publish('dx', 'k', Buffer.from('p2'), { deliveryMode: 2 });
    const unacked = await ch.get('dq');
    expect(unacked && unacked.content.toString()).toBe('p1');
    broker.restart();
    await flush();
    expect(closed).toEqual([`Connection closed: 320 (CONNECTION-FORCED) with message "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'"`]);
    const snapshot = broker.inspect();
    expect(snapshot.connections).toEqual([]);
    expect(snapshot.exchanges.map((x) => x.name)).toEqual(expect.arrayContaining(['dx', 'tx'])); // 4.3 keeps transient exchanges
    expect(snapshot.queues.map((q) => q.name)).toEqual(['dq']);
    expect(snapshot.bindings.filter((b) => b.source_name !== '').map((b) => `${b.source_name}->${b.destination_name}`).sort()).toEqual(['dx->dq', 'tx->dq']);
    const again = await (await broker.connect()).createChannel();
    const recovered = [await again.get('dq', { noAck: true }), await again.get('dq', { noAck: true }), await again.get('dq', { noAck: true })];
    // The unacked one comes back redelivered; the ready one does not; the transient one is gone.
    expect(recovered.map((m) => m && [m.content.toString(), m.fields.redelivered])).toEqual([['p1', true], ['p2', false], false]);
  });
});

describe('direct reply-to', () => {
  it('routes a reply straight to the requesting channel, through no queue', async () => {
    const { broker, conn } = await setup();
    const server = await conn.createChannel();
    await server.assertQueue('rpc', { durable: false });
    await server.consume('rpc', (m) => {
      if (!m) return;
      server.sendToQueue(m.properties.replyTo as string, Buffer.from(`re: ${m.content}`), { correlationId: m.properties.correlationId });
      server.ack(m);
    });
    const client = await conn.createChannel();
    const replies: string[] = [];
    await client.consume('amq.rabbitmq.reply-to', (m) => m && replies.push(`${m.properties.correlationId} ${m.content}`), { noAck: true });
    client.sendToQueue('rpc', Buffer.from('ping'), { correlationId: '7', replyTo: 'amq.rabbitmq.reply-to' });
    await flush();
    await flush();
    expect(replies).toEqual(['7 re: ping']);
    expect(broker.inspect().queues.map((q) => q.name)).toEqual(['rpc']);
  });

  it('refuses a reply-to without a reply consumer, and an acknowledging reply consumer', async () => {
    const { conn } = await setup();
    const ch = await conn.createChannel();
    ch.on('error', () => {});
    ch.sendToQueue('x', Buffer.from('m'), { replyTo: 'amq.rabbitmq.reply-to' });
    await expect(ch.checkQueue('amq.rabbitmq.reply-to')).rejects.toThrow('PRECONDITION_FAILED - fast reply consumer does not exist');
    const ch2 = await conn.createChannel();
    ch2.on('error', () => {});
    await expect(ch2.consume('amq.rabbitmq.reply-to', () => {})).rejects.toThrow('PRECONDITION_FAILED - reply consumer cannot acknowledge');
  });
});

describe('bodies of one publish reach each queue', () => {
  it('each queue keeps its own state for a shared message', async () => {
    const { ch } = await setup();
    await ch.assertQueue('a', { durable: false });
    await ch.assertQueue('b', { durable: false, messageTtl: 10 });
    ch.publish('amq.fanout', '', Buffer.from('x'));
    await ch.bindQueue('a', 'amq.fanout', '');
    await ch.bindQueue('b', 'amq.fanout', '');
    ch.publish('amq.fanout', '', Buffer.from('y'));
    const got = [await ch.get('a', { noAck: true }), await ch.get('b', { noAck: true })];
    expect(bodies(got)).toEqual(['y', 'y']);
  });
});

describe('streams', () => {
  it('can be declared and published to, but reading one is refused plainly', async () => {
    const { broker, conn, ch } = await setup();
    await ch.assertQueue('s', { durable: true, arguments: { 'x-queue-type': 'stream' } });
    ch.sendToQueue('s', Buffer.from('m'));
    expect(broker.inspect().queues[0]).toMatchObject({ name: 's', type: 'stream', messages_ready: 1 });
    const errors: string[] = [];
    conn.on('error', (e: Error) => errors.push(e.message));
    await expect(ch.get('s')).rejects.toThrow('Channel ended, no reply will be forthcoming'); // 540 closes the connection
    expect(errors).toEqual([`Connection closed: 540 (NOT-IMPLEMENTED) with message "NOT_IMPLEMENTED - Routing Playground does not simulate reading streams: queue 's' in vhost '/' is a stream"`]);
  });
});
