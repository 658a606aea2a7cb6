import { describe, expect, it } from 'vitest';
import { addNodes, batch, connect, createGateway, emptyDiagram, moveNodes, unwrap, type Diagram } from '../../src/document/index';
import { layoutDiagram } from '../../src/ui/canvas/layout';
import { exampleDiagram } from '../../src/ui/canvas/example';

type Box = { x: number; y: number; w: number; h: number };
const SIZE = { width: 200, height: 90 };

function boxes(diagram: Diagram, moves: ReturnType<typeof layoutDiagram>): Map<string, Box> {
  const byId = new Map(moves.map((m) => [m.id, m.position]));
  return new Map(diagram.nodes.map((n) => [n.id, { ...byId.get(n.id)!, w: SIZE.width, h: SIZE.height }]));
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Everything piled on one spot, as a pasted definitions file might be. */
function piled(): Diagram {
  const gateway = createGateway(exampleDiagram());
  gateway.apply(moveNodes(gateway.diagram.nodes.map((n) => ({ id: n.id, position: { x: 10, y: 20 } }))));
  return gateway.diagram;
}

describe('auto-layout', () => {
  it('places every node, none on top of another', () => {
    const diagram = piled();
    const placed = boxes(diagram, layoutDiagram(diagram, new Map(diagram.nodes.map((n) => [n.id, SIZE]))));
    const all = [...placed.values()];
    expect(all).toHaveLength(diagram.nodes.length);
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(overlap(all[i]!, all[j]!)).toBe(false);
  });

  it('goes left to right along the links: producer, exchange, queues, consumers', () => {
    const diagram = piled();
    const at = boxes(diagram, layoutDiagram(diagram));
    const x = (id: string) => at.get(id)!.x;
    expect(x('producer-1')).toBeLessThan(x('exchange-1'));
    expect(x('exchange-1')).toBeLessThan(x('queue-1'));
    expect(x('queue-1')).toBe(x('queue-2'));
    expect(x('queue-1')).toBeLessThan(x('consumer-1'));
  });

  it('keeps the top-left corner of the diagram where it was, in whole pixels', () => {
    const diagram = piled();
    const moves = layoutDiagram(diagram);
    expect(Math.min(...moves.map((m) => m.position.x))).toBe(10);
    expect(Math.min(...moves.map((m) => m.position.y))).toBe(20);
    for (const m of moves) expect(Number.isInteger(m.position.x) && Number.isInteger(m.position.y)).toBe(true);
  });

  it('copes with cycles, self-loops and unlinked nodes', () => {
    const diagram = unwrap(batch('Cycle', [
      addNodes([
        { kind: 'exchange', id: 'a', name: 'a', type: 'fanout', position: { x: 0, y: 0 } },
        { kind: 'exchange', id: 'b', name: 'b', type: 'fanout', position: { x: 0, y: 0 } },
        { kind: 'queue', id: 'lonely', name: 'lonely', position: { x: 0, y: 0 } },
      ]),
      connect('a', 'b'),
      connect('b', 'a'),
      connect('a', 'a'),
    ]), emptyDiagram());
    expect(diagram.bindings).toHaveLength(3);
    const moves = layoutDiagram(diagram);
    expect(moves.map((m) => m.id).sort()).toEqual(['a', 'b', 'lonely']);
    const positions = new Set(moves.map((m) => `${m.position.x},${m.position.y}`));
    expect(positions.size).toBe(3);
  });

  it('has nothing to do for an empty diagram', () => {
    expect(layoutDiagram(emptyDiagram())).toEqual([]);
  });
});

describe('auto-layout and dead-letter exchanges', () => {
  it('puts a dead-letter exchange after the queue that dead-letters to it', () => {
    const diagram = unwrap(batch('DLX', [
      addNodes([
        { kind: 'exchange', id: 'main', name: 'main', type: 'direct', position: { x: 0, y: 0 } },
        { kind: 'queue', id: 'work', name: 'work', arguments: { 'x-dead-letter-exchange': 'dlx' }, position: { x: 0, y: 0 } },
        { kind: 'exchange', id: 'dlx', name: 'dlx', type: 'fanout', position: { x: 0, y: 0 } },
        { kind: 'queue', id: 'dead', name: 'dead', position: { x: 0, y: 0 } },
      ]),
      connect('main', 'work'),
      connect('dlx', 'dead'),
    ]), emptyDiagram());
    const x = new Map(layoutDiagram(diagram).map((m) => [m.id, m.position.x]));
    expect(x.get('main')!).toBeLessThan(x.get('work')!);
    expect(x.get('work')!).toBeLessThan(x.get('dlx')!);
    expect(x.get('dlx')!).toBeLessThan(x.get('dead')!);
  });
});
