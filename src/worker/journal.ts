/**
 * The worker's memory of recent messages: every broker event about a message is folded into
 * that message's journey (its properties, each route it took, each thing a queue did with it),
 * so the UI can ask for one message's whole story, or why it missed a queue, long after the
 * events scrolled by.
 *
 * Layout: a Map from message id to a record, in publish order; past `limit` records the oldest
 * is forgotten (a Map deletes its first key in O(1)). Folding an event is O(1); the text of a
 * step is built then, the plain form of a route only when a journey is asked for.
 */

import type { BrokerEvent, RouteTrace } from '../broker/index';
import type { FieldTable } from '../broker/field-table';
import type { MessageProperties } from '../broker/message';
import type { Journey, JourneyStep, ShownField } from './protocol';
import { shownProperties, shownRoute, shownTable } from './shown';

export const JOURNAL_LIMIT = 2000;

interface RouteRecord {
  kind: 'publish' | 'dead-letter';
  time: number;
  fromQueue?: string;
  trace: RouteTrace;
}

interface JourneyRecord {
  messageId: number;
  exchange: string;
  routingKey: string;
  bodySize: number | null;
  properties: MessageProperties;
  /** The headers of its latest dead-lettered copy (x-death), when it died at least once. */
  deadHeaders?: FieldTable;
  routes: RouteRecord[];
  steps: JourneyStep[];
}

const q = (text: string) => JSON.stringify(text);

const DEATHS: Record<string, string> = {
  expired: 'it expired',
  rejected: 'a consumer rejected it without requeue',
  maxlen: 'the queue was over its length limit',
  delivery_limit: 'it passed the delivery limit',
};

function outcomeText(trace: RouteTrace): string {
  const copies = trace.queues.filter((a) => a.result === 'enqueued' || a.result === 'delivered').length;
  switch (trace.outcome) {
    case 'routed':
      if (trace.directReplies && copies === 0) return 'no queue: Direct Reply-to handed it straight to the consuming channel';
      return copies === 1 ? 'one queue got a copy' : `${copies} queues got a copy`;
    case 'returned':
      return 'no queue matched; mandatory, so it was returned';
    case 'unroutable':
      return 'no queue matched, so it was dropped';
    case 'refused':
      return 'every queue it reached refused it';
  }
}

/** Rows of each `x-death` entry (a table each) of a header table. */
function deathsOf(headers: FieldTable | undefined): ShownField[][] {
  const xDeath = headers?.['x-death'];
  if (!xDeath || xDeath.type !== 'array') return [];
  return xDeath.value.flatMap((entry) => (entry.type === 'table' ? [shownTable(entry.value)] : []));
}

export class Journal {
  readonly #records = new Map<number, JourneyRecord>();
  readonly #limit: number;

  constructor(limit = JOURNAL_LIMIT) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#records.size;
  }

  /** Forgets everything (the broker was replaced). */
  clear(): void {
    this.#records.clear();
  }

  /** The raw route traces of a message, for the core's why-not. */
  traces(messageId: number): RouteRecord[] | undefined {
    return this.#records.get(messageId)?.routes;
  }

  take(event: BrokerEvent): void {
    if (event.type === 'publish') return this.#published(event);
    if (!('messageId' in event)) return;
    const record = this.#records.get(event.messageId);
    if (!record) return;
    const step = this.#stepOf(event, record);
    if (step) record.steps.push(step);
  }

  journey(messageId: number): Journey | null {
    const r = this.#records.get(messageId);
    if (!r) return null;
    return {
      messageId: r.messageId,
      exchange: r.exchange,
      routingKey: r.routingKey,
      bodySize: r.bodySize,
      properties: shownProperties(r.properties),
      headers: shownTable(r.properties.headers),
      deaths: deathsOf(r.deadHeaders),
      routes: r.routes.map((route) => ({
        ...shownRoute(route.trace),
        kind: route.kind,
        time: route.time,
        ...(route.fromQueue === undefined ? {} : { fromQueue: route.fromQueue }),
      })),
      steps: r.steps.map((s) => ({ ...s })),
    };
  }

  #published(event: Extract<BrokerEvent, { type: 'publish' }>): void {
    const { trace } = event;
    const record: JourneyRecord = {
      messageId: event.messageId,
      exchange: trace.exchange,
      routingKey: trace.routingKey,
      bodySize: event.bodySize,
      properties: event.properties,
      routes: [{ kind: 'publish', time: event.time, trace }],
      steps: [],
    };
    const to = trace.exchange === '' ? 'the default exchange' : `exchange ${q(trace.exchange)}`;
    record.steps.push({ time: event.time, kind: 'published', text: `Published to ${to} with routing key ${q(trace.routingKey)}: ${outcomeText(trace)}.`, route: 0 });
    this.#records.set(event.messageId, record);
    if (this.#records.size > this.#limit) this.#records.delete(this.#records.keys().next().value!);
  }

  #stepOf(event: BrokerEvent, record: JourneyRecord): JourneyStep | null {
    const at = { time: event.time };
    switch (event.type) {
      case 'returned':
        return { ...at, kind: 'returned', text: `Returned to the publisher: ${event.replyCode} ${event.replyText}.` };
      case 'confirm':
        return { ...at, kind: 'confirmed', text: event.ack ? 'The publisher got a confirm (basic.ack).' : 'The publisher got a negative confirm (basic.nack).' };
      case 'enqueued':
        return { ...at, kind: 'enqueued', queue: event.queue, text: `Enqueued in ${q(event.queue)}${event.depth > 0 ? ` behind ${event.depth} ready ${event.depth === 1 ? 'message' : 'messages'}` : ''}.` };
      case 'delivered': {
        const who = event.consumerTag === null ? 'a basic.get' : `consumer ${q(event.consumerTag)}`;
        const how = event.noAck ? ', no ack needed' : `, delivery tag ${event.deliveryTag}`;
        const tag = event.consumerTag === null ? {} : { consumerTag: event.consumerTag };
        return { ...at, kind: 'delivered', queue: event.queue, ...tag, text: `Delivered from ${q(event.queue)} to ${who}${event.redelivered ? ' (redelivered)' : ''}${how}.` };
      }
      case 'acked':
        return { ...at, kind: 'acked', queue: event.queue, text: `Acknowledged: ${q(event.queue)} forgot it.` };
      case 'rejected':
        return { ...at, kind: 'rejected', queue: event.queue, text: `basic.${event.method} ${event.requeue ? 'with requeue' : 'without requeue'} from the consumer of ${q(event.queue)}.` };
      case 'requeued':
        return { ...at, kind: 'requeued', queue: event.queue, text: `Back in ${q(event.queue)}: ${event.reason}.` };
      case 'expired':
        return { ...at, kind: 'expired', queue: event.queue, text: `Expired in ${q(event.queue)} after ${event.ms} ms (${event.ttl === 'queue' ? "the queue's x-message-ttl" : 'its expiration property'}).` };
      case 'dead-lettered': {
        record.routes.push({ kind: 'dead-letter', time: event.time, fromQueue: event.queue, trace: event.trace });
        record.deadHeaders = event.headers;
        const keys = event.routingKeys.map(q).join(', ');
        return {
          ...at,
          kind: 'dead-lettered',
          queue: event.queue,
          route: record.routes.length - 1,
          text: `Dead-lettered from ${q(event.queue)} (${DEATHS[event.reason] ?? event.reason}) to exchange ${q(event.exchange)} with routing key ${keys}: ${outcomeText(event.trace)}.`,
        };
      }
      case 'dropped':
        return { ...at, kind: 'dropped', queue: event.queue, text: `Dropped by ${q(event.queue)}: ${event.reason}.` };
      case 'refused':
        return { ...at, kind: 'refused', queue: event.queue, text: `Refused by ${q(event.queue)}: it is full and its x-overflow is ${event.overflow}.` };
      default:
        return null;
    }
  }
}
