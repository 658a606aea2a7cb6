/**
 * Sizes on the AMQP 0-9-1 wire, for a quorum queue's x-max-length-bytes, which counts each
 * message's body plus its content-header property list as the client encoded it (2 flag bytes and
 * each property set; amqplib always sends a headers table). Classic queues count bodies only.
 */

import type { FieldTable, FieldValue } from './field-table';
import type { MessageProperties } from './message';

const utf8 = new TextEncoder();
const shortstr = (s: string) => 1 + utf8.encode(s).length;

function valueSize(v: FieldValue): number {
  switch (v.type) {
    case 'longstr':
      return 4 + utf8.encode(v.value).length;
    case 'bytes':
      return 4 + v.value.length;
    case 'bool':
    case 'byte':
    case 'unsignedbyte':
      return 1;
    case 'short':
    case 'unsignedshort':
      return 2;
    case 'int':
    case 'unsignedint':
    case 'float':
      return 4;
    case 'long':
    case 'unsignedlong':
    case 'double':
    case 'timestamp':
      return 8;
    case 'decimal':
      return 5;
    case 'void':
      return 0;
    case 'array':
      return 4 + v.value.reduce((n, item) => n + 1 + valueSize(item), 0);
    case 'table':
      return tableSize(v.value);
  }
}

export function tableSize(table: FieldTable): number {
  let n = 4;
  for (const key of Object.keys(table)) n += shortstr(key) + 1 + valueSize(table[key]!);
  return n;
}

/** The encoded basic properties: 2 flag bytes plus every property that is set. */
export function propertiesSize(p: MessageProperties): number {
  let n = 2;
  for (const s of [p.contentType, p.contentEncoding, p.correlationId, p.replyTo, p.expiration, p.messageId, p.type, p.userId, p.appId, p.clusterId]) {
    if (s !== undefined) n += shortstr(s);
  }
  if (p.headers) n += tableSize(p.headers);
  if (p.deliveryMode !== undefined) n += 1;
  if (p.priority !== undefined) n += 1;
  if (p.timestamp !== undefined) n += 8;
  return n;
}
