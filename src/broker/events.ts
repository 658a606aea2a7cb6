/**
 * What `broker.observe` reports: one event per thing the broker does, each stamped with the
 * simulated time. Events are built only while someone observes (see Broker.observe).
 *
 * Properties and headers in events are the broker's own objects, shared with the stored message
 * (nothing is copied for the observer): read them, never change them.
 */

import type { FieldTable } from './field-table';
import type { MessageProperties } from './message';
import type { RouteTrace } from './trace';
import type { DeathReason } from './queue';

/** Why a message was dropped for good (not dead-lettered). */
export type DropCause = 'no-dead-letter-exchange' | 'dead-letter-exchange-missing' | 'dead-letter-cycle' | 'dead-letter-unroutable' | 'refused';

interface At {
  /** Simulated time in ms. */
  time: number;
  vhost: string;
}

export type BrokerEvent =
  /**
   * `properties`: the message's properties as it is stored (BCC gone, CC kept, a direct reply-to
   * address filled in); `bodySize`: its body in bytes.
   */
  | (At & { type: 'publish'; messageId: number; connection: number; channel: number; trace: RouteTrace; properties: MessageProperties; bodySize: number })
  | (At & { type: 'returned'; messageId: number; channel: number; replyCode: number; replyText: string })
  | (At & { type: 'confirm'; messageId: number; channel: number; ack: boolean })
  /** A message reached a queue; `depth`: ready messages ahead of it (0: it may go straight to a consumer). */
  | (At & { type: 'enqueued'; messageId: number; queue: string; depth: number })
  | (At & { type: 'delivered'; messageId: number; queue: string; channel: number; consumerTag: string | null; deliveryTag: number; redelivered: boolean; noAck: boolean })
  | (At & { type: 'acked'; messageId: number; queue: string; channel: number; deliveryTag: number })
  | (At & { type: 'rejected'; messageId: number; queue: string; channel: number; deliveryTag: number; requeue: boolean; method: 'nack' | 'reject' })
  | (At & { type: 'requeued'; messageId: number; queue: string; reason: string })
  | (At & { type: 'dropped'; messageId: number; queue: string; reason: string; cause: DropCause })
  | (At & { type: 'expired'; messageId: number; queue: string; ttl: 'queue' | 'message'; ms: number })
  /** `headers` and `properties`: the dead-lettered copy's, with `x-death` and the `x-first-death-*`/`x-last-death-*` headers. */
  | (At & { type: 'dead-lettered'; messageId: number; queue: string; reason: DeathReason; exchange: string; routingKeys: string[]; trace: RouteTrace; headers: FieldTable; properties: MessageProperties })
  | (At & { type: 'refused'; messageId: number; queue: string; overflow: 'reject-publish' | 'reject-publish-dlx' })
  | (At & { type: 'purged'; queue: string; count: number })
  | (At & { type: 'exchange.declared'; exchange: string; exchangeType: string })
  | (At & { type: 'exchange.deleted'; exchange: string; reason: string })
  | (At & { type: 'queue.declared'; queue: string })
  | (At & { type: 'queue.deleted'; queue: string; reason: string })
  | (At & { type: 'binding.created'; source: string; destination: string; destinationKind: 'queue' | 'exchange'; routingKey: string })
  | (At & { type: 'binding.deleted'; source: string; destination: string; destinationKind: 'queue' | 'exchange'; routingKey: string })
  | (At & { type: 'consumer.added'; queue: string; channel: number; consumerTag: string })
  | (At & { type: 'consumer.cancelled'; queue: string; channel: number; consumerTag: string; reason: string })
  | (At & { type: 'connection.opened'; connection: number })
  | (At & { type: 'connection.closed'; connection: number; reason?: string })
  | (At & { type: 'broker.restarted' })
  | (At & { type: 'channel.opened'; connection: number; channel: number })
  | (At & { type: 'channel.closed'; connection: number; channel: number; reason?: string })
  | (At & { type: 'error'; connection: number; channel: number; scope: 'channel' | 'connection'; code: number; text: string; method: string });

export type BrokerEventType = BrokerEvent['type'];
export type BrokerListener = (event: BrokerEvent) => void;
