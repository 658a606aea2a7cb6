import { describe, expect, it } from 'vitest';
import { exchangeFeatures, exchangeLabel, exchangesOf, typeTone } from '../../src/ui/exchanges';
import type { ExchangeInfo } from '../../src/worker/protocol';

const exchange = (name: string, more: Partial<ExchangeInfo> = {}): ExchangeInfo => ({
  vhost: '/',
  name,
  type: 'direct',
  durable: true,
  auto_delete: false,
  internal: false,
  arguments: {},
  ...more,
});

describe('exchanges panel', () => {
  it('names the default exchange as the management UI does', () => {
    expect(exchangeLabel('')).toBe('(AMQP default)');
    expect(exchangeLabel('amq.topic')).toBe('amq.topic');
  });

  it("lists one vhost's exchanges by name, the default first", () => {
    const all = [exchange('amq.topic'), exchange('other', { vhost: 'v2' }), exchange(''), exchange('amq.direct')];
    expect(exchangesOf(all, '/').map((x) => x.name)).toEqual(['', 'amq.direct', 'amq.topic']);
    expect(all.map((x) => x.name)).toEqual(['amq.topic', 'other', '', 'amq.direct']); // not mutated
  });

  it('shows the D, AD and I features in that order', () => {
    expect(exchangeFeatures(exchange('x', { durable: true, auto_delete: true, internal: true })).map((f) => f.abbr)).toEqual([
      'D',
      'AD',
      'I',
    ]);
    expect(exchangeFeatures(exchange('x', { durable: false }))).toEqual([]);
  });

  it('styles the four built-in types and a neutral tone for any other', () => {
    expect(['direct', 'fanout', 'topic', 'headers', 'x-consistent-hash'].map(typeTone)).toEqual([
      'direct',
      'fanout',
      'topic',
      'headers',
      'other',
    ]);
  });
});
