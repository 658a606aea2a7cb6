/**
 * Dead-lettering as RabbitMQ 4.3.6 does it: the message that leaves a queue (rejected, expired,
 * dropped for length or delivery limit) is republished to the queue's dead-letter exchange with
 * its death recorded in headers:
 * - `x-death`: one entry per {queue, reason}, most recent first; a repeated death increments
 *   that entry's count and moves it to the front;
 * - `x-first-death-*` set once, `x-last-death-*` updated each time;
 * - the `expiration` property is removed (kept in the entry as `original-expiration`).
 * It routes with the dead-letter routing key if the queue has one, else with the keys it had
 * (routing key and CC; BCC was already stripped). A death that would bring the message back to a
 * queue it already died in, with no rejection in between, is a cycle: it is dropped (4.x).
 */

import type { FieldTable, FieldValue } from './field-table';
import type { Message } from './message';
import type { DeathReason } from './queue';

const str = (value: string): FieldValue => ({ type: 'longstr', value });

/** The routing keys a message had when it died: its routing key and its CC header. */
export function routingKeysOf(message: Message): string[] {
  const keys = [message.routingKey];
  if (message.cc) return [...keys, ...message.cc];
  const cc = message.properties.headers?.CC;
  if (cc?.type === 'array') for (const item of cc.value) if (item.type === 'longstr') keys.push(item.value);
  return keys;
}

function deaths(headers: FieldTable | undefined): FieldTable[] {
  const xDeath = headers?.['x-death'];
  if (xDeath?.type !== 'array') return [];
  return xDeath.value.flatMap((entry) => (entry.type === 'table' ? [entry.value] : []));
}

const field = (entry: FieldTable, key: string): string | undefined => {
  const v = entry[key];
  return v?.type === 'longstr' ? v.value : undefined;
};

export interface DeadLetter {
  message: Message;
  /** The keys to route the dead letter with through the dead-letter exchange. */
  routingKeys: string[];
}

/** The message as the dead-letter exchange receives it. */
export function deadLetter(
  message: Message,
  queue: string,
  reason: DeathReason,
  options: { exchange: string; routingKey: string | undefined; now: number; deliveryFailed: boolean },
): DeadLetter {
  const keysAtDeath = routingKeysOf(message);
  const headers: FieldTable = Object.create(null);
  for (const [key, value] of Object.entries(message.properties.headers ?? {})) headers[key] = value;
  const previous = deaths(message.properties.headers);
  const existing = previous.find((d) => field(d, 'queue') === queue && field(d, 'reason') === reason);
  const entry: FieldTable = Object.create(null);
  const expiration = message.properties.expiration;
  const originalExpiration = existing?.['original-expiration'] ?? (expiration !== undefined ? str(expiration) : undefined);
  if (originalExpiration) entry['original-expiration'] = originalExpiration;
  const count = existing?.count?.value;
  entry.count = { type: 'long', value: existing ? Number(count ?? 0) + 1 : 1 };
  entry.reason = str(reason);
  entry.queue = str(queue);
  entry.time = { type: 'timestamp', value: Math.floor(options.now / 1000) };
  // A repeated death keeps the exchange and routing keys of the first one (4.3).
  entry.exchange = existing?.exchange ?? str(message.exchange);
  entry['routing-keys'] = existing?.['routing-keys'] ?? { type: 'array', value: keysAtDeath.map(str) };
  const others = previous.filter((d) => d !== existing);
  headers['x-death'] = { type: 'array', value: [entry, ...others].map((value) => ({ type: 'table', value })) };
  if (!headers['x-first-death-reason']) {
    headers['x-first-death-exchange'] = str(message.exchange);
    headers['x-first-death-queue'] = str(queue);
    headers['x-first-death-reason'] = str(reason);
  }
  headers['x-last-death-exchange'] = str(message.exchange);
  headers['x-last-death-queue'] = str(queue);
  headers['x-last-death-reason'] = str(reason);
  const { expiration: _dropped, ...properties } = message.properties;
  // Without a dead-letter routing key it routes as it was routed: BCC keys included.
  const routingKeys = options.routingKey === undefined ? [...keysAtDeath, ...(message.bcc ?? [])] : [options.routingKey];
  const { bcc: _bcc, cc: _cc, ...rest } = message;
  const keepsKeys = options.routingKey === undefined;
  return {
    message: {
      ...rest,
      ...(keepsKeys && message.bcc ? { bcc: message.bcc } : {}),
      ...(keepsKeys ? (message.cc ? { cc: message.cc } : {}) : { cc: [] }),
      exchange: options.exchange,
      routingKey: options.routingKey ?? message.routingKey,
      properties: { ...properties, headers },
      redelivered: message.redelivered || options.deliveryFailed,
    },
    routingKeys,
  };
}

/**
 * rabbit_dead_letter's cycle rule: dead-lettering into `target` is a cycle when the message
 * already died in `target` and no death since then (that one included) was a rejection.
 * Rejections never count as cycles.
 */
export function isDeadLetterCycle(message: Message, target: string, reason: DeathReason): boolean {
  if (reason === 'rejected') return false;
  const history = deaths(message.properties.headers);
  const at = history.findIndex((d) => field(d, 'queue') === target);
  if (at < 0) return false;
  return history.slice(0, at + 1).every((d) => field(d, 'reason') !== 'rejected');
}
