/**
 * Direct reply-to (`amq.rabbitmq.reply-to`): an RPC client consumes the pseudo-queue in no-ack
 * mode, publishes requests with `replyTo: 'amq.rabbitmq.reply-to'` on the same channel, and the
 * broker rewrites that to `amq.rabbitmq.reply-to.<token>`, an address naming the channel. A
 * reply published to the default exchange with that routing key goes straight to the consumer:
 * no queue, no acknowledgement. Layout: one Map from token to channel. Cost O(1) per reply.
 */

import { AmqpError, preconditionFailed } from './errors';
import type { ServerChannel } from './session';

export const REPLY_TO = 'amq.rabbitmq.reply-to';
const PREFIX = `${REPLY_TO}.`;

export function isReplyToAddress(routingKey: string): boolean {
  return routingKey.startsWith(PREFIX);
}

export class DirectReplyTo {
  readonly #channels = new Map<string, ServerChannel>();
  /** Every address ever handed out: a reply to a stale one is dropped without a return. */
  readonly #issued = new Set<string>();

  /** basic.consume on `amq.rabbitmq.reply-to`. */
  consume(ch: ServerChannel, consumerTag: string, noAck: boolean, token: string): void {
    if (!noAck) throw preconditionFailed('reply consumer cannot acknowledge');
    if (ch.replyTo) throw preconditionFailed('reply consumer already set');
    ch.replyTo = { consumerTag, token };
    this.#channels.set(token, ch);
    this.#issued.add(token);
  }

  /** basic.cancel of the reply consumer, or its channel closed: the address stops working. */
  release(ch: ServerChannel): void {
    if (!ch.replyTo) return;
    this.#channels.delete(ch.replyTo.token);
    ch.replyTo = undefined;
  }

  /** The address a request published on `ch` carries as its reply-to. */
  addressFor(ch: ServerChannel): string {
    if (!ch.replyTo) throw preconditionFailed('fast reply consumer does not exist');
    return PREFIX + ch.replyTo.token;
  }

  /**
   * Where a reply to `routingKey` goes: the consuming channel, 'stale' for an address this broker
   * handed out that no longer consumes (RabbitMQ drops such replies silently, with no return even
   * when mandatory), or undefined for an address it never made (unroutable).
   */
  resolve(routingKey: string): ServerChannel | 'stale' | undefined {
    const token = routingKey.slice(PREFIX.length);
    const ch = this.#channels.get(token);
    if (ch?.open) return ch;
    return this.#issued.has(token) ? 'stale' : undefined;
  }
}

export { AmqpError };
