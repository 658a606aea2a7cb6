/**
 * The diagram's JSON values as amqplib takes them. Arguments and headers are stored in the
 * lossless JSON form of field tables (plain JSON, or `{"$long": 1}` where a type is forced, see
 * `src/broker/field-table.ts`); amqplib wants plain JS values, `{'!': 'long', value: 1}` for a
 * forced type, and a Uint8Array for bytes. The broker has this conversion but keeps it private
 * (field-table.ts `amqplibInput`), and the worker may import only the broker's types, so it is
 * restated here, small and in the same notation.
 */

import type { JsonTable, MessageTemplate } from '../document/types';

function bytesOfBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** One value from its JSON form to what amqplib encodes to the same field value. */
export function amqplibValue(json: unknown): unknown {
  if (json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) return json.map(amqplibValue);
  const o = json as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0]!.startsWith('$')) {
    const type = keys[0]!.slice(1);
    const v = o[keys[0]!];
    if (type === 'bytes') return bytesOfBase64(String(v));
    if (type === 'table') return amqplibTable(v);
    if ((type === 'double' || type === 'float') && typeof v === 'string') return { '!': type, value: Number(v) };
    // `$unsignedlong` has no amqplib type: amqplib refuses it ("Unknown type to encode"), as here.
    return { '!': type, value: amqplibValue(v) };
  }
  return amqplibTable(o);
}

/** A table (arguments, headers) from its JSON form; a null-prototype object so any key is kept. */
export function amqplibTable(json: unknown): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  if (json === null || typeof json !== 'object') return out;
  for (const key of Object.keys(json)) out[key] = amqplibValue((json as Record<string, unknown>)[key]);
  return out;
}

/**
 * A producer template's properties as amqplib publish options: `headers` converted from the JSON
 * form, everything else (persistent, expiration, priority, mandatory, CC, BCC, replyTo,
 * correlationId, messageId, contentType, ...) passed as amqplib takes it.
 */
export function publishOptions(template: MessageTemplate): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template.properties as JsonTable)) {
    if (value === undefined) continue;
    options[key] = key === 'headers' ? amqplibTable(value) : value;
  }
  return options;
}
