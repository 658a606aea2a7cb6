import { describe, expect, it } from 'vitest';
import type { Diagram } from '../../src/document/types';
import {
  bindChoices,
  ccText,
  entryText,
  exchangeName,
  headerRows,
  headerText,
  headerType,
  headerValue,
  isPlainTable,
  outgoingBindings,
  parseCc,
  parseNumber,
  parseOptionalNumber,
  publishChoices,
  queueChoices,
  typedRows,
  withEntry,
} from '../../src/ui/panels/fields';

describe('inspector fields: form text as document values', () => {
  it('reads optional and required numbers', () => {
    expect(parseOptionalNumber('  ')).toEqual({ ok: true, value: undefined });
    expect(parseOptionalNumber('5', { integer: true, min: 0 })).toEqual({ ok: true, value: 5 });
    expect(parseOptionalNumber('1.5', { integer: true })).toEqual({ ok: false, reason: "'1.5' is not a whole number" });
    expect(parseOptionalNumber('-1', { min: 0 })).toEqual({ ok: false, reason: 'at least 0' });
    expect(parseOptionalNumber('many').ok).toBe(false);
    expect(parseNumber('').ok).toBe(false);
  });

  it('sets and clears arguments without touching the original', () => {
    const args = { 'x-max-length': 5 };
    expect(withEntry(args, 'x-max-length', undefined)).toEqual({});
    expect(withEntry(args, 'x-dead-letter-exchange', '')).toEqual(args);
    expect(withEntry(args, 'x-overflow', 'reject-publish')).toEqual({ 'x-max-length': 5, 'x-overflow': 'reject-publish' });
    expect(args).toEqual({ 'x-max-length': 5 });
    expect(entryText({ a: { $long: 7 } }, 'a')).toBe('7');
    expect(entryText({}, 'a')).toBe('');
  });

  it('reads CC lists and header rows', () => {
    expect(parseCc(' a, ,b ')).toEqual(['a', 'b']);
    expect(parseCc('')).toBeUndefined();
    expect(ccText(['a', 'b'])).toBe('a, b');
    expect(headerRows({ 'x-match': 'any', format: 'pdf', n: 2 })).toEqual([
      { key: 'format', value: 'pdf' },
      { key: 'n', value: '2' },
    ]);
    expect([headerValue('2'), headerValue('true'), headerValue('pdf'), headerValue('1e3')]).toEqual([2, true, 'pdf', '1e3']);
  });
});

describe('inspector fields: typed header rows and link choices', () => {
  it('reads typed values and writes them back as the same text', () => {
    expect([headerValue('"2"'), headerValue('"true"'), headerValue('"a'), headerValue(' 7 ')]).toEqual(['2', 'true', '"a', 7]);
    for (const value of ['2', 'true', 'pdf', 2, false, 1.5, '"quoted"', '']) expect(headerValue(headerText(value))).toEqual(value);
    expect(headerText('2')).toBe('"2"');
    expect(headerText({ $long: 7 })).toBe('7');
    expect(typedRows({ 'x-match': 'all', n: 2, s: '2', b: true }, ['x-match'])).toEqual([
      { key: 'n', value: '2', type: 'number' },
      { key: 's', value: '"2"', type: 'string' },
      { key: 'b', value: 'true', type: 'boolean' },
    ]);
    expect(headerType({ $long: 1 })).toBe('number');
    expect(headerType([1])).toBe('other');
    expect(isPlainTable({})).toBe(true);
    expect(isPlainTable([])).toBe(false);
  });

  const diagram: Diagram = {
    version: 1,
    nodes: [
      { id: 'x0', kind: 'exchange', name: '', type: 'direct', durable: true, autoDelete: false, internal: false, arguments: {}, position: { x: 0, y: 0 } },
      { id: 'x1', kind: 'exchange', name: 'logs', type: 'topic', durable: true, autoDelete: false, internal: false, arguments: {}, position: { x: 0, y: 0 } },
      { id: 'q1', kind: 'queue', name: 'orders', durable: true, exclusive: false, autoDelete: false, arguments: {}, position: { x: 0, y: 0 } },
    ],
    bindings: [{ id: 'b1', source: 'x1', destination: { kind: 'queue', id: 'q1' }, routingKey: 'a.*', arguments: {} }],
  };

  it('lists where a producer publishes, what a consumer reads, and what an exchange binds', () => {
    expect(publishChoices(diagram)).toEqual({
      exchanges: [
        { value: 'x0', label: '(default)' },
        { value: 'x1', label: 'logs' },
      ],
      queues: [{ value: 'q1', label: 'queue: orders' }],
    });
    expect(queueChoices(diagram)).toEqual([{ value: 'q1', label: 'orders' }]);
    expect(bindChoices(diagram, 'x1')).toEqual({ queues: [{ value: 'q1', label: 'orders' }], exchanges: [{ value: 'x0', label: '(default)' }] });
    expect(outgoingBindings(diagram, 'x1')).toEqual([{ id: 'b1', kind: 'queue', destination: 'orders', key: 'a.*' }]);
    expect(outgoingBindings(diagram, 'x0')).toEqual([]);
    expect(exchangeName('')).toBe('(default)');
  });
});
