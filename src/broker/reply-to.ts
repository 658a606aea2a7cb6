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

  /** basic.consume on `amq.rabbitmq.reply-to`. */
  consume(ch: ServerChannel, consumerTag: string, noAck: boolean, token: string): void {
    if (!noAck) throw preconditionFailed('reply consumer cannot acknowledge');
    if (ch.replyTo) throw preconditionFailed('reply consumer already set');
    ch.replyTo = { consumerTag, token };
    this.#channels.set(token, ch);
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

  /** The channel a reply to `routingKey` goes to, if it still consumes. */
  channelFor(routingKey: string): ServerChannel | undefined {
    const ch = this.#channels.get(routingKey.slice(PREFIX.length));
    return ch?.open ? ch : undefined;
  }
}

export { AmqpError };
