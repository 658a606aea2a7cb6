/**
 * Messages as the core keeps them: the body bytes and AMQP basic properties, headers as a typed
 * FieldTable. One Message object is shared by every queue that got a copy (queues only add a
 * small QueuedMessage record around it), so fan-out does not copy bodies.
 */

import type { FieldTable } from './field-table';

export interface MessageProperties {
  contentType?: string;
  contentEncoding?: string;
  headers?: FieldTable;
  deliveryMode?: number;
  priority?: number;
  correlationId?: string;
  replyTo?: string;
  expiration?: string;
  messageId?: string;
  timestamp?: number;
  type?: string;
  userId?: string;
  appId?: string;
  clusterId?: string;
}

export const PROPERTY_NAMES = [
  'contentType',
  'contentEncoding',
  'headers',
  'deliveryMode',
  'priority',
  'correlationId',
  'replyTo',
  'expiration',
  'messageId',
  'timestamp',
  'type',
  'userId',
  'appId',
  'clusterId',
] as const satisfies readonly (keyof MessageProperties)[];

export interface Message {
  /** Broker-wide sequence number: names this publish in traces and events. */
  readonly id: number;
  /** The exchange and routing key it was published with (dead-lettering may change them). */
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Uint8Array;
  readonly properties: MessageProperties;
  /**
   * Arrives marked redelivered: RabbitMQ 4.x marks a message dead-lettered by basic.reject
   * (requeue=false) so, and it stays so through later dead-letter hops.
   */
  readonly redelivered?: boolean;
  /** BCC keys it was routed with: stripped from its headers, still used if it is dead-lettered. */
  readonly bcc?: readonly string[];
  /**
   * The CC keys it routes with, when they differ from its CC header: a message dead-lettered with
   * a dead-letter routing key keeps the header but routes (and dies) with that key alone.
   */
  readonly cc?: readonly string[];
}

/** A message's stay in one queue, made when it leaves the ready list (delivery or get). */
export interface QueuedMessage {
  readonly message: Message;
  /** Order within the queue: a requeued message goes back to its place by this number. */
  readonly seq: number;
  redelivered: boolean;
  /** Simulated time it expires in this queue (queue or message TTL), or -1 for never. */
  readonly expiresAt: number;
  /** Times it came back to the queue for any reason (a quorum queue's x-acquired-count). */
  returns: number;
  /** Failed deliveries: basic.reject or its channel closing (a quorum queue's x-delivery-count). */
  failures: number;
}
