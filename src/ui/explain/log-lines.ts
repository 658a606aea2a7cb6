/**
 * The event log's lines: one short sentence per broker event, names and keys in quotes.
 */

import type { BrokerEvent } from '../../worker/protocol';

export type LogTone = 'ok' | 'info' | 'warn' | 'error';

const q = (text: string) => JSON.stringify(text);

/** One line for an event, or null for one the log does not show. */
export function describeEvent(event: BrokerEvent): { tone: LogTone; text: string } | null {
  switch (event.type) {
    case 'publish': {
      const { trace } = event;
      const to = trace.exchange === '' ? 'the default exchange' : q(trace.exchange);
      const where =
        trace.outcome === 'routed' && trace.directReplies
          ? '→ Direct Reply-to'
          : trace.outcome === 'routed'
          ? `→ ${trace.queues.filter((a) => a.result === 'enqueued' || a.result === 'delivered').length} queue(s)`
          : trace.outcome === 'returned'
            ? '→ returned (no route)'
            : trace.outcome === 'refused'
              ? '→ refused'
              : '→ unroutable, dropped';
      return { tone: trace.outcome === 'routed' ? 'info' : 'warn', text: `published to ${to}, key ${q(trace.routingKey)} ${where}` };
    }
    case 'returned':
      return { tone: 'warn', text: `returned: ${event.replyCode} ${event.replyText}` };
    case 'enqueued':
      return { tone: 'info', text: `enqueued in ${q(event.queue)}` };
    case 'delivered':
      return { tone: 'info', text: `delivered from ${q(event.queue)}${event.redelivered ? ' (redelivered)' : ''}` };
    case 'acked':
      return { tone: 'ok', text: `acked in ${q(event.queue)}` };
    case 'rejected':
      return { tone: 'warn', text: `${event.method}${event.requeue ? ' + requeue' : ''} in ${q(event.queue)}` };
    case 'requeued':
      return { tone: 'warn', text: `requeued in ${q(event.queue)}: ${event.reason}` };
    case 'expired':
      return { tone: 'warn', text: `expired in ${q(event.queue)} after ${event.ms} ms` };
    case 'dead-lettered':
      return { tone: 'warn', text: `dead-lettered from ${q(event.queue)} (${event.reason}) to ${q(event.exchange)}` };
    case 'dropped':
      return { tone: 'error', text: `dropped by ${q(event.queue)}: ${event.reason}` };
    case 'refused':
      return { tone: 'error', text: `refused by ${q(event.queue)} (${event.overflow})` };
    case 'error':
      return { tone: 'error', text: `${event.scope} error ${event.code}: ${event.text}` };
    case 'consumer.cancelled':
      return { tone: 'warn', text: `consumer ${q(event.consumerTag)} on ${q(event.queue)} cancelled: ${event.reason}` };
    case 'queue.deleted':
      return { tone: 'info', text: `queue ${q(event.queue)} deleted: ${event.reason}` };
    case 'broker.restarted':
      return { tone: 'info', text: 'the broker restarted' };
    default:
      return null;
  }
}

