/**
 * The diagram's JSON values as amqplib takes them. Arguments and headers are stored in the
 * lossless JSON form of field tables (see `src/broker/field-table.ts`); the broker's own
 * converter turns them into amqplib values. This module runs in the worker only.
 */

import { fieldTableToAmqplib } from '../broker/field-table';
import type { JsonTable, MessageTemplate } from '../document/types';

/** A table (arguments, headers) from its JSON form, as amqplib takes it. */
export const amqplibTable = fieldTableToAmqplib;

/**
 * A producer template's properties as amqplib publish options: `headers` converted from the JSON
 * form, everything else (persistent, expiration, priority, mandatory, CC, BCC, replyTo,
 * correlationId, messageId, contentType, ...) passed as amqplib takes it.
 */
export function publishOptions(template: MessageTemplate): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template.properties as JsonTable)) {
    if (value === undefined) continue;
    options[key] = key === 'headers' ? fieldTableToAmqplib(value) : value;
  }
  return options;
}
