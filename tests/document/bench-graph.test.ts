/**
 * The UI benchmark's generated diagram (tests/bench/ui/graph.ts) is a valid document, seeded, of
 * the requested size, and every producer's message reaches at least one queue.
 */

import { describe, expect, it } from 'vitest';
import { matchTopic } from '../../src/broker/topic';
import { validateDiagram } from '../../src/document/validate';
import type { DiagramNode } from '../../src/document/types';
import { benchCounts, benchDiagram, benchEdges } from '../bench/ui/graph';

describe('benchmark diagram', () => {
  it.each([300, 20])('%i nodes: valid, with the right counts', (n) => {
    const diagram = benchDiagram({ nodes: n });
    expect(validateDiagram(diagram)).toEqual([]);
    expect(diagram.nodes).toHaveLength(n);
    const counts = benchCounts(n);
    const of = (kind: DiagramNode['kind']) => diagram.nodes.filter((node) => node.kind === kind).length;
    expect({ producers: of('producer'), exchanges: of('exchange'), queues: of('queue'), consumers: of('consumer') }).toEqual(counts);
  });

  it('has the 300-node proportions of the requirement', () => {
    expect(benchCounts(300)).toEqual({ producers: 20, exchanges: 10, queues: 140, consumers: 130 });
  });

  it('is the same for the same seed', () => {
    expect(JSON.stringify(benchDiagram({ seed: 7 }))).toBe(JSON.stringify(benchDiagram({ seed: 7 })));
    expect(JSON.stringify(benchDiagram({ seed: 7 }))).not.toBe(JSON.stringify(benchDiagram({ seed: 8 })));
  });

  it.each([300, 20])('%i nodes: every producer bursts and its key reaches a queue', (n) => {
    const diagram = benchDiagram({ nodes: n });
    const byId = new Map(diagram.nodes.map((node) => [node.id, node]));
    for (const producer of diagram.nodes) {
      if (producer.kind !== 'producer') continue;
      expect(producer.mode).toEqual({ kind: 'burst', count: 50 });
      const exchange = byId.get(producer.target!.id);
      if (exchange?.kind !== 'exchange') throw new Error(`${producer.id} has no exchange`);
      const key = producer.message.routingKey;
      const matched = diagram.bindings.filter(
        (b) =>
          b.source === exchange.id &&
          (exchange.type === 'fanout' || (exchange.type === 'direct' ? b.routingKey === key : matchTopic(b.routingKey, key))),
      );
      expect(matched.length, `${producer.id} → ${exchange.name} with '${key}'`).toBeGreaterThan(0);
    }
  });

  it('gives the bare page the same links as the document', () => {
    const diagram = benchDiagram();
    const links = diagram.nodes.filter((n) => (n.kind === 'producer' && n.target) || (n.kind === 'consumer' && n.queue)).length;
    expect(benchEdges(diagram)).toHaveLength(links + diagram.bindings.length);
  });
});
