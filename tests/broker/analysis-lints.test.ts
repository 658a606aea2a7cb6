/**
 * Binding analysis over whole topologies (analyzeTopology): one worked case per finding code,
 * each example key checked with the core's matchers, the order and ids of findings, the limits,
 * the dead-letter loop rule replayed on the broker itself, and seeded property tests that no
 * claim is ever contradicted by a random key or random headers.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeTopology, type Finding, type TopologyBinding, type TopologyInput } from '../../src/broker/analysis/index';
import { toFieldTable, type FieldTable } from '../../src/broker/field-table';
import { matchHeaders } from '../../src/broker/headers';
import { createBroker, type BrokerEvent } from '../../src/broker/index';
import { matchTopic } from '../../src/broker/topic';

const SEED = 42;

const args = (values: Record<string, unknown> = {}): FieldTable => toFieldTable(values);

let nextBinding = 0;
/** A binding with a fresh id (b1, b2, ...) unless one is given. */
function bind(source: string, destination: string, routingKey = '', extra: Partial<TopologyBinding> = {}): TopologyBinding {
  return { id: `b${++nextBinding}`, source, destinationKind: 'queue', destination, routingKey, arguments: args(), ...extra };
}

/** A topology from short lists: exchanges as [name, type, arguments?], queues as [name, arguments?]. */
function topology(parts: {
  exchanges?: [string, string, FieldTable?][];
  queues?: (string | [string, FieldTable])[];
  bindings?: TopologyBinding[];
  publishers?: [string, string][];
  consumers?: string[];
}): TopologyInput {
  return {
    exchanges: (parts.exchanges ?? []).map(([name, type, a]) => ({ name, type, arguments: a ?? args() })),
    queues: (parts.queues ?? []).map((queue) => (typeof queue === 'string' ? { name: queue, arguments: args() } : { name: queue[0], arguments: queue[1] })),
    bindings: parts.bindings ?? [],
    publishers: (parts.publishers ?? []).map(([exchange, routingKey], i) => ({ id: `p${i + 1}`, exchange, routingKey })),
    consumers: (parts.consumers ?? []).map((queue, i) => ({ id: `c${i + 1}`, queue })),
  };
}

const withCode = (findings: Finding[], code: string): Finding[] => findings.filter((f) => f.code === code);

function only(findings: Finding[], code: string): Finding {
  const found = withCode(findings, code);
  expect(found, `${code} in ${findings.map((f) => f.id).join(', ')}`).toHaveLength(1);
  return found[0]!;
}

/** Checks a topic finding's example against matchTopic for every binding it names. */
function expectTopicExample(f: Finding, bindings: readonly TopologyBinding[]): void {
  expect(f.example).toBeDefined();
  const byId = new Map(bindings.map((b) => [b.id, b]));
  for (const id of f.example!.matches) expect(matchTopic(byId.get(id)!.routingKey, f.example!.routingKey), `${id} matches`).toBe(true);
  for (const id of f.example!.misses) expect(matchTopic(byId.get(id)!.routingKey, f.example!.routingKey), `${id} misses`).toBe(false);
}

/** A consumed, published topology around `bindings`, so that only the lints under test fire. */
function quiet(exchanges: [string, string, FieldTable?][], bindings: TopologyBinding[], queues: string[]): TopologyInput {
  return topology({
    exchanges,
    queues,
    bindings,
    publishers: exchanges.map(([name]) => [name, 'k'] as [string, string]),
    consumers: queues,
  });
}

// ---------------------------------------------------------------------------------------------
// duplicate
// ---------------------------------------------------------------------------------------------

describe('duplicate-binding', () => {
  it('reports the same source, destination, key and arguments, whatever the argument order', () => {
    const a = bind('h', 'q', '', { arguments: args({ 'x-match': 'any', a: 1 }) });
    const b = bind('h', 'q', '', { arguments: args({ a: 1, 'x-match': 'any' }) });
    const other = bind('h', 'q', '', { arguments: args({ 'x-match': 'any', a: 2 }) });
    const f = only(analyzeTopology(quiet([['h', 'headers']], [a, b, other], ['q'])), 'duplicate-binding');
    expect(f).toMatchObject({ family: 'duplicate', severity: 'warning', bindings: [a.id, b.id], exchanges: ['h'], queues: ['q'] });
    expect(f.id).toBe(`duplicate-binding:${a.id}:${b.id}`);
    expect(f.message).toContain('Exchange "h" binds queue "q" twice with key "" and equal arguments');
  });

  it('does not count a long 1 and a byte 1 as equal arguments (RabbitMQ keeps the type)', () => {
    const a = bind('d', 'q', 'k', { arguments: args({ n: { '!': 'long', value: 1 } }) });
    const b = bind('d', 'q', 'k', { arguments: args({ n: { '!': 'byte', value: 1 } }) });
    expect(withCode(analyzeTopology(quiet([['d', 'direct']], [a, b], ['q'])), 'duplicate-binding')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// covers / overlap
// ---------------------------------------------------------------------------------------------

describe('topic-overlap and topic-covers', () => {
  it('reports the tutorial overlap between different queues, with a key both match', () => {
    const b1 = bind('t', 'q1', '*.orange.*');
    const b2 = bind('t', 'q2', '*.*.rabbit');
    const b3 = bind('t', 'q2', 'lazy.#');
    const findings = analyzeTopology(quiet([['t', 'topic']], [b1, b2, b3], ['q1', 'q2']));
    const overlaps = withCode(findings, 'topic-overlap');
    // b2 and b3 overlap too ("lazy.x.rabbit") but lead to the same queue, which gets a message once.
    expect(overlaps.map((f) => f.bindings)).toEqual([
      [b1.id, b2.id],
      [b1.id, b3.id],
    ]);
    expect(overlaps[1]!.message).toBe(
      'On exchange "t", routing key "lazy.orange.x" matches both "*.orange.*" (to queue "q1") and "lazy.#" (to queue "q2"), so such messages go to both.',
    );
    for (const f of overlaps) expectTopicExample(f, [b1, b2, b3]);
    expect(overlaps[0]).toMatchObject({ family: 'overlap', severity: 'info', queues: ['q1', 'q2'] });
  });

  it('calls a narrower binding to the same queue redundant (warning), and says it is strict', () => {
    const broad = bind('t', 'q', 'lazy.#');
    const narrow = bind('t', 'q', 'lazy.*');
    const findings = analyzeTopology(quiet([['t', 'topic']], [broad, narrow], ['q']));
    const f = only(findings, 'topic-covers');
    expect(f).toMatchObject({ family: 'covers', severity: 'warning', id: `topic-covers:${narrow.id}:${broad.id}` });
    expect(f.message).toBe(
      'On exchange "t", the binding "lazy.*" to queue "q" is redundant: every routing key it matches also matches "lazy.#", which binds the same queue (not the other way: "lazy" matches only "lazy.#").',
    );
    expectTopicExample(f, [broad, narrow]);
    expect(withCode(findings, 'topic-overlap')).toEqual([]);
  });

  it('is info between different destinations, and never also an overlap', () => {
    const narrow = bind('t', 'q1', 'a.b');
    const broad = bind('t', 'q2', 'a.*');
    const findings = analyzeTopology(quiet([['t', 'topic']], [narrow, broad], ['q1', 'q2']));
    const f = only(findings, 'topic-covers');
    expect(f.severity).toBe('info');
    expect(f.message).toContain('every routing key that matches "a.b" (to queue "q1") also matches "a.*" (to queue "q2")');
    expect(withCode(findings, 'topic-overlap')).toEqual([]);
  });

  it('says when two keys match exactly the same routing keys', () => {
    const a = bind('t', 'q', 'a.#.#');
    const b = bind('t', 'q', 'a.#');
    // To one destination, that is a duplicate in effect.
    const f = only(analyzeTopology(quiet([['t', 'topic']], [a, b], ['q'])), 'equivalent-bindings');
    expect(f.message).toBe('On exchange "t", keys "a.#.#" and "a.#" (both to queue "q") match exactly the same routing keys: one of the two bindings is redundant.');
    expect([f.family, f.severity]).toEqual(['duplicate', 'warning']);
    const sameKey = [bind('t', 'q', 'a.*', { arguments: args({ x: 1 }) }), bind('t', 'q', 'a.*')];
    const g = only(analyzeTopology(quiet([['t', 'topic']], sameKey, ['q'])), 'equivalent-bindings');
    expect(g.message).toBe('On exchange "t", two bindings to queue "q" both use key "a.*" and differ only in their arguments, which a topic exchange ignores: one of them is redundant.');
    const fanOut = [bind('t', 'q1', 'a.*'), bind('t', 'q2', 'a.*')];
    expect(analyzeTopology(quiet([['t', 'topic']], fanOut, ['q1', 'q2'])).filter((x) => x.family === 'covers' || x.family === 'overlap')).toEqual([]);
    const h = only(analyzeTopology(quiet([['t', 'topic']], [bind('t', 'q1', '#'), bind('t', 'q2', '#.#')], ['q1', 'q2'])), 'topic-covers');
    expect(h.severity).toBe('info');
    expect(h.message).toContain('so both get the same messages through them');
  });

  it('finds bindings that differ only in what the exchange type ignores', () => {
    const fanout = only(analyzeTopology(quiet([['f', 'fanout']], [bind('f', 'q', 'a'), bind('f', 'q', 'b')], ['q'])), 'equivalent-bindings');
    expect(fanout.message).toBe(
      'Fanout exchange "f" binds queue "q" twice (key "a"; key "b"), and a fanout exchange ignores binding keys and arguments: these bindings route exactly the same messages, so all but one add nothing.',
    );
    const direct = [bind('d', 'q', 'k', { arguments: args({ x: 1 }) }), bind('d', 'q', 'k'), bind('d', 'q', 'other')];
    expect(only(analyzeTopology(quiet([['d', 'direct']], direct, ['q'])), 'equivalent-bindings').bindings).toEqual([direct[0]!.id, direct[1]!.id]);
    // x-match all is the default; the key and the x- keys (not compared under all) change nothing.
    const headers = [
      bind('h', 'q', '', { arguments: args({ region: 'eu' }) }),
      bind('h', 'q', 'ignored', { arguments: args({ 'x-match': 'all', region: 'eu', 'x-note': 'a' }) }),
      bind('h', 'q', '', { arguments: args({ 'x-match': 'any', region: 'eu' }) }),
    ];
    const found = only(analyzeTopology(quiet([['h', 'headers']], headers, ['q'])), 'equivalent-bindings');
    expect(found.bindings).toEqual([headers[0]!.id, headers[1]!.id]);
    expect(found.family).toBe('duplicate');
  });

  it('leaves exact duplicates to duplicate-binding, and keys that share nothing alone', () => {
    const a = bind('t', 'q', 'a.*');
    const b = bind('t', 'q', 'a.*');
    const c = bind('t', 'q2', 'b.*');
    const findings = analyzeTopology(quiet([['t', 'topic']], [a, b, c], ['q', 'q2']));
    expect(findings.filter((f) => f.family === 'covers' || f.family === 'overlap')).toEqual([]);
    expect(withCode(findings, 'duplicate-binding')).toHaveLength(1);
  });

  it('pairs only the first maxPairBindings bindings of an exchange', () => {
    const list = [bind('t', 'q1', 'a.*'), bind('t', 'q2', '*.b'), bind('t', 'q3', 'a.b')];
    const input = quiet([['t', 'topic']], list, ['q1', 'q2', 'q3']);
    expect(analyzeTopology(input).filter((f) => f.family === 'covers' || f.family === 'overlap')).toHaveLength(3);
    expect(analyzeTopology(input, { maxPairBindings: 2 }).filter((f) => f.family === 'covers' || f.family === 'overlap')).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------
// pattern
// ---------------------------------------------------------------------------------------------

describe('pattern lints', () => {
  it('hash-hash: "#.#" is one "#", proven', () => {
    const b = bind('t', 'q', 'a.#.#');
    const f = only(analyzeTopology(quiet([['t', 'topic']], [b], ['q'])), 'hash-hash');
    expect(f).toMatchObject({ family: 'pattern', severity: 'warning', bindings: [b.id] });
    expect(f.message).toContain('so it matches exactly what "a.#" matches');
  });

  it('empty-word: shows the key that was probably meant, which does not match', () => {
    const b = bind('t', 'q', 'orders..eu');
    const f = only(analyzeTopology(quiet([['t', 'topic']], [b], ['q'])), 'empty-word');
    expect(f.message).toBe(
      'Binding key "orders..eu" (exchange "t" to queue "q") has an empty word, which matches only an empty word in the routing key: "orders.eu" does not match it, while "orders..eu" does. Empty words are allowed, but usually a stray ".".',
    );
    expect(f.example).toEqual({ routingKey: 'orders.eu', matches: [], misses: [b.id] });
    expectTopicExample(f, [b]);
    const trailing = bind('t', 'q', 'a.');
    const g = only(analyzeTopology(quiet([['t', 'topic']], [trailing], ['q'])), 'empty-word');
    expect(g.message).toContain('"a" does not match it, while "a." does');
    expectTopicExample(g, [trailing]);
    // "." is two empty words: the key meant is the empty one.
    expect(only(analyzeTopology(quiet([['t', 'topic']], [bind('t', 'q', '.')], ['q'])), 'empty-word').message).toContain('the empty key "" does not match it, while "." does');
  });

  it('many-hashes: the key RabbitMQ 4.3.6 refuses, as an error, and left out of pairs', () => {
    const b = bind('t', 'q', '#.a.#.#');
    const other = bind('t', 'q2', 'a');
    const findings = analyzeTopology(quiet([['t', 'topic']], [b, other], ['q', 'q2']));
    const f = only(findings, 'many-hashes');
    expect(f.severity).toBe('error');
    expect(f.message).toBe(
      'RabbitMQ 4.3.6 refuses this binding of exchange "t" to queue "q". Topic binding key \'#.a.#.#\' uses 3 \'#\' wildcards, at most 2 are allowed.',
    );
    expect(findings[0]).toBe(f); // errors first
    expect(withCode(findings, 'topic-covers')).toEqual([]);
  });

  it('match-everything: a lone "#" (info), and that the alternate exchange is then never used', () => {
    const b = bind('t', 'q', '#');
    const findings = analyzeTopology(
      topology({ exchanges: [['t', 'topic', args({ 'alternate-exchange': 'ae' })], ['ae', 'fanout']], queues: ['q'], bindings: [b], publishers: [['t', 'k']], consumers: ['q'] }),
    );
    const f = only(findings, 'match-everything');
    expect(f.severity).toBe('info');
    expect(f.message).toBe(
      'Binding key "#" (exchange "t" to queue "q") matches every routing key, the empty one too, so queue "q" gets every message that reaches "t" (and its alternate exchange "ae" is never used).',
    );
    expect(withCode(analyzeTopology(quiet([['t', 'topic']], [bind('t', 'q', '#.a')], ['q'])), 'match-everything')).toEqual([]);
  });

  it('direct-wildcard: "*" is a literal character on a direct exchange', () => {
    const b = bind('d', 'q', 'orders.*');
    const f = only(analyzeTopology(quiet([['d', 'direct']], [b], ['q'])), 'direct-wildcard');
    expect(f.message).toBe(
      'Direct exchange "d" compares binding key "orders.*" (to queue "q") literally: "orders.x" does not match it, only the routing key "orders.*" does. "*" and "#" are wildcards on topic exchanges only.',
    );
    expect(f.example).toEqual({ routingKey: 'orders.x', matches: [], misses: [b.id] });
    // The example is a key the same binding would take on a topic exchange.
    expect(matchTopic(b.routingKey, f.example!.routingKey)).toBe(true);
    const hash = only(analyzeTopology(quiet([['d', 'direct']], [bind('d', 'q', '#')], ['q'])), 'direct-wildcard');
    expect(hash.example!.routingKey).toBe('x');
    expect(withCode(analyzeTopology(quiet([['d', 'direct']], [bind('d', 'q', 'a*b')], ['q'])), 'direct-wildcard')).toEqual([]);
  });

  it('fanout-key-ignored: a key on a fanout binding', () => {
    const b = bind('f', 'q', 'important');
    const f = only(analyzeTopology(quiet([['f', 'fanout']], [b], ['q'])), 'fanout-key-ignored');
    expect(f).toMatchObject({ severity: 'info', bindings: [b.id] });
    expect(f.message).toBe('Fanout exchange "f" ignores binding keys: its binding to queue "q" with key "important" gets every message, whatever its routing key.');
    expect(withCode(analyzeTopology(quiet([['f', 'fanout']], [bind('f', 'q')], ['q'])), 'fanout-key-ignored')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// headers
// ---------------------------------------------------------------------------------------------

describe('headers lints', () => {
  it('headers-only-x under all: matches every message', () => {
    const b = bind('h', 'q', '', { arguments: args({ 'x-type': 'invoice' }) });
    const f = only(analyzeTopology(quiet([['h', 'headers']], [b], ['q'])), 'headers-only-x');
    expect(f.message).toBe(
      'Every key of the binding of headers exchange "h" to queue "q" starts with "x-" ("x-type"), and RabbitMQ compares such keys only under x-match all-with-x or any-with-x: under x-match all it matches every message, even one without these headers.',
    );
    expect(matchHeaders(b.arguments, undefined)).toBe(true);
  });

  it('headers-only-x under any: matches no message, not even the lookalike', () => {
    const b = bind('h', 'q', '', { arguments: args({ 'x-match': 'any', 'x-type': 'invoice', 'x-region': 'eu' }) });
    const f = only(analyzeTopology(quiet([['h', 'headers']], [b], ['q'])), 'headers-only-x');
    expect(f.message).toContain('("x-type" and "x-region")');
    expect(f.message).toContain('under x-match any it matches no message, not even one carrying exactly these headers');
    expect(matchHeaders(b.arguments, args({ 'x-type': 'invoice', 'x-region': 'eu' }))).toBe(false);
  });

  it('is silent when x- keys count (-with-x) or ordinary keys are there', () => {
    const withX = bind('h', 'q', '', { arguments: args({ 'x-match': 'all-with-x', 'x-type': 'invoice' }) });
    const mixed = bind('h', 'q', '', { arguments: args({ 'x-type': 'invoice', format: 'pdf' }) });
    expect(analyzeTopology(quiet([['h', 'headers']], [withX, mixed], ['q'])).filter((f) => f.family === 'headers')).toEqual([]);
  });

  it('headers-no-keys: all matches every message, any none', () => {
    const all = bind('h', 'q', '');
    const any = bind('h', 'q2', '', { arguments: args({ 'x-match': 'any' }) });
    const findings = withCode(analyzeTopology(quiet([['h', 'headers']], [all, any], ['q', 'q2'])), 'headers-no-keys');
    expect(findings.map((f) => f.message)).toEqual([
      'The binding of headers exchange "h" to queue "q" has no header keys to compare, so under x-match all it matches every message, even one without headers.',
      'The binding of headers exchange "h" to queue "q2" has no header keys to compare, so under x-match any it matches no message.',
    ]);
  });

  it('headers-invalid-x-match: the 406 RabbitMQ gives, as an error', () => {
    const b = bind('h', 'q', '', { arguments: args({ 'x-match': 'ALL', a: 1 }) });
    const f = only(analyzeTopology(quiet([['h', 'headers']], [b], ['q'])), 'headers-invalid-x-match');
    expect(f.severity).toBe('error');
    expect(f.message).toBe(
      'RabbitMQ refuses the binding of headers exchange "h" to queue "q": Invalid x-match field value <<"ALL">>; expected all, any, all-with-x, or any-with-x.',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// topology
// ---------------------------------------------------------------------------------------------

describe('topology lints', () => {
  it('queue-unbound and queue-unconsumed', () => {
    const findings = analyzeTopology(topology({ queues: ['lonely'] }));
    expect(only(findings, 'queue-unbound').message).toBe(
      'Queue "lonely" has no bindings, and no publisher or dead-letter routing key sends to it through the default exchange, so nothing here routes messages to it.',
    );
    expect(only(findings, 'queue-unconsumed')).toMatchObject({ severity: 'info', queues: ['lonely'], message: 'No consumer reads from queue "lonely", so the messages that reach it wait there.' });
    expect(findings.map((f) => f.code)).toEqual(['queue-unbound', 'queue-unconsumed']); // warning before info
  });

  it('a queue reached through the default exchange is not unbound', () => {
    const published = topology({ queues: ['q'], publishers: [['', 'q']], consumers: ['q'] });
    expect(analyzeTopology(published)).toEqual([]);
    const parked = topology({
      queues: [['work', args({ 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'parked' })], 'parked'],
      publishers: [['', 'work']],
      consumers: ['work', 'parked'],
    });
    expect(withCode(analyzeTopology(parked), 'queue-unbound')).toEqual([]);
  });

  it('exchange-unused, but not for built-ins or exchanges used as alternate or dead-letter exchange', () => {
    const findings = analyzeTopology(
      topology({
        exchanges: [['idle', 'topic'], ['amq.topic', 'topic'], ['', 'direct'], ['ae', 'fanout'], ['dlx', 'fanout'], ['main', 'direct', args({ 'alternate-exchange': 'ae' })]],
        queues: [['q', args({ 'x-dead-letter-exchange': 'dlx' })]],
        bindings: [bind('main', 'q', 'k'), bind('idle', 'q', 'k')],
        publishers: [['main', 'k']],
        consumers: ['q'],
      }),
    );
    const f = only(findings, 'exchange-unused');
    expect(f).toMatchObject({ severity: 'info', exchanges: ['idle'], id: 'exchange-unused:idle' });
    expect(f.message).toBe(
      'Nothing sends messages to exchange "idle": no publisher publishes to it, no exchange is bound to it, and it is no exchange\'s alternate exchange and no queue\'s dead-letter exchange.',
    );
  });

  it('alternate-missing and dead-letter-missing; built-ins always exist', () => {
    const findings = analyzeTopology(
      topology({
        exchanges: [['x', 'direct', args({ 'alternate-exchange': 'gone' })], ['y', 'direct', args({ 'alternate-exchange': 'amq.fanout' })]],
        queues: [['q', args({ 'x-dead-letter-exchange': 'nowhere' })], ['r', args({ 'x-dead-letter-exchange': 'amq.direct' })]],
        bindings: [bind('x', 'q', 'k'), bind('y', 'r', 'k')],
        publishers: [['x', 'k'], ['y', 'k']],
        consumers: ['q', 'r'],
      }),
    );
    expect(only(findings, 'alternate-missing')).toMatchObject({
      exchanges: ['x', 'gone'],
      message:
        'Exchange "x" has alternate exchange "gone", which does not exist: a message that matches none of its bindings is unroutable (dropped, or returned to a mandatory publisher).',
    });
    expect(only(findings, 'dead-letter-missing')).toMatchObject({
      queues: ['q'],
      message: 'Queue "q" has dead-letter exchange "nowhere", which does not exist: messages that die in it (rejected, expired or over a limit) are dropped.',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// loop
// ---------------------------------------------------------------------------------------------

describe('loop lints', () => {
  it('alternate-loop: a chain of alternate exchanges back to the start, reported once', () => {
    const findings = analyzeTopology(
      topology({
        exchanges: [['a', 'direct', args({ 'alternate-exchange': 'b' })], ['b', 'fanout', args({ 'alternate-exchange': 'a' })], ['c', 'direct', args({ 'alternate-exchange': 'c' })]],
        publishers: [['a', 'k'], ['c', 'k']],
      }),
    );
    const loops = withCode(findings, 'alternate-loop');
    expect(loops.map((f) => [f.id, f.exchanges])).toEqual([
      ['alternate-loop:a:b', ['a', 'b']],
      ['alternate-loop:c', ['c']],
    ]);
    expect(loops[0]!.message).toBe(
      'Alternate exchanges form a loop: "a" → "b" → "a". RabbitMQ visits each exchange once per message, so the loop ends: a message that matches no binding along it is unroutable (dropped, or returned to a mandatory publisher).',
    );
  });

  it('exchange-binding-cycle: info, harmless', () => {
    const e1 = bind('e1', 'e2', '', { destinationKind: 'exchange' });
    const e2 = bind('e2', 'e3', '', { destinationKind: 'exchange' });
    const e3 = bind('e3', 'e1', '', { destinationKind: 'exchange' });
    const self = bind('s', 's', '', { destinationKind: 'exchange' });
    const findings = analyzeTopology(topology({ exchanges: [['e1', 'fanout'], ['e2', 'fanout'], ['e3', 'fanout'], ['s', 'fanout']], bindings: [e1, e2, e3, self], publishers: [['e1', ''], ['s', '']] }));
    const cycles = withCode(findings, 'exchange-binding-cycle');
    expect(cycles.map((f) => [f.id, f.severity, f.bindings])).toEqual([
      ['exchange-binding-cycle:e1:e2:e3', 'info', [e1.id, e2.id, e3.id]],
      ['exchange-binding-cycle:s', 'info', [self.id]],
    ]);
    expect(cycles[0]!.message).toBe(
      'Exchange-to-exchange bindings form a cycle: "e1" → "e2" → "e3" → "e1". It is harmless for routing: RabbitMQ visits each exchange at most once per message, so nothing goes round and each queue still gets one copy.',
    );
  });

  it('dead-letter-loop: a queue whose dead letters keep their key and come straight back', () => {
    const b = bind('dlx', 'work', 'job');
    const findings = analyzeTopology(
      topology({ exchanges: [['dlx', 'direct']], queues: [['work', args({ 'x-dead-letter-exchange': 'dlx', 'x-message-ttl': 1000 })]], bindings: [b], publishers: [['dlx', 'job']], consumers: ['work'] }),
    );
    const f = only(findings, 'dead-letter-loop');
    expect(f).toMatchObject({ family: 'loop', severity: 'warning', queues: ['work'], exchanges: ['dlx'], bindings: [b.id], example: { routingKey: 'job', matches: [b.id], misses: [] } });
    expect(f.message).toBe(
      'Dead letters can come back to queue "work": from "work" keeping its routing key "job" through dead-letter exchange "dlx" to "work". RabbitMQ 4.x drops a dead letter that would go back into a queue it already died in unless a rejection is among its deaths since then, so a loop of expiries or length or delivery limits ends there, while one where a consumer rejects the message (reject or nack without requeue) goes round again.',
    );
  });

  it('dead-letter-loop: the retry pattern across two queues, via a dead-letter routing key and a topic binding', () => {
    const toRetry = bind('retry-x', 'retry', 'retry');
    const back = bind('work-x', 'work', 'orders.*');
    const findings = analyzeTopology(
      topology({
        exchanges: [['retry-x', 'direct'], ['work-x', 'topic']],
        queues: [
          ['work', args({ 'x-dead-letter-exchange': 'retry-x', 'x-dead-letter-routing-key': 'retry' })],
          ['retry', args({ 'x-dead-letter-exchange': 'work-x', 'x-dead-letter-routing-key': 'orders.retried', 'x-message-ttl': 5000 })],
        ],
        bindings: [toRetry, back],
        publishers: [['work-x', 'orders.new']],
        consumers: ['work'],
      }),
    );
    const f = only(findings, 'dead-letter-loop');
    expect(f.id).toBe('dead-letter-loop:retry:work');
    expect(f.queues).toEqual(['work', 'retry']);
    expect(f.message).toContain(
      'from "work" with dead-letter routing key "retry" through dead-letter exchange "retry-x" to "retry", then from "retry" with dead-letter routing key "orders.retried" through dead-letter exchange "work-x" to "work"',
    );
  });

  it('dead-letter-loop: through the default exchange, found from a publisher key', () => {
    const findings = analyzeTopology(topology({ queues: [['q', args({ 'x-dead-letter-exchange': '' })]], publishers: [['', 'q']], consumers: ['q'] }));
    expect(only(findings, 'dead-letter-loop').message).toContain('from "q" keeping its routing key "q" through dead-letter exchange "" (the default exchange) to "q"');
  });

  it('dead-letter-loop: through an alternate exchange when the dead-letter exchange matches nothing', () => {
    const findings = analyzeTopology(
      topology({
        exchanges: [['dlx', 'direct', args({ 'alternate-exchange': 'catch' })], ['catch', 'fanout']],
        queues: [['q', args({ 'x-dead-letter-exchange': 'dlx', 'x-dead-letter-routing-key': 'none' })]],
        bindings: [bind('catch', 'q')],
        publishers: [['catch', '']],
        consumers: ['q'],
      }),
    );
    expect(only(findings, 'dead-letter-loop').exchanges).toEqual(['dlx', 'catch']);
  });

  it('no dead-letter-loop when the key routes elsewhere, or only headers could bring it back', () => {
    const elsewhere = analyzeTopology(
      topology({
        exchanges: [['dlx', 'direct']],
        queues: [['work', args({ 'x-dead-letter-exchange': 'dlx', 'x-dead-letter-routing-key': 'dead' })], 'dead'],
        bindings: [bind('dlx', 'work', 'job'), bind('dlx', 'dead', 'dead')],
        publishers: [['dlx', 'job']],
        consumers: ['work', 'dead'],
      }),
    );
    expect(withCode(elsewhere, 'dead-letter-loop')).toEqual([]);
    const headers = analyzeTopology(
      topology({
        exchanges: [['h', 'headers']],
        queues: [['q', args({ 'x-dead-letter-exchange': 'h' })]],
        bindings: [bind('h', 'q', '', { arguments: args({ kind: 'retry' }) })],
        publishers: [['h', '']],
        consumers: ['q'],
      }),
    );
    expect(withCode(headers, 'dead-letter-loop')).toEqual([]);
  });
});

describe('the dead-letter loop rule, replayed on the broker core', () => {
  async function loopBroker() {
    const broker = createBroker();
    const events: BrokerEvent[] = [];
    broker.observe((e) => events.push(e));
    const conn = await broker.connect();
    const ch = await conn.createChannel();
    await ch.assertExchange('dlx', 'direct', { durable: false });
    await ch.assertQueue('work', { durable: false, deadLetterExchange: 'dlx', messageTtl: 100 });
    await ch.bindQueue('work', 'dlx', 'job');
    return { broker, ch, events };
  }

  it('an expiry loop ends at the first return (the message is dropped as a cycle)', async () => {
    const { broker, ch, events } = await loopBroker();
    ch.publish('dlx', 'job', Buffer.from('m'));
    broker.advance(100);
    expect(events.filter((e) => e.type === 'dropped').map((e) => e.type === 'dropped' && e.cause)).toEqual(['dead-letter-cycle']);
    expect(broker.inspect().queues.find((queue) => queue.name === 'work')!.messages_ready).toBe(0);
  });

  it('a rejection in the loop lets the message go round again', async () => {
    const { broker, ch, events } = await loopBroker();
    ch.publish('dlx', 'job', Buffer.from('m'));
    const got = await ch.get('work');
    expect(got).not.toBe(false);
    ch.nack(got as Exclude<typeof got, false>, false, false);
    await Promise.resolve();
    expect(events.some((e) => e.type === 'dropped')).toBe(false);
    expect(broker.inspect().queues.find((queue) => queue.name === 'work')!.messages_ready).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// order, ids, determinism
// ---------------------------------------------------------------------------------------------

describe('analyzeTopology', () => {
  const input = (): TopologyInput =>
    topology({
      exchanges: [['t', 'topic'], ['h', 'headers'], ['idle', 'fanout']],
      queues: ['q1', 'q2', 'unused'],
      bindings: [
        { ...bind('t', 'q1', '#.a.#.#'), id: 'x1' },
        { ...bind('t', 'q2', 'a.*'), id: 'x2' },
        { ...bind('h', 'q1', '', { arguments: args({ 'x-match': 'nope' }) }), id: 'x3' },
      ],
      publishers: [['t', 'a.b'], ['h', '']],
      consumers: ['q1'],
    });

  it('orders errors, then warnings, then info', () => {
    const severities = analyzeTopology(input()).map((f) => f.severity);
    const rank = { error: 0, warning: 1, info: 2 };
    expect(severities).toEqual([...severities].sort((a, b) => rank[a] - rank[b]));
    expect(severities[0]).toBe('error');
    expect(severities).toContain('info');
  });

  it('gives the same findings, with the same ids, every time; ids are unique', () => {
    const first = analyzeTopology(input());
    expect(analyzeTopology(input())).toEqual(first);
    expect(new Set(first.map((f) => f.id)).size).toBe(first.length);
  });

  it('quotes names so that odd ones stay unambiguous in ids', () => {
    const findings = analyzeTopology(topology({ queues: ['a:b', ''] }));
    expect(findings.map((f) => f.id)).toContain('queue-unbound:"a:b"');
    expect(findings.map((f) => f.id)).toContain('queue-unbound:""');
    expect(findings.find((f) => f.id === 'queue-unbound:""')!.message).toContain('Queue ""');
  });

  it('has nothing to say about an empty topology or a tidy one', () => {
    expect(analyzeTopology(topology({}))).toEqual([]);
    expect(analyzeTopology(quiet([['t', 'topic']], [bind('t', 'q', 'a.*')], ['q']))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Claims against random keys and headers
// ---------------------------------------------------------------------------------------------

const pattern = fc.array(fc.constantFrom('a', 'b', '', '*', '#'), { maxLength: 5 }).map((words) => words.join('.'));
const key = fc.array(fc.constantFrom('a', 'b', '', 'x', 'c'), { maxLength: 6 }).map((words) => words.join('.'));
const keys = fc.array(key, { minLength: 20, maxLength: 40 });

describe('lint claims against random keys', () => {
  it('match-everything holds for every key; covers, overlap and example keys agree with matchTopic', () => {
    fc.assert(
      fc.property(pattern, pattern, fc.boolean(), keys, (p1, p2, sameQueue, sample) => {
        const b1: TopologyBinding = { id: 'r1', source: 't', destinationKind: 'queue', destination: 'q1', routingKey: p1, arguments: args() };
        const b2: TopologyBinding = { id: 'r2', source: 't', destinationKind: 'queue', destination: sameQueue ? 'q1' : 'q2', routingKey: p2, arguments: args() };
        const byId = new Map([b1, b2].map((b) => [b.id, b]));
        const findings = analyzeTopology(quiet([['t', 'topic']], [b1, b2], ['q1', 'q2']));
        for (const f of findings) {
          if (f.example) {
            for (const id of f.example.matches) expect(matchTopic(byId.get(id)!.routingKey, f.example.routingKey)).toBe(true);
            for (const id of f.example.misses) expect(matchTopic(byId.get(id)!.routingKey, f.example.routingKey)).toBe(false);
          }
          if (f.code === 'match-everything') {
            const bound = byId.get(f.bindings[0]!)!.routingKey;
            for (const k of sample) expect(matchTopic(bound, k), `${bound} / ${k}`).toBe(true);
          }
          if (f.code === 'topic-covers') {
            // The id names the narrower binding first: every key it matches, the other matches.
            const [narrow, broad] = f.id.split(':').slice(1).map((id) => byId.get(id)!.routingKey);
            for (const k of sample) if (matchTopic(narrow!, k)) expect(matchTopic(broad!, k), `${narrow} in ${broad} / ${k}`).toBe(true);
          }
          if (f.code === 'topic-overlap') {
            const keysOf = f.bindings.map((id) => byId.get(id)!.routingKey);
            expect(f.example!.matches).toEqual(f.bindings);
            expect(keysOf.every((p) => matchTopic(p, f.example!.routingKey))).toBe(true);
          }
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('headers "every message" / "no message" claims hold for random headers', () => {
    const name = fc.constantFrom('a', 'x-a', 'x-b', 'x-match');
    const value = fc.oneof(fc.constantFrom('all', 'any', 'all-with-x', 'any-with-x', 'v'), fc.integer({ min: 0, max: 2 }));
    const table = fc.dictionary(name, value, { maxKeys: 3 }).map((entries) => args(entries));
    const headers = fc.option(fc.dictionary(fc.constantFrom('a', 'x-a', 'x-b', 'c'), value, { maxKeys: 3 }).map((entries) => args(entries)), { nil: undefined });
    fc.assert(
      fc.property(table, fc.array(headers, { minLength: 10, maxLength: 20 }), (bindingArgs, messages) => {
        const b: TopologyBinding = { id: 'h1', source: 'h', destinationKind: 'queue', destination: 'q', routingKey: '', arguments: bindingArgs };
        for (const f of analyzeTopology(quiet([['h', 'headers']], [b], ['q']))) {
          if (f.code !== 'headers-only-x' && f.code !== 'headers-no-keys') continue;
          const every = f.message.includes('matches every message');
          expect(every || f.message.includes('matches no message')).toBe(true);
          for (const h of messages) expect(matchHeaders(bindingArgs, h)).toBe(every);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
