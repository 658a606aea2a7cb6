/**
 * The exchanges every RabbitMQ vhost `/` already has: the nameless default exchange and the
 * `amq.*` ones. A diagram places them by name (a node named '' or 'amq.topic' refers to the
 * built-in); they are never declared or deleted, and their declaration cannot be changed.
 */

import type { ExchangeType } from './types';

/** A built-in exchange's declaration, as RabbitMQ 4.3 creates it. */
export interface BuiltInExchange {
  readonly name: string;
  readonly type: ExchangeType;
  readonly durable: true;
  readonly autoDelete: false;
  readonly internal: boolean;
  /** What it is for, in a sentence the UI can show. */
  readonly description: string;
}

const builtIn = (name: string, type: ExchangeType, internal: boolean, description: string): BuiltInExchange =>
  Object.freeze({ name, type, durable: true, autoDelete: false, internal, description });

/** Every built-in exchange of vhost `/`, the default exchange first. */
export const BUILT_IN_EXCHANGES: readonly BuiltInExchange[] = Object.freeze([
  builtIn('', 'direct', false, 'The default exchange: routes to the queue whose name is the routing key. It takes no bindings.'),
  builtIn('amq.direct', 'direct', false, 'A predeclared direct exchange.'),
  builtIn('amq.fanout', 'fanout', false, 'A predeclared fanout exchange.'),
  builtIn('amq.headers', 'headers', false, 'A predeclared headers exchange.'),
  builtIn('amq.match', 'headers', false, 'A predeclared headers exchange (the other name AMQP gives it).'),
  builtIn('amq.rabbitmq.log', 'topic', true, "RabbitMQ's log messages (internal: nobody publishes to it)."),
  builtIn('amq.rabbitmq.trace', 'topic', true, 'The firehose tracer (internal: nobody publishes to it).'),
  builtIn('amq.topic', 'topic', false, 'A predeclared topic exchange.'),
]);

const BY_NAME = new Map(BUILT_IN_EXCHANGES.map((x) => [x.name, x]));

/** True when an exchange of this name always exists: the default exchange '' or a built-in `amq.*`. */
export function isBuiltInExchange(name: string): boolean {
  return BY_NAME.has(name);
}

/** The built-in exchange of this name, if there is one. */
export function builtInExchange(name: string): BuiltInExchange | undefined {
  return BY_NAME.get(name);
}

/** The name a person reads for an exchange: the default exchange has none. */
export function exchangeLabel(name: string): string {
  return name === '' ? '(the default exchange)' : `'${name}'`;
}
