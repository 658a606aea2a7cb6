/**
 * The document as Svelte Flow sees it: one flow node per diagram node, one flow edge per link
 * (producer → target, binding, queue → consumer). Pure, so it is tested without a browser.
 */

import { MarkerType, type Edge, type EdgeMarker, type Node } from '@xyflow/svelte';
import type { Diagram, DiagramNode } from '../../document/types';

export type FlowNodeData = { node: DiagramNode };
export type FlowNode = Node<FlowNodeData, DiagramNode['kind']>;

/** What a flow edge stands for in the document, to delete it. */
export type LinkRef =
  | { kind: 'binding'; id: string }
  | { kind: 'producer'; producerId: string }
  | { kind: 'consumer'; consumerId: string };

export type FlowEdge = Edge<{ link: LinkRef }>;

/** An arrowhead in the theme's colour (markers take CSS values, so variables work). */
function arrow(color: string): EdgeMarker {
  return { type: MarkerType.ArrowClosed, width: 16, height: 16, color };
}

/** Each kind's colour, for the minimap. */
export const KIND_COLOR: Record<DiagramNode['kind'], string> = {
  producer: 'var(--tone-direct-fg)',
  exchange: 'var(--accent)',
  queue: 'var(--tone-fanout-fg)',
  consumer: 'var(--tone-topic-fg)',
};

export function toFlowNodes(diagram: Diagram, selected: ReadonlySet<string> = new Set()): FlowNode[] {
  return diagram.nodes.map((node) => ({
    id: node.id,
    type: node.kind,
    position: { x: node.position.x, y: node.position.y },
    data: { node },
    selected: selected.has(node.id),
  }));
}

export function toFlowEdges(diagram: Diagram, selected: ReadonlySet<string> = new Set()): FlowEdge[] {
  const edges: FlowEdge[] = [];
  for (const node of diagram.nodes) {
    if (node.kind === 'producer' && node.target) {
      const id = `publish:${node.id}`;
      edges.push({
        id,
        source: node.id,
        target: node.target.id,
        class: 'edge-publish',
        animated: true,
        markerEnd: arrow('var(--tone-direct-fg)'),
        selected: selected.has(id),
        data: { link: { kind: 'producer', producerId: node.id } },
      });
    }
  }
  for (const b of diagram.bindings) {
    edges.push({
      id: b.id,
      source: b.source,
      target: b.destination.id,
      class: 'edge-binding',
      markerEnd: arrow('var(--text-faint)'),
      label: b.routingKey === '' ? undefined : b.routingKey,
      selected: selected.has(b.id),
      data: { link: { kind: 'binding', id: b.id } },
    });
  }
  for (const node of diagram.nodes) {
    if (node.kind === 'consumer' && node.queue !== null) {
      const id = `consume:${node.id}`;
      edges.push({
        id,
        source: node.queue,
        target: node.id,
        class: 'edge-consume',
        markerEnd: arrow('var(--tone-topic-fg)'),
        selected: selected.has(id),
        data: { link: { kind: 'consumer', consumerId: node.id } },
      });
    }
  }
  return edges;
}
