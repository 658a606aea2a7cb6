/**
 * Connections and channels as the broker sees them: consumers, unacknowledged deliveries keyed
 * by delivery tag, prefetch, publisher confirms. The client side (amqp/) talks to these through
 * a ChannelSink, the way a real client reads frames off the socket.
 *
 * Layout: each channel keeps its unacked deliveries in a Map by tag (insertion order = tag
 * order, so `multiple` walks from the oldest). Cost: ack/nack O(1), multiple O(settled).
 */

import { AmqpError, preconditionFailed } from './errors';
import type { Message, QueuedMessage } from './message';
import type { Queue, QueueConsumer } from './queue';
import type { Vhost } from './vhost';

/** A message as the server hands it over: basic.deliver or basic.get-ok. */
export interface Delivery {
  consumerTag: string | null;
  deliveryTag: number;
  redelivered: boolean;
  queue: string;
  message: Message;
  /** basic.get-ok's message-count: ready messages left in the queue. */
  messageCount?: number;
}

/** The frames a message's content takes after its method: a header, then the body in 128 KiB frames. */
export function contentFrames(bodyBytes: number): number {
  return 1 + Math.ceil(bodyBytes / 131_064);
}

export interface ReturnedMessage {
  replyCode: number;
  replyText: string;
  message: Message;
}

/** What the server sends to a channel's client. */
export interface ChannelSink {
  deliver(delivery: Delivery): void;
  cancelledByServer(consumerTag: string): void;
  returned(ret: ReturnedMessage): void;
  confirmed(seq: number, ack: boolean): void;
  closedByServer(error: AmqpError): void;
}

export interface ConnectionSink {
  closedByServer(error: AmqpError): void;
}

/** The broker services a channel needs, so this module does not import the broker. */
export interface SessionHost {
  delivered(channel: ServerChannel, queue: Queue, qm: QueuedMessage, consumerTag: string | null, tag: number, noAck: boolean): void;
  settled(channel: ServerChannel, queue: Queue, qm: QueuedMessage, deliveryTag: number, outcome: Outcome, method: SettleMethod): void;
  consumerRemoved(channel: ServerChannel, queue: Queue, consumerTag: string, reason: string): void;
  channelClosed(channel: ServerChannel, reason?: string): void;
  connectionClosed(connection: ServerConnection, reason?: string): void;
}

/** What becomes of an unacknowledged delivery, and what settled it. */
export type Outcome = 'ack' | 'requeue' | 'discard';
export type SettleMethod = 'ack' | 'nack' | 'reject' | 'close' | 'recover';

interface Unacked {
  queue: Queue;
  qm: QueuedMessage;
  consumer: Consumer | null;
}

export class Consumer implements QueueConsumer {
  readonly tag: string;
  readonly queue: Queue;
  readonly channel: ServerChannel;
  readonly noAck: boolean;
  readonly exclusive: boolean;
  readonly priority: number;
  /** Per-consumer prefetch in force when it subscribed (0 = unlimited). */
  readonly prefetch: number;
  unacked = 0;

  constructor(init: { tag: string; queue: Queue; channel: ServerChannel; noAck: boolean; exclusive: boolean; priority: number; prefetch: number }) {
    this.tag = init.tag;
    this.queue = init.queue;
    this.channel = init.channel;
    this.noAck = init.noAck;
    this.exclusive = init.exclusive;
    this.priority = init.priority;
    this.prefetch = init.prefetch;
  }

  get channelId(): number {
    return this.channel.id;
  }

  get live(): boolean {
    return this.channel.open && this.channel.connection.open;
  }

  hasCapacity(): boolean {
    // A closing connection takes nothing more, even on its channels not yet closed.
    if (!this.channel.connection.open) return false;
    if (this.noAck) return this.channel.open;
    if (this.prefetch > 0 && this.unacked >= this.prefetch) return false;
    return this.channel.open && this.channel.hasGlobalCapacity();
  }

  deliver(queue: Queue, qm: QueuedMessage): void {
    this.channel.deliver(queue, qm, this);
  }
}

export class ServerConnection {
  readonly id: number;
  readonly name: string;
  readonly vhost: string;
  readonly user: string;
  readonly channels = new Map<number, ServerChannel>();
  readonly openedAt: number;
  /** One of the node's own (see Broker.connect): not listed as a client connection. */
  readonly internal: boolean;
  /** The vhost object, cached by the broker (vhosts are never deleted while connected). */
  vhostRef: Vhost | undefined;
  open = true;
  sink: ConnectionSink | undefined;
  /**
   * AMQP frames the server sent and received on this connection (`rabbitmqctl list_connections
   * send_cnt recv_cnt`): the handshake's three each way, then one per method, plus a header
   * frame and the body frames for content. RabbitMQ counts socket writes and reads, which
   * frames approximate.
   */
  sendCount = 3;
  recvCount = 3;
  #nextChannel = 1;

  constructor(init: { id: number; name: string; vhost: string; user: string; openedAt: number; internal?: boolean }) {
    this.id = init.id;
    this.internal = init.internal ?? false;
    this.name = init.name;
    this.vhost = init.vhost;
    this.user = init.user;
    this.openedAt = init.openedAt;
  }

  allocateChannelNumber(): number {
    return this.#nextChannel++;
  }
}

export class ServerChannel {
  readonly id: number;
  readonly number: number;
  readonly connection: ServerConnection;
  readonly host: SessionHost;
  readonly sink: ChannelSink;
  open = true;
  confirm = false;
  /** basic.qos global=false: the limit for consumers started afterwards. */
  consumerPrefetch = 0;
  /** basic.qos global=true: the limit for the whole channel. */
  channelPrefetch = 0;
  readonly consumers = new Map<string, Consumer>();
  readonly unacked = new Map<number, Unacked>();
  publishSeq = 0;
  /** The queue most recently declared on this channel: what the name "" stands for. */
  lastQueue: string | undefined;
  /** Set while this channel consumes `amq.rabbitmq.reply-to` (direct reply-to). */
  replyTo: { consumerTag: string; token: string } | undefined;
  #nextTag = 1;
  #consumerUnacked = 0;

  constructor(init: { id: number; number: number; connection: ServerConnection; host: SessionHost; sink: ChannelSink }) {
    this.id = init.id;
    this.number = init.number;
    this.connection = init.connection;
    this.host = init.host;
    this.sink = init.sink;
  }

  hasGlobalCapacity(): boolean {
    return this.channelPrefetch === 0 || this.#consumerUnacked < this.channelPrefetch;
  }

  /** basic.deliver from a queue to one of this channel's consumers. */
  deliver(queue: Queue, qm: QueuedMessage, consumer: Consumer): void {
    const tag = this.#nextTag++;
    if (!consumer.noAck) {
      this.unacked.set(tag, { queue, qm, consumer });
      consumer.unacked++;
      this.#consumerUnacked++;
      queue.unackedCount++;
    }
    this.host.delivered(this, queue, qm, consumer.tag, tag, consumer.noAck);
    this.sink.deliver({ consumerTag: consumer.tag, deliveryTag: tag, redelivered: qm.redelivered, queue: queue.name, message: queue.outgoing(qm) });
  }

  /** A direct reply-to delivery: no queue, never acknowledged. Returns its delivery tag. */
  deliverReply(message: Message): number {
    const tag = this.#nextTag++;
    this.sink.deliver({ consumerTag: this.replyTo!.consumerTag, deliveryTag: tag, redelivered: false, queue: 'amq.rabbitmq.reply-to', message });
    return tag;
  }

  /** basic.get-ok: records the message as unacked unless no-ack. */
  deliverGet(queue: Queue, qm: QueuedMessage, noAck: boolean): Delivery {
    const tag = this.#nextTag++;
    if (!noAck) {
      this.unacked.set(tag, { queue, qm, consumer: null });
      queue.unackedCount++;
      queue.unackedGets++;
    }
    this.host.delivered(this, queue, qm, null, tag, noAck);
    return { consumerTag: null, deliveryTag: tag, redelivered: qm.redelivered, queue: queue.name, message: queue.outgoing(qm), messageCount: queue.messageCount };
  }

  ack(deliveryTag: number, multiple: boolean): void {
    this.#settle(deliveryTag, multiple, 'ack', 'ack');
  }

  nack(deliveryTag: number, multiple: boolean, requeue: boolean, method: 'nack' | 'reject'): void {
    this.#settle(deliveryTag, multiple, requeue ? 'requeue' : 'discard', method);
  }

  #settle(deliveryTag: number, multiple: boolean, outcome: Outcome, method: 'ack' | 'nack' | 'reject'): void {
    if (!multiple) {
      // The common case, one tag: no arrays or sets on the way.
      if (!this.unacked.has(deliveryTag)) throw preconditionFailed(`unknown delivery tag ${deliveryTag}`);
      this.#redispatch([this.#release(deliveryTag, outcome, method)]);
      return;
    }
    const tags = this.#tagsToSettle(deliveryTag, multiple);
    const touched = new Set<Queue>();
    for (const tag of tags) touched.add(this.#release(tag, outcome, method));
    this.#redispatch(touched);
  }

  #tagsToSettle(deliveryTag: number, multiple: boolean): number[] {
    if (multiple) {
      const tags: number[] = [];
      for (const tag of this.unacked.keys()) if (deliveryTag === 0 || tag <= deliveryTag) tags.push(tag);
      if (deliveryTag !== 0 && tags.length === 0) throw preconditionFailed(`unknown delivery tag ${deliveryTag}`);
      return tags;
    }
    if (!this.unacked.has(deliveryTag)) throw preconditionFailed(`unknown delivery tag ${deliveryTag}`);
    return [deliveryTag];
  }

  #release(tag: number, outcome: Outcome, method: SettleMethod): Queue {
    const u = this.unacked.get(tag)!;
    this.unacked.delete(tag);
    if (u.consumer) {
      u.consumer.unacked--;
      this.#consumerUnacked--;
    } else {
      u.queue.unackedGets--;
    }
    u.queue.unackedCount--;
    // Report first, so a return that then passes a delivery limit reads in order.
    this.host.settled(this, u.queue, u.qm, tag, outcome, method);
    if (outcome === 'requeue' && !u.queue.deleted) u.queue.requeue(u.qm, method === 'reject' || method === 'close');
    return u.queue;
  }

  #redispatch(queues: Iterable<Queue>): void {
    for (const q of queues) if (!q.deleted) q.dispatch();
    // Freed channel-wide capacity may let this channel's other queues deliver.
    if (this.channelPrefetch > 0) for (const c of this.consumers.values()) c.queue.dispatch();
  }

  /** basic.recover(requeue=true): every unacked delivery goes back to its queue. */
  recover(): void {
    this.#requeueAll('recover');
  }

  #requeueAll(method: 'close' | 'recover'): void {
    const touched = new Set<Queue>();
    for (const tag of [...this.unacked.keys()]) touched.add(this.#release(tag, 'requeue', method));
    if (this.open) this.#redispatch(touched);
    else for (const q of touched) if (!q.deleted) q.dispatch();
  }

  addConsumer(consumer: Consumer): void {
    this.consumers.set(consumer.tag, consumer);
    consumer.queue.addConsumer(consumer);
  }

  /** basic.cancel or queue deletion: the consumer stops; its unacked deliveries stay unacked. */
  removeConsumer(tag: string, reason: string): Consumer | undefined {
    const consumer = this.consumers.get(tag);
    if (!consumer) return undefined;
    this.consumers.delete(tag);
    consumer.queue.removeConsumer(tag, this.id);
    this.host.consumerRemoved(this, consumer.queue, tag, reason);
    return consumer;
  }

  /** Closes the channel: consumers end, unacked deliveries are requeued in order. */
  close(reason?: string): void {
    if (!this.open) return;
    this.open = false;
    this.connection.channels.delete(this.number);
    for (const tag of [...this.consumers.keys()]) this.removeConsumer(tag, reason ?? 'channel closed');
    this.#requeueAll('close');
    this.host.channelClosed(this, reason);
  }
}

export { AmqpError };
