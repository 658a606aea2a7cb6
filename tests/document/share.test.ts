/**
 * Share links (src/document/share.ts): a diagram in the address's fragment. Round trips (up to
 * the ids, which decoding makes up in order, and positions rounded to whole pixels), the length
 * of a realistic 20-node link, and the friendly refusals of links that are not ours, damaged,
 * cut short or from a newer version.
 */

import { deflateRawSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyDiagram } from '../../src/document/diagram';
import { canonicalJson } from '../../src/document/json';
import { MAX_FRAGMENT_CHARS, SHARE_DICTIONARY, decodeShare, encodeShare, fromBase64Url, fromText, pack, toBase64Url, toText } from '../../src/document/share';
import type { BindingEdge, ConsumerNode, Diagram, DiagramNode, ExchangeNode, JsonTable, ProducerNode, QueueNode } from '../../src/document/types';
import { validateDiagram } from '../../src/document/validate';
import { command, toAction } from './support/commands';

const SEED = 20_260_601;

// ---------------------------------------------------------------------------------------------
// The fixture: 4 producers, 6 exchanges, 6 queues, 4 consumers, 25 bindings: an order pipeline
// with dead-lettering, TTLs, an audit fan-in and a headers exchange for telemetry. Positions as
// "Auto layout" leaves them (whole pixels, a column per rank), two nodes dragged off the grid.

const exchange = (id: string, name: string, x: number, y: number, type: ExchangeNode['type'], args: JsonTable = {}): ExchangeNode => ({
  id,
  kind: 'exchange',
  position: { x, y },
  name,
  type,
  durable: true,
  autoDelete: false,
  internal: false,
  arguments: args,
});
const queue = (id: string, name: string, x: number, y: number, args: JsonTable): QueueNode => ({
  id,
  kind: 'queue',
  position: { x, y },
  name,
  durable: true,
  exclusive: false,
  autoDelete: false,
  arguments: args,
});
const producer = (id: string, name: string, x: number, y: number, target: string, routingKey: string, body: string, properties: JsonTable = {}): ProducerNode => ({
  id,
  kind: 'producer',
  position: { x, y },
  name,
  target: { kind: 'exchange', id: target },
  message: { routingKey, body, properties },
  mode: { kind: 'once' },
});
const consumer = (id: string, name: string, x: number, y: number, queueId: string, patch: Partial<ConsumerNode> = {}): ConsumerNode => ({
  id,
  kind: 'consumer',
  position: { x, y },
  name,
  queue: queueId,
  prefetch: 1,
  ackMode: 'manual',
  workMs: 1000,
  failure: { rate: 0, action: 'nack-requeue' },
  running: true,
  ...patch,
});
let bindingCount = 0;
const bind = (source: string, destination: string, routingKey: string, args: JsonTable = {}): BindingEdge => ({
  id: `binding-${++bindingCount}`,
  source,
  destination: { kind: destination.startsWith('queue') ? 'queue' : 'exchange', id: destination },
  routingKey,
  arguments: args,
});

function orderPipeline(): Diagram {
  bindingCount = 0;
  const dlx = { 'x-dead-letter-exchange': 'dlx' };
  const nodes: DiagramNode[] = [
    producer('producer-1', 'web-shop', 0, 58, 'exchange-1', 'order.eu.created', 'Hello World!'),
    producer('producer-2', 'billing-api', 0, 290, 'exchange-2', 'billing.eu', 'Hello World!'),
    producer('producer-3', 'audit-agent', 0, 522, 'exchange-3', '', 'Hello World!'),
    producer('producer-4', 'sensor-gw', 0, 754, 'exchange-4', '', '{"temp":81}', { headers: { severity: 'critical' } }),
    exchange('exchange-1', 'orders', 272, 58, 'topic'),
    exchange('exchange-2', 'billing', 272, 290, 'direct'),
    exchange('exchange-3', 'events', 272, 522, 'fanout'),
    exchange('exchange-4', 'telemetry', 272, 754, 'headers'),
    exchange('exchange-5', 'dlx', 421.5, 986.25, 'fanout'),
    exchange('exchange-6', 'audit', 544, 638, 'fanout'),
    queue('queue-1', 'orders.eu', 816, 0, { 'x-message-ttl': 60000, ...dlx }),
    queue('queue-2', 'orders.us', 816, 116, { 'x-message-ttl': 60000, ...dlx }),
    queue('queue-3', 'billing.eu', 816, 232, dlx),
    queue('queue-4', 'audit-log', 816, 638, { 'x-queue-type': 'classic' }),
    queue('queue-5', 'alerts', 816, 754, { 'x-message-ttl': 5000 }),
    queue('queue-6', 'dead-letters', 703, 1012, { 'x-queue-type': 'classic' }),
    consumer('consumer-1', 'eu-worker', 1088, 0, 'queue-1', { prefetch: 10 }),
    consumer('consumer-2', 'us-worker', 1088, 116, 'queue-2', { prefetch: 10 }),
    consumer('consumer-3', 'billing-worker', 1088, 232, 'queue-3'),
    consumer('consumer-4', 'pager', 1088, 754, 'queue-5', { ackMode: 'auto' }),
  ];
  const bindings = [
    bind('exchange-1', 'queue-1', 'order.eu.*'),
    bind('exchange-1', 'queue-1', '*.eu.express'),
    bind('exchange-1', 'queue-2', 'order.us.*'),
    bind('exchange-1', 'queue-2', '*.us.express'),
    bind('exchange-1', 'exchange-6', '#'),
    bind('exchange-1', 'exchange-2', 'order.*.paid'),
    bind('exchange-1', 'queue-5', 'order.*.failed'),
    bind('exchange-2', 'queue-3', 'billing.eu'),
    bind('exchange-2', 'queue-3', 'invoice.eu'),
    bind('exchange-2', 'exchange-6', 'billing.eu'),
    bind('exchange-2', 'exchange-6', 'billing.us'),
    bind('exchange-2', 'queue-6', 'billing.failed'),
    bind('exchange-3', 'exchange-6', ''),
    bind('exchange-3', 'queue-5', ''),
    bind('exchange-3', 'exchange-1', ''),
    bind('exchange-4', 'queue-5', '', { 'x-match': 'all', severity: 'critical' }),
    bind('exchange-4', 'queue-5', '', { 'x-match': 'any', region: 'eu', type: 'alarm' }),
    bind('exchange-4', 'exchange-6', '', { 'x-match': 'any', severity: 'warning' }),
    bind('exchange-4', 'queue-4', '', { 'x-match': 'all', source: 'sensor' }),
    bind('exchange-5', 'queue-6', ''),
    bind('exchange-6', 'queue-4', ''),
    bind('exchange-1', 'queue-4', 'order.*.refunded'),
    bind('exchange-2', 'queue-4', 'invoice.eu'),
    bind('exchange-3', 'queue-4', ''),
    bind('exchange-4', 'queue-6', '', { 'x-match': 'all', severity: 'lost' }),
  ];
  return { version: 1, nodes, bindings, view: { x: 40.2, y: -12.7, zoom: 0.8467 } };
}

// ---------------------------------------------------------------------------------------------
// Comparing up to ids and rounding

/** The diagram as a link keeps it: ids renamed in order (`<kind>-<n>`, `binding-<n>`), positions and the view rounded (zooms here stay above 0.0005). */
function asShared(d: Diagram): Diagram {
  const counts = new Map<string, number>();
  const ids = new Map<string, string>();
  for (const n of d.nodes) {
    const k = (counts.get(n.kind) ?? 0) + 1;
    counts.set(n.kind, k);
    ids.set(n.id, `${n.kind}-${k}`);
  }
  const nodes = d.nodes.map((n): DiagramNode => {
    const base = { ...n, id: ids.get(n.id)!, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) } };
    if (base.kind === 'producer' && base.target) return { ...base, target: { ...base.target, id: ids.get(base.target.id)! } };
    if (base.kind === 'consumer' && base.queue !== null) return { ...base, queue: ids.get(base.queue)! };
    return base;
  });
  const bindings = d.bindings.map((b, i) => ({ ...b, id: `binding-${i + 1}`, source: ids.get(b.source)!, destination: { ...b.destination, id: ids.get(b.destination.id)! } }));
  const out: Diagram = { version: 1, nodes, bindings };
  if (d.view) out.view = { x: Math.round(d.view.x), y: Math.round(d.view.y), zoom: Math.round(d.view.zoom * 1000) / 1000 };
  if (d.exercises) out.exercises = d.exercises;
  return out;
}

function roundTrip(d: Diagram): Diagram {
  const result = decodeShare(encodeShare(d));
  if (!result.ok) throw new Error(result.message);
  expect(result.repairs).toEqual([]);
  return result.diagram;
}

/** Random valid diagrams: the gateway's random edits (tests/document/support/commands.ts). */
const diagrams = fc.array(command, { minLength: 5, maxLength: 60 }).map((commands) => {
  let d = emptyDiagram();
  for (const c of commands) {
    const r = toAction(d, c).perform(d);
    if (r.ok) d = r.diagram;
  }
  return d;
});

describe('share links', () => {
  it('fit a 20-node, 25-binding diagram in at most 600 characters (plain deflated JSON takes far more)', () => {
    const d = orderPipeline();
    expect(validateDiagram(d)).toEqual([]);
    expect(d.nodes).toHaveLength(20);
    expect(d.bindings).toHaveLength(25);
    const link = encodeShare(d);
    const plain = toBase64Url(deflateRawSync(JSON.stringify(d), { level: 9 }));
    console.info(`share link for the 20-node fixture: ${link.length} characters (plain deflated JSON: ${plain.length + 2})`);
    expect(link.startsWith('v1')).toBe(true);
    expect(link.length).toBeLessThanOrEqual(600);
    expect(link).toMatch(/^v1[A-Za-z0-9_-]+$/);
  });

  it('round trip: the same diagram up to ids and rounding, with nothing repaired', () => {
    const d = orderPipeline();
    expect(canonicalJson(roundTrip(d))).toBe(canonicalJson(asShared(d)));
    const withExercises = { ...d, exercises: [{ bindingKey: '*.orange.*', routingKey: 'quick.orange.rabbit' }] };
    expect(canonicalJson(roundTrip(withExercises))).toBe(canonicalJson(asShared(withExercises)));
    const { view: _view, ...noView } = withExercises;
    expect(canonicalJson(roundTrip(noView))).toBe(canonicalJson(asShared(noView)));
    expect(roundTrip(emptyDiagram())).toEqual(emptyDiagram());
  });

  it('a decoded diagram encodes to the same link, and decodes to the same diagram', () => {
    const once = roundTrip(orderPipeline());
    expect(encodeShare(once)).toBe(encodeShare(orderPipeline()));
    expect(roundTrip(once)).toEqual(once);
  });

  it('round trip of random valid diagrams (seeded)', () => {
    fc.assert(
      fc.property(diagrams, (d) => {
        const back = roundTrip(d);
        expect(canonicalJson(back)).toBe(canonicalJson(asShared(d)));
        expect(validateDiagram(back)).toEqual([]);
      }),
      { seed: SEED, numRuns: 200 },
    );
    // 200 diagrams take about a second alone; a loaded CI machine needs more room.
  }, 30_000);

  it('keeps every setting that differs from its default', () => {
    const base = orderPipeline();
    const d: Diagram = {
      ...base,
      nodes: base.nodes.map((n): DiagramNode => {
        switch (n.kind) {
          case 'exchange':
            return n.name === 'events' ? { ...n, durable: false, autoDelete: true, internal: true, type: 'x-local-random' } : n;
          case 'queue':
            return n.name === 'audit-log' ? { ...n, durable: false, exclusive: true, autoDelete: true, arguments: {} } : n;
          case 'producer':
            return n.name === 'audit-agent'
              ? { ...n, target: null, message: { routingKey: 'k', body: 'Hello World!', properties: {} }, mode: { kind: 'burst', count: 12 } }
              : n;
          case 'consumer':
            return n.name === 'pager' ? { ...n, running: false, prefetch: 0, workMs: 0, failure: { rate: 1, action: 'reject-drop' }, reply: 'paged, 42' } : n;
        }
      }),
    };
    // Nothing publishes to an internal exchange: the fixture's audit-agent was unlinked above.
    expect(validateDiagram(d)).toEqual([]);
    expect(d.nodes.filter((n, i) => n !== base.nodes[i]).map((n) => n.name)).toEqual(['audit-agent', 'events', 'audit-log', 'pager']);
    expect(canonicalJson(roundTrip(d))).toBe(canonicalJson(asShared(d)));
  });

  it('the compact form leaves defaults out, and positions are changes within a kind', () => {
    const d: Diagram = {
      version: 1,
      nodes: [
        { id: 'e', kind: 'exchange', position: { x: 1.4, y: 2.6 }, name: 'x', type: 'topic', durable: true, autoDelete: false, internal: false, arguments: {} },
        { id: 'q', kind: 'queue', position: { x: 300, y: 0 }, name: 'q,1', durable: true, exclusive: false, autoDelete: false, arguments: { 'x-queue-type': 'classic' } },
        { id: 'q2', kind: 'queue', position: { x: 300, y: 116 }, name: '{q2}', durable: false, exclusive: false, autoDelete: true, arguments: {} },
      ],
      bindings: [{ id: 'b', source: 'e', destination: { kind: 'queue', id: 'q' }, routingKey: '', arguments: {} }],
    };
    expect(pack(d)).toEqual([[3, 1], [1, 'x', 1, 3], [2, 'q,1', 300, 0], [2, '{q2}', 0, 116, {}, 5], [0, 1]]);
    expect(toText(pack(d))).toBe('3,1\n1,x,1,3\n2,"q,1",300,0\n2,"{q2}",0,116,{},5\n0,1');
    expect(fromText(toText(pack(d)))).toEqual([['3', '1'], ['1', 'x', '1', '3'], ['2', 'q,1', '300', '0'], ['2', '{q2}', '0', '116', {}, '5'], ['0', '1']]);
  });

  it('the dictionary is part of the format: a link made today opens the same forever', () => {
    expect(decodeShare(GOLDEN_LINK)).toEqual({ ok: true, diagram: GOLDEN_DIAGRAM, repairs: [] });
    expect(encodeShare(GOLDEN_DIAGRAM)).toBe(GOLDEN_LINK);
    // Plain raw DEFLATE with a preset dictionary: any zlib reads it, not only fflate.
    const text = inflateRawSync(Buffer.from(GOLDEN_LINK.slice(2), 'base64url'), { dictionary: Buffer.from(SHARE_DICTIONARY) }).toString();
    expect(text).toBe(toText(pack(GOLDEN_DIAGRAM)));
  });
});

/** A small diagram and its link, written once: if this breaks, v1 links broke (make a v2 instead). */
const GOLDEN_DIAGRAM: Diagram = {
  version: 1,
  nodes: [
    { id: 'producer-1', kind: 'producer', position: { x: 0, y: 120 }, name: 'emit_log_topic', target: { kind: 'exchange', id: 'exchange-1' }, message: { routingKey: 'quick.orange.rabbit', body: 'A quick orange rabbit', properties: { headers: { n: 1 } } }, mode: { kind: 'rate', perSecond: 2 } },
    { id: 'exchange-1', kind: 'exchange', position: { x: 250, y: 140 }, name: 'topic_logs', type: 'topic', durable: true, autoDelete: false, internal: false, arguments: { 'alternate-exchange': 'dlx' } },
    { id: 'queue-1', kind: 'queue', position: { x: 545, y: 20 }, name: 'orange', durable: true, exclusive: false, autoDelete: false, arguments: { 'x-queue-type': 'classic' } },
    { id: 'consumer-1', kind: 'consumer', position: { x: 805, y: 20 }, name: 'worker-orange', queue: 'queue-1', prefetch: 1, ackMode: 'manual', workMs: 1000, failure: { rate: 0.5, action: 'reject-drop' }, running: false },
  ],
  bindings: [{ id: 'binding-1', source: 'exchange-1', destination: { kind: 'queue', id: 'queue-1' }, routingKey: '*.orange.*', arguments: {} }],
  view: { x: 10, y: -20, zoom: 1.25 },
  exercises: [{ bindingKey: 'lazy.#', routingKey: 'lazy.orange.elephant' }],
};
const GOLDEN_LINK =
  'v1jZRBCsAgDATveUsqm9VAP-ffu5YeRCyIiCAyJiSZ5jGWYbUFPKi9dcXB6GrQone_aDEriSlmg1P8n_qPdLtR3fIqI1s6YXUxyY1xLU6IJCago6RX_cfJWxZQEHpQmPaJa6e6Bw';

describe('links that cannot be opened say why', () => {
  const link = encodeShare(orderPipeline());
  const refused = (fragment: string) => {
    const result = decodeShare(fragment);
    expect(result.ok).toBe(false);
    return result.ok ? '' : result.message;
  };

  it('a link from a newer version', () => {
    expect(refused('v2AAAA')).toMatch(/newer version of Routing Playground \(version 2\)\. Reload the page/);
    expect(refused('#v9AAAA')).toMatch(/newer version/);
  });

  it('a link that is not a diagram at all', () => {
    expect(refused('')).toMatch(/does not hold a Routing Playground diagram/);
    expect(refused('section-2')).toMatch(/does not hold a Routing Playground diagram/);
    expect(refused('v0abc')).toMatch(/does not hold a Routing Playground diagram/);
  });

  it('bad base64, a cut, a damaged byte', () => {
    expect(refused('v1%%%not-base64')).toMatch(/characters a shared diagram never has/);
    expect(refused('v1AAAAA')).toMatch(/damaged/);
    expect(refused(link.slice(0, link.length - 40))).toMatch(/damaged or cut short/);
    expect(refused(link.slice(0, 10))).toMatch(/damaged or cut short/);
    expect(refused('v1' + toBase64Url(new TextEncoder().encode('not deflate at all')))).toMatch(/damaged/);
  });

  it('the wrong text inside', () => {
    const packed = (text: string) => 'v1' + toBase64Url(deflateRawSync(text, { dictionary: Buffer.from(SHARE_DICTIONARY) }));
    expect(refused(packed('{"nodes":[]}'))).toMatch(/damaged/);
    expect(refused(packed('3,0\n2,q'))).toMatch(/damaged/);
    expect(refused(packed('1,0\n2,q,0,0,{"a":1'))).toMatch(/damaged/);
    expect(refused(packed('1,0\n2,"q'))).toMatch(/damaged/);
    expect(refused(packed('1,0\n2,q,0,0,{}x'))).toMatch(/damaged/);
    expect(refused(packed('1,0\n7,x'))).toBe('Node 1 of the link is of no kind: a diagram has producers, exchanges, queues and consumers.');
    expect(refused(packed('1,0\n2,q,0,0,0,9'))).toBe("Queue 'q': durable must be true or false.");
    expect(refused(packed('1,0\n1,amq.nope'))).toBe("RabbitMQ refuses it: exchange name 'amq.nope' contains reserved prefix 'amq.*'.");
    expect(decodeShare(packed('1,1\n2,q\n0,5'))).toEqual({
      ok: true,
      diagram: { version: 1, nodes: [expect.objectContaining({ id: 'queue-1', name: 'q' })], bindings: [] },
      repairs: ["Dropped binding 1: its destination '#5' is not in the diagram."],
    });
  });

  it('a huge link, and a deflate bomb', () => {
    expect(refused('v1' + 'A'.repeat(MAX_FRAGMENT_CHARS))).toMatch(/too long/);
    const bomb = 'v1' + toBase64Url(deflateRawSync(Buffer.alloc(50 * 1024 * 1024, 32), { level: 9, dictionary: Buffer.from(SHARE_DICTIONARY) }));
    expect(bomb.length).toBeLessThan(MAX_FRAGMENT_CHARS);
    const started = performance.now();
    expect(refused(bomb)).toMatch(/unpacks to more than 1 MiB/);
    // Stopped at the cap: inflating all 50 MiB is what would take long.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('base64url both ways', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      const text = toBase64Url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64Url(text)).toEqual(bytes);
    }
  });
});
