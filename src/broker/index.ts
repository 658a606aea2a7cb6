/**
 * Routing Playground's broker core: RabbitMQ 4.3.6 semantics behind an amqplib-shaped API.
 * Pure TypeScript: no DOM, no worker APIs, no real timers; it runs the same in Node and in the
 * browser's worker.
 *
 *   const broker = createBroker();
 *   const conn = await broker.connect('amqp://localhost');
 *   const ch = await conn.createChannel();
 */

import { Broker, type BrokerOptions } from './broker';

export function createBroker(options?: BrokerOptions): Broker {
  return new Broker(options);
}

export { Broker, type BrokerOptions } from './broker';
export type { Connection } from './amqp/connection';
export type { Channel, ConfirmChannel, ConsumeCallback } from './amqp/channel';
export type { CallbackConnection, CallbackChannel, CallbackConfirmChannel } from './amqp/callback-api';
export type { AmqplibMessage } from './amqp/options';
export { IllegalOperationError } from './amqp/client-errors';
export { AmqpError, type ReplyName } from './errors';
export type { BrokerEvent, BrokerEventType, BrokerListener } from './events';
export type { BrokerSnapshot, ExchangeInfo, QueueInfo, BindingInfo, ConnectionInfo, ChannelInfo, ConsumerInfo } from './inspect';
export type { RouteTrace, ExchangeVisit, BindingVerdict, RouteOutcome, QueueArrival } from './trace';
export { matchTopic, explainTopic, validateTopicBindingKey, type TopicExplanation } from './topic';
export { topicExamples, type TopicExamples } from './topic-examples';
export { matchHeaders, explainHeaders, validateHeadersBinding, type HeadersExplanation } from './headers';
export { toFieldTable, fromFieldTable, fieldTableToJSON, fieldTableFromJSON, type FieldTable, type FieldValue } from './field-table';
export type { WhatIfOptions } from './broker';
export type { QueuedMessageInfo } from './inspect';
export { explainWhyNot, type WhyNot, type WhyNotReason, type WhyNotTables } from './why-not';
