import { describe, expect, it } from 'vitest';
import { addNode, createGateway, emptyDiagram, removeNodes, validateDiagram } from '../../src/document/index';
import { exampleDiagram } from '../../src/ui/canvas/example';
import { toFlowEdges, toFlowNodes } from '../../src/ui/canvas/flow';
import { freeSpot } from '../../src/ui/canvas/placement';

describe('canvas: the document as flow nodes and edges', () => {
  it('opens on a valid topic example', () => {
    const diagram = exampleDiagram();
    expect(validateDiagram(diagram)).toEqual([]);
    expect(diagram.nodes.map((n) => n.kind)).toEqual(['producer', 'exchange', 'queue', 'queue', 'consumer', 'consumer']);
    expect(diagram.bindings.map((b) => b.routingKey)).toEqual(['*.orange.*', 'lazy.#']);
  });

  it('makes one flow node per node, typed by kind, keeping the selection', () => {
    const nodes = toFlowNodes(exampleDiagram(), new Set(['queue-1']));
    expect(nodes.map((n) => n.type)).toEqual(['producer', 'exchange', 'queue', 'queue', 'consumer', 'consumer']);
    expect(nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['queue-1']);
  });

  it('draws producer links, bindings labelled by key, and consumer links', () => {
    const edges = toFlowEdges(exampleDiagram());
    expect(edges.map((e) => [e.source, e.target, e.label ?? null, e.data?.link.kind])).toEqual([
      ['producer-1', 'exchange-1', null, 'producer'],
      ['exchange-1', 'queue-1', '*.orange.*', 'binding'],
      ['exchange-1', 'queue-2', 'lazy.#', 'binding'],
      ['queue-1', 'consumer-1', null, 'consumer'],
      ['queue-2', 'consumer-2', null, 'consumer'],
    ]);
  });

  it('drops the links of a deleted node', () => {
    const gateway = createGateway(exampleDiagram());
    gateway.apply(removeNodes(['exchange-1']));
    expect(toFlowEdges(gateway.diagram).map((e) => e.id)).toEqual(['consume:consumer-1', 'consume:consumer-2']);
  });

  it('places a new node on a free spot', () => {
    const gateway = createGateway(emptyDiagram());
    const spots = [];
    for (let i = 0; i < 5; i++) {
      const spot = freeSpot(gateway.diagram, { x: 100, y: 100 });
      spots.push(spot);
      expect(gateway.apply(addNode({ kind: 'queue', position: spot })).ok).toBe(true);
    }
    expect(spots[0]).toEqual({ x: 100, y: 100 });
    for (const [i, a] of spots.entries()) {
      for (const b of spots.slice(i + 1)) expect(Math.abs(a.x - b.x) >= 220 || Math.abs(a.y - b.y) >= 120).toBe(true);
    }
  });
});
