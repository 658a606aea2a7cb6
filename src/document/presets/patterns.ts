/**
 * Presets for common patterns beyond the tutorials: dead-lettering with retry, an alternate
 * exchange, a priority queue and headers routing. Durable exchanges and durable classic queues,
 * as a new node has.
 */

import { connect } from '../actions';
import type { Preset } from './types';
import { assemble, consumer, durableClassic, exchange, producer, queue } from './layout';

/** How long a rejected task waits in the retry queue, ms. */
export const RETRY_DELAY_MS = 5000;

export const deadLetterRetry: Preset = {
  id: 'dead-letter-retry',
  title: 'Dead-lettering with retry',
  description: `A worker rejects some tasks; they are dead-lettered to a retry queue and come back to work after a ${RETRY_DELAY_MS / 1000} s TTL.`,
  tryIt: `Publish and press Play: worker rejects about 1 task in 4. A rejected task waits ${RETRY_DELAY_MS / 1000} s in work.retry, then is dead-lettered back to the exchange work and delivered again (its x-death tells the story).`,
  hasClassicForm: false,
  build() {
    return assemble(
      'Dead-lettering with retry',
      [
        producer('producer-1', 'publisher', 0, { routingKey: 'task', body: 'Task', properties: { persistent: true } }, { kind: 'burst', count: 8 }),
        exchange('exchange-1', 'work', 0, 'direct', true),
        // Rejected (requeue=false) tasks go to work.dlx.
        queue('queue-1', 'work', 0, durableClassic({ 'x-dead-letter-exchange': 'work.dlx' })),
        consumer('consumer-1', 'worker', 0, { prefetch: 1, ackMode: 'manual', workMs: 500, failure: { rate: 0.25, action: 'reject-drop' } }),
        exchange('exchange-2', 'work.dlx', 1, 'fanout', true),
        // Nobody consumes it: each task expires after the TTL and is dead-lettered back to the
        // exchange work with its routing key, so it reaches the queue work again.
        queue('queue-2', 'work.retry', 1, durableClassic({ 'x-message-ttl': RETRY_DELAY_MS, 'x-dead-letter-exchange': 'work' })),
      ],
      [
        connect('producer-1', 'exchange-1'),
        connect('exchange-1', 'queue-1', { routingKey: 'task' }),
        connect('queue-1', 'consumer-1'),
        connect('exchange-2', 'queue-2'),
      ],
    );
  },
};

export const alternateExchange: Preset = {
  id: 'alternate-exchange',
  title: 'Alternate exchange',
  description: 'The exchange orders has an alternate exchange: messages no binding takes land in orders.unrouted, not lost.',
  tryIt: 'Publish: no binding takes the key asia, so orders hands the message to its alternate exchange and it lands in orders.unrouted. Change the key to eu and it goes to orders.eu.',
  hasClassicForm: false,
  build() {
    return assemble(
      'Alternate exchange',
      [
        producer('producer-1', 'publisher', 0.5, { routingKey: 'asia', body: 'An order' }),
        exchange('exchange-1', 'orders', 0.5, 'direct', true, { 'alternate-exchange': 'orders.unrouted' }),
        queue('queue-1', 'orders.eu', 0, durableClassic()),
        queue('queue-2', 'orders.us', 1, durableClassic()),
        exchange('exchange-2', 'orders.unrouted', 2, 'fanout', true),
        queue('queue-3', 'orders.unrouted', 2, durableClassic()),
      ],
      [
        connect('producer-1', 'exchange-1'),
        connect('exchange-1', 'queue-1', { routingKey: 'eu' }),
        connect('exchange-1', 'queue-2', { routingKey: 'us' }),
        connect('exchange-2', 'queue-3'),
      ],
    );
  },
};

export const priorityQueue: Preset = {
  id: 'priority-queue',
  title: 'Priority queue',
  description: 'A classic queue with x-max-priority 10: waiting messages with a higher priority are delivered first.',
  tryIt: 'Publish low, then high: the worker is stopped, so all six wait in jobs. Start worker and press Play: the three priority 9 messages come out first.',
  hasClassicForm: false,
  build() {
    return assemble(
      'Priority queue',
      [
        producer('producer-1', 'low', 0, { body: 'low priority', properties: { priority: 1 } }, { kind: 'burst', count: 3 }),
        producer('producer-2', 'high', 1, { body: 'high priority', properties: { priority: 9 } }, { kind: 'burst', count: 3 }),
        queue('queue-1', 'jobs', 0.5, durableClassic({ 'x-max-priority': 10 })),
        consumer('consumer-1', 'worker', 0.5, { prefetch: 1, ackMode: 'manual', workMs: 1000, running: false }),
      ],
      [connect('producer-1', 'queue-1'), connect('producer-2', 'queue-1'), connect('queue-1', 'consumer-1')],
    );
  },
};

export const headersRouting: Preset = {
  id: 'headers-routing',
  title: 'Headers routing',
  description: 'A headers exchange: one binding needs all of its headers to match (x-match all), the other any one (x-match any).',
  tryIt: 'Publish format=pdf, type=report: only pdf_reports (all) gets it. Change type to log and publish again: only zip_or_log (any) gets it.',
  hasClassicForm: false,
  build() {
    return assemble(
      'Headers routing',
      [
        producer('producer-1', 'uploader', 0.5, { body: 'A document', properties: { headers: { format: 'pdf', type: 'report' } } }),
        exchange('exchange-1', 'documents', 0.5, 'headers', true),
        queue('queue-1', 'pdf_reports', 0, durableClassic()),
        queue('queue-2', 'zip_or_log', 1, durableClassic()),
      ],
      [
        connect('producer-1', 'exchange-1'),
        connect('exchange-1', 'queue-1', { arguments: { 'x-match': 'all', format: 'pdf', type: 'report' } }),
        connect('exchange-1', 'queue-2', { arguments: { 'x-match': 'any', format: 'zip', type: 'log' } }),
      ],
    );
  },
};

/** The pattern presets, in gallery order. */
export const PATTERN_PRESETS: readonly Preset[] = Object.freeze([deadLetterRetry, alternateExchange, priorityQueue, headersRouting]);
