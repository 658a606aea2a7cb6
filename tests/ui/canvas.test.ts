import { describe, expect, it } from 'vitest';
import {
  addNode,
  addNodes,
  batch,
  connect,
  createGateway,
  emptyDiagram,
  removeNodes,
  renameNode,
  unwrap,
  updateNode,
  validateDiagram,
  type Diagram,
} from '../../src/document/index';
import { exampleDiagram } from '../../src/ui/canvas/example';
import { bindingAriaLabel, bindingLabel, headersArguments, headersSummary } from '../../src/ui/canvas/edges/labels';
import { fannedPath, loopPath, relationPath, runsBackwards } from '../../src/ui/canvas/edges/paths';
import { relationEdges, relationOwner, removeRelation, toFlowEdges, toFlowNodes, type FlowNode } from '../../src/ui/canvas/flow';
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
      for (const b of spots.slice(i + 1)) expect(Math.abs(a.x - b.x) >= 252 || Math.abs(a.y - b.y) >= 172).toBe(true);
    }
  });

  it('keeps clear of a card as tall as it was measured', () => {
    const gateway = createGateway(emptyDiagram());
    gateway.apply(addNode({ kind: 'queue', id: 'tall', position: { x: 100, y: 100 } }));
    const spot = freeSpot(gateway.diagram, { x: 100, y: 100 }, new Map([['tall', { width: 200, height: 400 }]]));
    // Beside it or beyond its foot, never on it.
    expect(spot.x >= 100 + 200 + 32 || spot.x + 220 + 32 <= 100 || spot.y >= 100 + 400 + 32 || spot.y + 140 + 32 <= 100).toBe(true);
  });

  it('gives binding edges the custom type, with the label and its screen-reader text', () => {
    const edges = toFlowEdges(exampleDiagram());
    const orange = edges.find((e) => e.id === edges[1]!.id)!;
    expect(orange.type).toBe('binding');
    expect(orange.data?.binding?.label).toEqual({ text: '*.orange.*', muted: false });
    expect(orange.data?.binding?.ariaLabel).toBe('Binding key *.orange.* from topic_logs to orange, press Enter to edit');
    // The other links keep the default edge.
    expect(edges.filter((e) => e.type === undefined).map((e) => e.id)).toEqual(['publish:producer-1', 'consume:consumer-1', 'consume:consumer-2']);
  });
});

describe('canvas: binding labels', () => {
  it('shows an empty key visibly, and says when the exchange ignores keys', () => {
    expect(bindingLabel('', {}, 'direct')).toEqual({ text: '""', muted: true });
    expect(bindingLabel('', {}, 'topic')).toEqual({ text: '""', muted: true });
    expect(bindingLabel('', {}, 'fanout')).toEqual({ text: '(no key)', muted: true });
    expect(bindingLabel('', {}, 'x-local-random')).toEqual({ text: '(no key)', muted: true });
    expect(bindingLabel('ignored', {}, 'fanout')).toEqual({ text: 'ignored', muted: false });
    expect(bindingAriaLabel(bindingLabel('', {}, 'direct'), false, '', 'q')).toBe('Binding key "" (empty) from (default) to q, press Enter to edit');
  });

  it('shows a headers binding by its arguments, typed values as text', () => {
    const args = { 'x-match': 'any', format: 'pdf', size: { $long: 5 }, draft: false };
    expect(bindingLabel('ignored', args, 'headers')).toEqual({ text: 'any: format=pdf, size=5, draft=false', muted: false });
    expect(headersSummary({ type: 'report' })).toBe('all: type=report');
    expect(headersSummary({})).toBe('all: (no headers)');
    expect(headersSummary({ '<b>': '<i>x</i>' })).toBe('all: <b>=<i>x</i>');
  });

  it('turns the headers editor rows into arguments, keeping untouched typed values', () => {
    const original = { format: 'pdf', size: { $long: 5 } };
    const rows = [
      { key: 'format', value: 'pdf' },
      { key: 'size', value: '5' },
      { key: ' pages ', value: '12' },
      { key: '', value: '' },
    ];
    expect(headersArguments(original, 'all', rows)).toEqual({ ok: true, value: { format: 'pdf', size: { $long: 5 }, pages: 12 } });
    expect(headersArguments(original, 'any', [])).toEqual({ ok: true, value: { 'x-match': 'any' } });
    expect(headersArguments({ 'x-match': 'any' }, 'all', [])).toEqual({ ok: true, value: { 'x-match': 'all' } });
    expect(headersArguments({}, 'all', [{ key: 'a', value: '1' }, { key: 'a', value: '2' }])).toEqual({ ok: false, reason: "the header 'a' is there twice" });
    expect(headersArguments({}, 'all', [{ key: '', value: 'x' }]).ok).toBe(false);
    expect(headersArguments({}, 'all', [{ key: 'x-match', value: 'any' }]).ok).toBe(false);
    const proto = headersArguments({}, 'all', [{ key: '__proto__', value: 'x' }]);
    expect(proto.ok && Object.keys(proto.value)).toEqual(['__proto__']);
  });
});

/** The example plus a dead-letter exchange `dlx` and an alternate exchange `unrouted`. */
function withRelations(extra: { dlx?: unknown; dlrk?: string; ae?: unknown } = {}): Diagram {
  const build = batch('Relations', [
    addNodes([
      { kind: 'exchange', id: 'exchange-dlx', name: 'dlx', type: 'fanout', position: { x: 290, y: 420 } },
      { kind: 'exchange', id: 'exchange-ae', name: 'unrouted', type: 'fanout', position: { x: 290, y: -120 } },
    ]),
    updateNode('queue-1', { arguments: { 'x-dead-letter-exchange': extra.dlx ?? 'dlx', ...(extra.dlrk ? { 'x-dead-letter-routing-key': extra.dlrk } : {}) } }),
    updateNode('exchange-1', { arguments: { 'alternate-exchange': extra.ae ?? 'unrouted' } }),
  ]);
  return unwrap(build, exampleDiagram());
}

describe('canvas: dead-letter and alternate-exchange edges', () => {
  it('draws a dashed edge from a queue to its dead-letter exchange and from an exchange to its alternate', () => {
    const relations = toFlowEdges(withRelations()).filter((e) => e.type === 'relation');
    expect(relations.map((e) => ({ id: e.id, source: e.source, target: e.target, class: e.class, label: e.label, animated: e.animated, link: e.data?.link }))).toEqual([
      { id: 'alternate:exchange-1', source: 'exchange-1', target: 'exchange-ae', class: 'edge-alternate', label: 'alternate', animated: undefined, link: { kind: 'alternate', exchangeId: 'exchange-1' } },
      { id: 'dead-letter:queue-1', source: 'queue-1', target: 'exchange-dlx', class: 'edge-dead-letter', label: 'dead letters', animated: undefined, link: { kind: 'dead-letter', queueId: 'queue-1' } },
    ]);
    for (const e of relations) expect(e.markerEnd).toMatchObject({ type: 'arrowclosed' });
    expect(relations.find((e) => e.class === 'edge-dead-letter')!.markerEnd).toMatchObject({ color: 'var(--danger)' });
    expect(relations.find((e) => e.class === 'edge-alternate')!.markerEnd).toMatchObject({ color: 'var(--tone-headers-fg)' });
  });

  it('adds the dead-letter routing key to the label', () => {
    const edge = relationEdges(withRelations({ dlrk: 'failed.orange' })).find((e) => e.class === 'edge-dead-letter');
    expect(edge?.label).toBe('dead letters (key failed.orange)');
  });

  it('draws nothing when the named exchange is not in the diagram', () => {
    expect(relationEdges(withRelations({ dlx: 'elsewhere', ae: 'nowhere' }))).toEqual([]);
    expect(relationEdges(withRelations({ dlx: 42 }))).toHaveLength(1);
    // The default exchange is '' and drawn only when a node places it.
    const toDefault = withRelations({ dlx: '' });
    expect(relationEdges(toDefault).map((e) => e.id)).toEqual(['alternate:exchange-1']);
    const placed = unwrap(addNode({ kind: 'exchange', id: 'exchange-default', name: '', position: { x: 0, y: 500 } }), toDefault);
    expect(validateDiagram(placed)).toEqual([]);
    const edge = relationEdges(placed).find((e) => e.id === 'dead-letter:queue-1');
    expect(edge?.target).toBe('exchange-default');
  });

  it('draws no edge for an exchange that is its own alternate', () => {
    expect(relationEdges(withRelations({ ae: 'topic_logs' })).map((e) => e.id)).toEqual(['dead-letter:queue-1']);
  });

  it('keeps the selection of relation edges', () => {
    const edges = toFlowEdges(withRelations(), new Set(['dead-letter:queue-1']));
    expect(edges.filter((e) => e.selected).map((e) => e.id)).toEqual(['dead-letter:queue-1']);
  });

  it('deletes a relation by removing its argument, and names the node that holds it', () => {
    const gateway = createGateway(withRelations({ dlrk: 'failed' }));
    const dead = removeRelation(gateway.diagram, { kind: 'dead-letter', queueId: 'queue-1' })!;
    expect(gateway.apply(dead).ok).toBe(true);
    const queue = gateway.diagram.nodes.find((n) => n.id === 'queue-1');
    expect(queue?.kind === 'queue' && queue.arguments).toEqual({ 'x-dead-letter-routing-key': 'failed' });
    const alternate = removeRelation(gateway.diagram, { kind: 'alternate', exchangeId: 'exchange-1' })!;
    expect(gateway.apply(alternate).ok).toBe(true);
    expect(relationEdges(gateway.diagram)).toEqual([]);
    expect(removeRelation(gateway.diagram, { kind: 'binding', id: 'x' })).toBeNull();
    expect(removeRelation(gateway.diagram, { kind: 'dead-letter', queueId: 'gone' })).toBeNull();
    expect(relationOwner({ kind: 'alternate', exchangeId: 'exchange-1' })).toBe('exchange-1');
    expect(relationOwner({ kind: 'consumer', consumerId: 'c' })).toBeNull();
    gateway.undo();
    expect(relationEdges(gateway.diagram).map((e) => e.id)).toEqual(['alternate:exchange-1']);
  });

  it('lets a headers binding show its arguments on the edge', () => {
    const build = batch('Headers', [
      addNodes([{ kind: 'exchange', id: 'exchange-h', name: 'reports', type: 'headers', position: { x: 0, y: 600 } }]),
      connect('exchange-h', 'queue-2', { arguments: { 'x-match': 'all', format: 'pdf', type: 'report' } }),
    ]);
    const edge = toFlowEdges(unwrap(build, exampleDiagram())).find((e) => e.source === 'exchange-h');
    expect(edge?.label).toBe('all: format=pdf, type=report');
    expect(edge?.data?.binding?.headers).toBe(true);
    expect(edge?.data?.binding?.ariaLabel).toBe('Binding arguments all: format=pdf, type=report from reports to lazy, press Enter to edit');
  });
});

describe('canvas: relation edge paths', () => {
  it('curves forwards, and loops under both nodes when the exchange is behind', () => {
    const forwards = { sourceX: 0, sourceY: 0, targetX: 300, targetY: 100 };
    expect(runsBackwards(forwards)).toBe(false);
    expect(relationPath(forwards)[0]).toMatch(/^M ?0,0 ?C/);
    const backwards = { sourceX: 700, sourceY: 400, targetX: 450, targetY: 420 };
    expect(runsBackwards(backwards)).toBe(true);
    const [path, labelX, labelY] = relationPath(backwards);
    expect(path.startsWith('M 700,400')).toBe(true);
    expect(path.endsWith('450,420')).toBe(true);
    expect([labelX, labelY]).toEqual([575, 505]);
    // A second lane runs further out; a higher target loops over.
    expect(loopPath(backwards, 1)[2]).toBeGreaterThan(labelY);
    expect(loopPath({ sourceX: 700, sourceY: 400, targetX: 450, targetY: 100 })[2]).toBe(15);
  });
});

describe('flow nodes across renders', () => {
  it('keeps unchanged nodes as they were and carries measured sizes over to changed ones', () => {
    const gateway = createGateway(exampleDiagram());
    const first: FlowNode[] = toFlowNodes(gateway.diagram).map((n) => ({ ...n, measured: { width: 120, height: 80 } }));
    gateway.apply(renameNode('queue-1', 'apples'));
    const second = toFlowNodes(gateway.diagram, new Set(), first);
    const byId = (list: FlowNode[], id: string) => list.find((n) => n.id === id)!;
    expect(byId(second, 'exchange-1')).toBe(byId(first, 'exchange-1'));
    expect(byId(second, 'queue-1')).not.toBe(byId(first, 'queue-1'));
    expect(byId(second, 'queue-1').data.node.name).toBe('apples');
    expect(byId(second, 'queue-1').measured).toEqual({ width: 120, height: 80 });
  });

  it('does not keep a node whose flow position or selection differs from the document', () => {
    const diagram = exampleDiagram();
    const dragged = toFlowNodes(diagram).map((n) => (n.id === 'queue-2' ? { ...n, position: { x: 999, y: 999 } } : n));
    const next = toFlowNodes(diagram, new Set(['queue-1']), dragged);
    expect(next.find((n) => n.id === 'queue-2')!.position).toEqual(diagram.nodes.find((n) => n.id === 'queue-2')!.position);
    expect(next.find((n) => n.id === 'queue-1')!.selected).toBe(true);
  });
});

describe('bindings between the same two nodes', () => {
  it('are numbered in a fan, each with its own path and label spot', () => {
    const gateway = createGateway(exampleDiagram());
    gateway.apply(connect('exchange-1', 'queue-2'));
    const fan = toFlowEdges(gateway.diagram)
      .filter((e) => e.source === 'exchange-1' && e.target === 'queue-2')
      .map((e) => e.data!.binding!.parallel);
    expect(fan).toEqual([{ index: 0, count: 2 }, { index: 1, count: 2 }]);
    expect(toFlowEdges(gateway.diagram).find((e) => e.target === 'queue-1')!.data!.binding!.parallel).toEqual({ index: 0, count: 1 });

    const ends = { sourceX: 0, sourceY: 0, targetX: 200, targetY: 100 };
    const [a, ax, ay] = fannedPath(ends, 0, 2);
    const [b, bx, by] = fannedPath(ends, 1, 2);
    expect(a).not.toBe(b);
    expect(ax).toBe(bx);
    expect(by - ay).toBeGreaterThanOrEqual(30);
    expect((ay + by) / 2).toBe(50);
  });
});
