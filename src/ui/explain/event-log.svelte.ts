/**
 * The event log: the broker's events worth a line, newest last, kept on the page (not in the
 * lazy drawer) so nothing is missed before the drawer loads; capped, since a producer at
 * 100 msg/s fills it in seconds. The lines' words are made where they are shown (log-lines.ts).
 */

import type { BrokerEvent } from '../../worker/protocol';

export const EVENT_LOG_LIMIT = 400;

export interface LogRow {
  seq: number;
  event: BrokerEvent;
}

/** Declarations, bindings, connections and channels are the topology's business, not the log's. */
const LOGGED: ReadonlySet<BrokerEvent['type']> = new Set([
  'publish', 'returned', 'enqueued', 'delivered', 'acked', 'rejected', 'requeued', 'expired', 'dead-lettered', 'dropped', 'refused',
  'error', 'consumer.cancelled', 'queue.deleted', 'broker.restarted',
]);

export class EventLog {
  rows = $state.raw<LogRow[]>([]);
  #seq = 0;
  readonly #limit: number;

  constructor(limit = EVENT_LOG_LIMIT) {
    this.#limit = limit;
  }

  take(events: readonly BrokerEvent[]): void {
    const added: LogRow[] = [];
    for (const event of events) if (LOGGED.has(event.type)) added.push({ seq: ++this.#seq, event });
    if (added.length === 0) return;
    const all = this.rows.length + added.length > this.#limit ? [...this.rows, ...added].slice(-this.#limit) : [...this.rows, ...added];
    this.rows = all;
  }

  clear(): void {
    this.rows = [];
  }
}
