/**
 * The diagram's JSON form of arguments and headers, turned into amqplib values, must give the
 * broker exactly the field table the JSON form describes (types included).
 */

import { describe, expect, it } from 'vitest';
import { fieldTableFromJSON, fieldTableToJSON, toFieldTable } from '../../src/broker/index';
import { amqplibTable, publishOptions } from '../../src/worker/amqp-values';

const tables: Record<string, unknown>[] = [
  { 'x-max-length': 10, 'x-overflow': 'reject-publish', 'x-dead-letter-exchange': 'dlx' },
  { 'x-match': 'all', format: 'pdf', pages: { $long: 2 } },
  { a: { $double: 1 }, b: { $float: 1.5 }, c: { $timestamp: 1700000000 }, d: { $bytes: 'AAEC' } },
  { e: { $decimal: { places: 2, digits: 12345 } }, f: [1, 'two', true, null], g: { nested: { $short: 3 } } },
  { big: { $long: '9007199254740993' }, neg: { $double: '-0' }, t: { $table: { $odd: 1 } } },
];

describe('amqp values', () => {
  it.each(tables.map((t) => [JSON.stringify(t), t]))('%s reaches the broker as its JSON form says', (_name, json) => {
    const viaAmqplib = toFieldTable(amqplibTable(json));
    expect(viaAmqplib).toEqual(fieldTableFromJSON(json));
    expect(fieldTableToJSON(viaAmqplib)).toEqual(json);
  });

  it('turns a template into publish options, headers converted, the rest as amqplib takes it', () => {
    const options = publishOptions({
      routingKey: 'k',
      body: '',
      properties: { persistent: true, expiration: '5000', CC: ['a'], headers: { n: { $long: 1 } } },
    });
    expect(options).toEqual({ persistent: true, expiration: '5000', CC: ['a'], headers: { n: { '!': 'long', value: 1 } } });
  });
});
