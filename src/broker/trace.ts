/**
 * Route traces: what one publish did, step by step, for the UI to animate and explain.
 *
 * A trace is built only when someone observes the broker; with no observer the router takes a
 * path that allocates none of this. Every verdict and reason here comes from the same matchers
 * that route, so the UI never re-implements a rule.
 */

import type { FieldTable } from './field-table';
import type { TopicExplanation } from './topic';
import type { HeadersExplanation } from './headers';

export type DestinationKind = 'queue' | 'exchange';

export interface BindingVerdict {
  destinationKind: DestinationKind;
  destination: string;
  bindingKey: string;
  arguments: FieldTable;
  /** The routing key this verdict is for (the message's key, or one of its CC/BCC keys). */
  routingKey: string;
  matched: boolean;
  /** One short sentence: why it matched or not. */
  reason: string;
  topic?: TopicExplanation;
  headers?: HeadersExplanation;
}

export interface ExchangeVisit {
  exchange: string;
  type: string;
  /** How the message got here: published to it, bound from another exchange, or as its AE. */
  via: { kind: 'publish' } | { kind: 'exchange-binding'; from: string } | { kind: 'alternate'; from: string };
  bindings: BindingVerdict[];
  /** Set when nothing matched and the exchange has an `alternate-exchange`. */
  alternate?: { name: string; exists: boolean };
}

export type RouteOutcome =
  /** At least one queue took a copy. */
  | 'routed'
  /** No queue reached and `mandatory`: basic.return 312 NO_ROUTE. */
  | 'returned'
  /** No queue reached, not mandatory: silently dropped. */
  | 'unroutable'
  /** Queues were reached but every one refused the message (overflow reject-publish). */
  | 'refused';

export interface QueueArrival {
  queue: string;
  /** What the queue did with it: enqueued, or refused/dropped with a reason (next issue). */
  result: 'enqueued' | 'delivered' | 'refused' | 'dropped';
  reason?: string;
}

export interface RouteTrace {
  exchange: string;
  routingKey: string;
  /** Extra routing keys from the CC and BCC headers, in the order they were used. */
  cc: string[];
  bcc: string[];
  mandatory: boolean;
  visits: ExchangeVisit[];
  queues: QueueArrival[];
  outcome: RouteOutcome;
  /** Replies handed straight to a Direct Reply-to consumer (no queue): set when there were any. */
  directReplies?: number;
}
