/**
 * The amqplib-shaped API beyond routing: confirms, consumers, prefetch, acknowledgements and
 * message bodies, as amqplib code expects them.
 */

import { describe, expect, it } from 'vitest';
import { createBroker, type AmqplibMessage } from '../../src/broker/index';
import { Content, toContent } from '../../src/broker/content';
import { flush } from './support/replay';

async function setup() {
  const broker = createBroker();
  const conn = await broker.connect();
  const ch = await conn.createChannel();
  await ch.assertQueue('q', { durable: false });
  return { broker, conn, ch };
}

describe('confirm channels', () => {
  it('call back on each ack, and waitForConfirms resolves once all are confirmed', async () => {
    const { conn } = await setup();
    const ch = await conn.createConfirmChannel();
    const acks: (Error | null)[] = [];
    ch.sendToQueue('q', Buffer.from('1'), {}, (err) => acks.push(err));
    ch.publish('', 'nowhere', Buffer.from('2'), {}, (err) => acks.push(err));
    await ch.waitForConfirms();
    expect(acks).toEqual([null, null]);
  });

  it('fail outstanding confirms with "channel closed" when a publish closes the channel', async () => {
    const { conn } = await setup();
    const ch = await conn.createConfirmChannel();
    ch.on('error', () => {});
    const results: string[] = [];
    ch.publish('missing', 'k', Buffer.from('m'), {}, (err) => results.push(err ? err.message : 'ack'));
    await expect(ch.waitForConfirms()).rejects.toThrow('channel closed');
    expect(results).toEqual(['channel closed']);
  });

  it('deliver a mandatory return before the publish is confirmed', async () => {
    const { conn } = await setup();
    const ch = await conn.createConfirmChannel();
    const order: string[] = [];
    ch.on('return', (msg: AmqplibMessage) => order.push(`return ${msg.fields.replyCode} ${msg.fields.replyText}`));
    ch.publish('', 'nowhere', Buffer.from('m'), { mandatory: true }, () => order.push('ack'));
    await ch.waitForConfirms();
    expect(order).toEqual(['return 312 NO_ROUTE', 'ack']);
  });
});

describe('consumers', () => {
  it('get at most prefetch unacknowledged messages, round-robin between consumers', async () => {
    const { ch } = await setup();
    await ch.prefetch(1);
    const got: Record<string, AmqplibMessage[]> = { a: [], b: [] };
    await ch.consume('q', (m) => m && got.a!.push(m), { consumerTag: 'a' });
    await ch.consume('q', (m) => m && got.b!.push(m), { consumerTag: 'b' });
    for (const body of ['1', '2', '3', '4']) ch.sendToQueue('q', Buffer.from(body));
    await flush();
    const bodies = (list: AmqplibMessage[]) => list.map((m) => m.content.toString());
    expect([bodies(got.a!), bodies(got.b!)]).toEqual([['1'], ['2']]);
    ch.ack(got.a![0]!);
    await flush();
    expect(got.a!.map((m) => m.content.toString())).toEqual(['1', '3']);
    ch.ackAll();
    await flush();
    expect(got.b!.map((m) => m.content.toString())).toEqual(['2', '4']);
  });

  it('nackAll requeues every unacknowledged message, which comes back redelivered', async () => {
    const { ch } = await setup();
    ch.sendToQueue('q', Buffer.from('x'));
    ch.sendToQueue('q', Buffer.from('y'));
    const first = await ch.get('q');
    await ch.get('q');
    expect(first && first.fields.messageCount).toBe(1);
    ch.nackAll();
    const again = await ch.get('q', { noAck: true });
    expect(again && [again.content.toString(), again.fields.redelivered]).toEqual(['x', true]);
  });

  it('recover redelivers a consumer\'s unacknowledged messages', async () => {
    const { ch } = await setup();
    const seen: string[] = [];
    await ch.consume('q', (m) => m && seen.push(`${m.content} ${m.fields.redelivered}`));
    ch.sendToQueue('q', Buffer.from('m'));
    await flush();
    await ch.recover();
    await flush();
    expect(seen).toEqual(['m false', 'm true']);
  });

  it('tell a consumer with null when its queue is deleted, and stop after cancel', async () => {
    const { ch, broker } = await setup();
    const seen: (string | null)[] = [];
    const { consumerTag } = await ch.consume('q', (m) => seen.push(m && m.content.toString()));
    ch.sendToQueue('q', Buffer.from('1'));
    await flush();
    await ch.cancel(consumerTag);
    ch.sendToQueue('q', Buffer.from('2'));
    await flush();
    expect(seen).toEqual(['1']);
    await ch.consume('q', (m) => seen.push(m && m.content.toString()), { noAck: true });
    await flush();
    await ch.deleteQueue('q');
    await flush();
    expect(seen).toEqual(['1', '2', null]);
    expect(broker.inspect().queues).toEqual([]);
  });
});

describe('message bodies', () => {
  it('are Buffers in Node and print as UTF-8 text', async () => {
    const { ch } = await setup();
    ch.sendToQueue('q', Buffer.from('héllo'));
    const msg = await ch.get('q', { noAck: true });
    expect(msg && Buffer.isBuffer(msg.content)).toBe(true);
    expect(msg && msg.content.toString()).toBe('héllo');
  });

  it('print as UTF-8 text in the browser too, where there is no Buffer', () => {
    const bytes = new TextEncoder().encode('Hello World!');
    const content = new Content(bytes.length);
    content.set(bytes);
    expect(content.toString()).toBe('Hello World!');
    expect(`${content}`).toBe('Hello World!');
    expect(toContent(bytes)).not.toBe(bytes); // a copy: consumers cannot change the stored body
  });
});
