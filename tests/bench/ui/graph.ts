/**
 * The UI benchmark's diagram: a seeded, valid document of N nodes in the proportions of the
 * 300-node case (20 producers, 10 exchanges, 140 queues, 130 consumers). Producers publish in
 * bursts to topic, direct and fanout exchanges; every queue is bound with a key that some producer
 * matches (a fifth of them bound twice), and most queues have a consumer. Same seed, same diagram.
 *
 * Imported by the benchmark pages (browser) and by tests/document/bench-graph.test.ts (Node), so
 * it uses the document's types and nothing of the DOM.
 */

import { makeNode } from '../../../src/document/diagram';
import type { BindingEdge, ConsumerNode, Diagram, ExchangeNode, ExchangeType, ProducerNode, QueueNode } from '../../../src/document/types';
import { seededRandom } from '../lib';

export interface BenchGraphOptions {
  /** Total number of nodes (at least 4). */
  nodes?: number;
  seed?: number;
  /** Messages per producer click (burst mode). */
  burst?: number;
}

export interface BenchGraphCounts {
  producers: number;
  exchanges: number;
  queues: number;
  consumers: number;
}

/** How N nodes split into kinds: 300 → 20 / 10 / 140 / 130; 20 → 1 / 1 / 9 / 9. */
export function benchCounts(total: number): BenchGraphCounts {
  const n = Math.max(4, Math.floor(total));
  const producers = Math.max(1, Math.round(n / 15));
  const exchanges = Math.max(1, Math.round(n / 30));
  const rest = n - producers - exchanges;
  const consumers = Math.min(rest - 1, Math.round((rest * 130) / 270));
  return { producers, exchanges, queues: rest - consumers, consumers };
}

const TYPES: readonly ExchangeType[] = ['topic', 'direct', 'fanout'];
const KINDS = ['order', 'payment', 'user', 'audit'];
const REGIONS = ['eu', 'us', 'apac'];
const DIRECT_KEYS = 4;

/** Grid spacing (flow px): node cards are about 200 px wide. */
const COL = 270;
const ROW = 125;

export function benchDiagram(options: BenchGraphOptions = {}): Diagram {
  const total = options.nodes ?? 300;
  const burst = options.burst ?? 50;
  const random = seededRandom(options.seed ?? 20_240_601);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const counts = benchCounts(total);
  const rows = Math.max(counts.producers, counts.exchanges, Math.ceil(Math.sqrt(total) * 1.6));
  const queueCols = Math.ceil(counts.queues / rows);
  const height = (rows - 1) * ROW;
  const spread = (i: number, of: number) => Math.round(of <= 1 ? height / 2 : (i * height) / (of - 1));

  const exchanges: ExchangeNode[] = [];
  for (let i = 0; i < counts.exchanges; i++) {
    const type = TYPES[i % TYPES.length]!;
    const node = makeNode('exchange', `exchange-${i + 1}`, `bench.${type}.${i + 1}`, { x: COL, y: spread(i, counts.exchanges) }) as ExchangeNode;
    exchanges.push({ ...node, type });
  }

  /** A binding key for a queue on an exchange of this type; `slot` spreads direct keys. */
  const bindingKey = (type: ExchangeType, slot: number): string => {
    if (type === 'fanout') return '';
    if (type === 'direct') return `key.${slot % DIRECT_KEYS}`;
    const kind = pick(KINDS);
    const region = pick(REGIONS);
    return pick([`${kind}.${region}.*`, `${kind}.#`, `*.${region}.#`, `#.${region}.*`]);
  };

  const queues: QueueNode[] = [];
  const bindings: BindingEdge[] = [];
  for (let j = 0; j < counts.queues; j++) {
    const col = Math.floor(j / rows);
    const row = j % rows;
    queues.push(makeNode('queue', `queue-${j + 1}`, `bench.q${j + 1}`, { x: COL * (2 + col), y: row * ROW }) as QueueNode);
    const sources = j % 5 === 0 && counts.exchanges > 1 ? [j % counts.exchanges, (j + 1) % counts.exchanges] : [j % counts.exchanges];
    for (const e of sources) {
      const exchange = exchanges[e]!;
      bindings.push({
        id: `binding-${bindings.length + 1}`,
        source: exchange.id,
        destination: { kind: 'queue', id: `queue-${j + 1}` },
        routingKey: bindingKey(exchange.type, Math.floor(j / counts.exchanges)),
        arguments: {},
      });
    }
  }

  /** A routing key that one of the exchange's topic bindings matches: wildcards become words. */
  const topicKeyFor = (pattern: string): string =>
    pattern
      .split('.')
      .map((word) => (word === '*' || word === '#' ? pick(['created', 'updated', ...KINDS, ...REGIONS]) : word))
      .join('.');

  const producers: ProducerNode[] = [];
  for (let i = 0; i < counts.producers; i++) {
    const exchange = exchanges[i % counts.exchanges]!;
    const routingKey =
      exchange.type === 'direct'
        ? `key.${Math.floor(i / counts.exchanges) % DIRECT_KEYS}`
        : exchange.type === 'topic'
          ? topicKeyFor(pick(bindings.filter((b) => b.source === exchange.id)).routingKey)
          : 'broadcast';
    const node = makeNode('producer', `producer-${i + 1}`, `bench.p${i + 1}`, { x: 0, y: spread(i, counts.producers) }) as ProducerNode;
    producers.push({
      ...node,
      target: { kind: 'exchange', id: exchange.id },
      message: { routingKey, body: `message from producer ${i + 1}`, properties: {} },
      mode: { kind: 'burst', count: burst },
    });
  }

  const consumers: ConsumerNode[] = [];
  for (let k = 0; k < counts.consumers; k++) {
    const col = Math.floor(k / rows);
    const row = k % rows;
    const node = makeNode('consumer', `consumer-${k + 1}`, `bench.c${k + 1}`, { x: COL * (2 + queueCols + col), y: row * ROW }) as ConsumerNode;
    consumers.push({ ...node, queue: `queue-${k + 1}`, prefetch: 10, ackMode: 'manual', workMs: pick([100, 250, 500]) });
  }

  return { version: 1, nodes: [...producers, ...exchanges, ...queues, ...consumers], bindings };
}

/** The diagram's links as plain flow edges (publish, bindings, consume), for the bare page. */
export function benchEdges(diagram: Diagram): { id: string; source: string; target: string; label?: string; animated?: boolean }[] {
  const edges: { id: string; source: string; target: string; label?: string; animated?: boolean }[] = [];
  for (const node of diagram.nodes) {
    if (node.kind === 'producer' && node.target) edges.push({ id: `publish:${node.id}`, source: node.id, target: node.target.id });
  }
  for (const b of diagram.bindings) {
    edges.push({ id: b.id, source: b.source, target: b.destination.id, ...(b.routingKey === '' ? {} : { label: b.routingKey }) });
  }
  for (const node of diagram.nodes) {
    if (node.kind === 'consumer' && node.queue !== null) edges.push({ id: `consume:${node.id}`, source: node.queue, target: node.id });
  }
  return edges;
}
