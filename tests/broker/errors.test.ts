/**
 * What an error closes, and what the client sees afterwards, as RabbitMQ 4.3.6 and amqplib do it
 * (tests/broker/recorded/notes.json has the observations these follow).
 */

import { describe, expect, it } from 'vitest';
import { createBroker, IllegalOperationError } from '../../src/broker/index';
import { flush } from './support/replay';

async function open() {
  const broker = createBroker();
  const conn = await broker.connect();
  const ch = await conn.createChannel();
  const seen: string[] = [];
  ch.on('error', (e: Error) => seen.push(`error: ${e.message}`));
  ch.on('close', () => seen.push('close'));
  return { broker, conn, ch, seen };
}

describe('channel errors', () => {
  it('reject the failing call, emit error then close, and answer later calls as amqplib does', async () => {
    const { ch, seen } = await open();
    const failing = ch.checkQueue('missing');
    const after = ch.assertQueue('later', { durable: false });
    await expect(failing).rejects.toMatchObject({
      message: `Operation failed: QueueDeclare; 404 (NOT-FOUND) with message "NOT_FOUND - no queue 'missing' in vhost '/'"`,
      code: 404,
      classId: 50,
      methodId: 10,
    });
    await expect(after).rejects.toThrow('Channel ended, no reply will be forthcoming');
    expect(seen).toEqual([`error: Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no queue 'missing' in vhost '/'"`, 'close']);
    await expect(ch.assertQueue('x')).rejects.toBeInstanceOf(IllegalOperationError);
    expect(() => ch.publish('', 'x', Buffer.from('m'))).toThrow('Channel closed');
  });

  it('give a failed publish\'s close frame to the next call, which never ran', async () => {
    const { broker, ch, seen } = await open();
    ch.publish('no-such-exchange', 'k', Buffer.from('m'));
    const next = ch.assertQueue('never', { durable: false });
    await expect(next).rejects.toMatchObject({
      message: `Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no exchange 'no-such-exchange' in vhost '/'"`,
      code: 404,
    });
    expect(seen).toHaveLength(2);
    expect(broker.inspect().queues.map((q) => q.name)).not.toContain('never');
  });

  it('requeue the closed channel\'s unacknowledged messages, in their places, marked redelivered', async () => {
    const { broker, conn, ch } = await open();
    await ch.assertQueue('q', { durable: false });
    for (const body of ['a', 'b', 'c']) ch.sendToQueue('q', Buffer.from(body));
    const first = await ch.get('q');
    const second = await ch.get('q');
    expect(first && second && [first.content.toString(), second.content.toString()]).toEqual(['a', 'b']);
    ch.ack(second as never);
    ch.ack(second as never); // a double ack: 406 unknown delivery tag 2
    await flush();
    expect(broker.inspect().queues[0]).toMatchObject({ messages_ready: 2, messages_unacknowledged: 0 });
    const other = await conn.createChannel();
    const again = await other.get('q', { noAck: true });
    expect(again && [again.content.toString(), again.fields.redelivered]).toEqual(['a', true]);
  });
});

describe('connection errors', () => {
  it('reusing a consumer tag on a channel closes the whole connection with 530', async () => {
    const { broker, conn, ch } = await open();
    const errors: string[] = [];
    let closed = 0;
    conn.on('error', (e: Error) => errors.push(e.message));
    conn.on('close', () => closed++);
    const other = await conn.createChannel();
    const otherClosed = new Promise((resolve) => other.on('close', resolve));
    await ch.assertQueue('', { exclusive: true });
    await ch.consume('', () => {}, { consumerTag: 'dup' });
    // The same tag on another channel is fine.
    await expect(other.consume(broker.inspect().queues[0]!.name, () => {}, { consumerTag: 'dup' })).resolves.toEqual({ consumerTag: 'dup' });
    await expect(ch.consume('', () => {}, { consumerTag: 'dup' })).rejects.toThrow('Channel ended, no reply will be forthcoming');
    await otherClosed;
    expect(errors).toEqual([`Connection closed: 530 (NOT-ALLOWED) with message "NOT_ALLOWED - attempt to reuse consumer tag 'dup'"`]);
    expect(closed).toBe(1);
    expect(broker.inspect().connections).toEqual([]);
    expect(broker.inspect().queues).toEqual([]); // its exclusive queue went with it
    await expect(conn.createChannel()).rejects.toBeInstanceOf(IllegalOperationError);
  });
});

describe('names and vhosts', () => {
  it('makes amq.gen- names of 22 URL-safe base64 characters, the same for the same seed', async () => {
    const names = async (seed: number) => {
      const conn = await createBroker({ seed }).connect();
      const ch = await conn.createChannel();
      return [(await ch.assertQueue('')).queue, (await ch.assertQueue('')).queue];
    };
    const [a, b] = await names(1);
    expect(a).toMatch(/^amq\.gen-[A-Za-z0-9_-]{21}[AQgw]$/);
    expect(a).not.toBe(b);
    expect(await names(1)).toEqual([a, b]);
    expect(await names(2)).not.toEqual([a, b]);
  });

  it('connects to the vhost the URL names, and refuses an unknown one as RabbitMQ does', async () => {
    const broker = createBroker();
    broker.addVhost('staging');
    const conn = await broker.connect('amqp://guest:guest@localhost:5672/staging');
    const ch = await conn.createChannel();
    await ch.assertQueue('q', { durable: false });
    expect(broker.inspect().queues.map((q) => [q.vhost, q.name])).toEqual([['staging', 'q']]);
    await expect(broker.connect('amqp://localhost/nope')).rejects.toThrow(
      'Handshake terminated by server: 530 (NOT-ALLOWED) with message "NOT_ALLOWED - vhost nope not found"',
    );
  });
});
