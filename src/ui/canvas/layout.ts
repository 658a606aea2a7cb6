/**
 * Auto-layout: a layered, left-to-right arrangement (producers → exchanges → queues → consumers)
 * by dagre, the Sugiyama layout Svelte Flow's own examples use. It is ~17 kB gzip, so the page
 * imports this module only when a person asks for a layout. Cost: dagre is roughly O(V·E) per
 * crossing-reduction sweep; 300 nodes lay out in tens of milliseconds, so it runs on the main
 * thread rather than in the worker.
 */

import dagre from '@dagrejs/dagre';
import type { NodeMove } from '../../document/actions';
import type { Diagram } from '../../document/types';
import { argumentRelations } from '../../document/relations';

export interface Size {
  width: number;
  height: number;
}

/** The links a layout follows, as [from, to] node ids: publish targets, bindings, subscriptions. */
export function layoutLinks(diagram: Diagram): Array<[string, string]> {
  const links: Array<[string, string]> = [];
  for (const node of diagram.nodes) {
    if (node.kind === 'producer' && node.target) links.push([node.id, node.target.id]);
    if (node.kind === 'consumer' && node.queue !== null) links.push([node.queue, node.id]);
  }
  for (const b of diagram.bindings) links.push([b.source, b.destination.id]);
  return links;
}

/**
 * Where each node goes (top-left corners, whole pixels), keeping the diagram's top-left corner
 * where it was so the view does not jump. Nodes with no size given count as 200×90.
 */
export function layoutDiagram(diagram: Diagram, sizes: ReadonlyMap<string, Size> = new Map()): NodeMove[] {
  if (diagram.nodes.length === 0) return [];
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 36, ranksep: 90, edgesep: 18, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of diagram.nodes) {
    const size = sizes.get(node.id) ?? { width: 200, height: 90 };
    graph.setNode(node.id, { width: size.width, height: size.height });
  }
  layoutLinks(diagram).forEach(([from, to], i) => {
    if (graph.hasNode(from) && graph.hasNode(to) && from !== to) graph.setEdge(from, to, {}, `l${i}`);
  });
  // Dead-letter and alternate exchanges go after what sends to them, but pull less than links.
  argumentRelations(diagram).forEach(({ from, to }, i) => {
    graph.setEdge(from.id, to.id, { weight: 0.25 }, `r${i}`);
  });
  dagre.layout(graph);

  const origin = {
    x: Math.min(...diagram.nodes.map((n) => n.position.x)),
    y: Math.min(...diagram.nodes.map((n) => n.position.y)),
  };
  const placed = diagram.nodes.map((node) => {
    const { x, y, width, height } = graph.node(node.id);
    return { id: node.id, x: x - width / 2, y: y - height / 2 };
  });
  const left = Math.min(...placed.map((p) => p.x));
  const top = Math.min(...placed.map((p) => p.y));
  return placed.map((p) => ({
    id: p.id,
    position: { x: Math.round(p.x - left + origin.x), y: Math.round(p.y - top + origin.y) },
  }));
}
