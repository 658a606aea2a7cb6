/**
 * amqplib's option objects turned into AMQP method fields, with amqplib's defaults (queues and
 * exchanges durable unless told otherwise, `requeue` true) and its shortcuts (`messageTtl` for
 * `x-message-ttl`, `CC`/`BCC` into the headers, `persistent` for delivery mode 2).
 */

import { toContent } from '../content';
import { fromFieldTable, toFieldTable, type FieldTable } from '../field-table';
import type { Message, MessageProperties } from '../message';
import type { Delivery, ReturnedMessage } from '../session';

type Options = Record<string, unknown> | undefined;

/**
 * Fits an AMQP short string (at most 255 UTF-8 bytes)? Counted without encoding, since publish
 * checks every key: one to three bytes per UTF-16 unit, four for a surrogate pair.
 */
function fitsShortString(text: string): boolean {
  if (text.length <= 85) return true; // 85 units are at most 255 bytes
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes <= 255;
}

/**
 * amqplib refuses, before sending, a short-string field that is not a string of at most 255
 * UTF-8 bytes (names, routing keys, consumer tags), with this TypeError.
 */
export function checkShortString(field: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !fitsShortString(value)) {
    throw new TypeError(`Field '${field}' is the wrong type; must be a string (up to 255 chars)`);
  }
}

/** An octet property (priority, delivery mode) out of range fails in Node's Buffer, as there. */
function checkOctet(field: string, value: number | undefined): void {
  if (value === undefined) return;
  if (Number.isNaN(value)) throw new TypeError(`Field '${field}' is the wrong type; must be a number (but not NaN)`);
  if (value < 0 || value > 255 || !Number.isInteger(value)) {
    const error = new RangeError(`The value of "value" is out of range. It must be >= 0 and <= 255. Received ${value}`);
    throw Object.assign(error, { code: 'ERR_OUT_OF_RANGE' });
  }
}

/** Own and inherited enumerable keys, as amqplib's encoder reads `Object.create(args)`. */
function flatten(source: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (source && typeof source === 'object') {
    for (const key in source as Record<string, unknown>) out[key] = (source as Record<string, unknown>)[key];
  }
  return out;
}

function withShortcuts(base: unknown, shortcuts: Record<string, unknown>): FieldTable {
  const args = flatten(base);
  for (const [key, value] of Object.entries(shortcuts)) if (value !== undefined) args[key] = value;
  return toFieldTable(args);
}

export function queueDeclareFields(options: Options) {
  const o = options ?? {};
  return {
    exclusive: !!o.exclusive,
    durable: o.durable === undefined ? true : !!o.durable,
    autoDelete: !!o.autoDelete,
    arguments: withShortcuts(o.arguments, {
      'x-expires': o.expires,
      'x-message-ttl': o.messageTtl,
      'x-dead-letter-exchange': o.deadLetterExchange,
      'x-dead-letter-routing-key': o.deadLetterRoutingKey,
      'x-max-length': o.maxLength,
      'x-max-priority': o.maxPriority,
      'x-overflow': o.overflow,
      'x-queue-mode': o.queueMode,
    }),
  };
}

export function exchangeDeclareFields(type: unknown, options: Options) {
  const o = options ?? {};
  return {
    type: String(type),
    durable: o.durable === undefined ? true : !!o.durable,
    autoDelete: !!o.autoDelete,
    internal: !!o.internal,
    arguments: withShortcuts(o.arguments, { 'alternate-exchange': o.alternateExchange }),
  };
}

export function bindingArguments(argt: unknown): FieldTable {
  return toFieldTable(flatten(argt));
}

export function consumeFields(options: Options) {
  const o = options ?? {};
  return {
    consumerTag: typeof o.consumerTag === 'string' ? o.consumerTag : '',
    noAck: !!o.noAck,
    exclusive: !!o.exclusive,
    arguments: withShortcuts(o.arguments, { 'x-priority': o.priority }),
  };
}

function convertCC(cc: unknown): string[] | undefined {
  if (cc === undefined) return undefined;
  return Array.isArray(cc) ? cc.map(String) : [String(cc)];
}

/** What a publish without options carries: an empty headers table, as amqplib always sends one. */
const PLAIN_PUBLISH = Object.freeze({
  properties: Object.freeze({ headers: Object.freeze(Object.create(null) as FieldTable) }) as MessageProperties,
  mandatory: false,
});

function isEmpty(options: Options): boolean {
  if (options === undefined || options === null) return true;
  for (const _ in options) return false;
  return true;
}

/** Publish options to basic properties and the mandatory flag. Messages never mutate them. */
export function publishFields(options: Options): { properties: MessageProperties; mandatory: boolean } {
  if (isEmpty(options)) return PLAIN_PUBLISH;
  const o = options!;
  const headers = flatten(o.headers);
  const cc = convertCC(o.CC);
  const bcc = convertCC(o.BCC);
  if (cc !== undefined) headers.CC = cc;
  if (bcc !== undefined) headers.BCC = bcc;
  let deliveryMode: number | undefined;
  if (o.persistent !== undefined) deliveryMode = o.persistent ? 2 : 1;
  else if (typeof o.deliveryMode === 'number') deliveryMode = o.deliveryMode;
  else if (o.deliveryMode) deliveryMode = 2;
  const properties: MessageProperties = { headers: toFieldTable(headers) };
  const set = <K extends keyof MessageProperties>(key: K, value: unknown, convert: (v: unknown) => MessageProperties[K]) => {
    if (value !== undefined && value !== null) properties[key] = convert(value);
  };
  set('contentType', o.contentType, String);
  set('contentEncoding', o.contentEncoding, String);
  set('deliveryMode', deliveryMode, Number);
  set('priority', o.priority, Number);
  set('correlationId', o.correlationId, String);
  set('replyTo', o.replyTo, String);
  set('expiration', o.expiration, String);
  set('messageId', o.messageId, String);
  set('timestamp', o.timestamp, Number);
  set('type', o.type, String);
  set('userId', o.userId, String);
  set('appId', o.appId, String);
  checkOctet('priority', properties.priority);
  checkOctet('deliveryMode', properties.deliveryMode);
  return { properties, mandatory: !!o.mandatory };
}

/** Properties as amqplib decodes them: every name present, unset ones undefined. */
export function amqplibProperties(p: MessageProperties): Record<string, unknown> {
  return {
    contentType: p.contentType,
    contentEncoding: p.contentEncoding,
    headers: p.headers ? fromFieldTable(p.headers) : undefined,
    deliveryMode: p.deliveryMode,
    priority: p.priority,
    correlationId: p.correlationId,
    replyTo: p.replyTo,
    expiration: p.expiration,
    messageId: p.messageId,
    timestamp: p.timestamp,
    type: p.type,
    userId: p.userId,
    appId: p.appId,
    clusterId: p.clusterId,
  };
}

export interface AmqplibMessage {
  content: Uint8Array;
  fields: Record<string, unknown>;
  properties: Record<string, unknown>;
}

function messageOf(message: Message, fields: Record<string, unknown>): AmqplibMessage {
  return { content: toContent(message.content), fields, properties: amqplibProperties(message.properties) };
}

export function deliveryMessage(d: Delivery): AmqplibMessage {
  return messageOf(d.message, {
    consumerTag: d.consumerTag,
    deliveryTag: d.deliveryTag,
    redelivered: d.redelivered,
    exchange: d.message.exchange,
    routingKey: d.message.routingKey,
  });
}

export function getMessage(d: Delivery): AmqplibMessage {
  return messageOf(d.message, {
    deliveryTag: d.deliveryTag,
    redelivered: d.redelivered,
    exchange: d.message.exchange,
    routingKey: d.message.routingKey,
    messageCount: d.messageCount,
  });
}

export function returnedMessage(r: ReturnedMessage): AmqplibMessage {
  return messageOf(r.message, {
    replyCode: r.replyCode,
    replyText: r.replyText,
    exchange: r.message.exchange,
    routingKey: r.message.routingKey,
  });
}
