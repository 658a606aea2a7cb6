/**
 * The document as Svelte Flow sees it: one flow node per diagram node, one flow edge per link
 * (producer → target, binding, queue → consumer), and dashed edges for the relations held in
 * arguments (a queue's dead-letter exchange, an exchange's alternate exchange) when the exchange
 * they name is drawn. Pure, so it is tested without a browser.
 */

import { MarkerType, type Edge, type EdgeMarker, type Node } from '@xyflow/svelte';
import { updateNode, type Action } from '../../document/index';
import { argumentRelations } from '../../document/relations';
import type { BindingEdge, Diagram, DiagramNode, ExchangeNode } from '../../document/types';
import { withEntry } from '../table-text';
import { bindingAriaLabel, bindingLabel, deadLetterLabel, exchangeName, type KeyLabel } from './edges/labels';

export type FlowNodeData = { node: DiagramNode };
export type FlowNode = Node<FlowNodeData, DiagramNode['kind']>;

/** What a flow edge stands for in the document, to delete it. */
export type LinkRef =
  | { kind: 'binding'; id: string }
  | { kind: 'producer'; producerId: string }
  | { kind: 'consumer'; consumerId: string }
  /** A queue's `x-dead-letter-exchange` argument. */
  | { kind: 'dead-letter'; queueId: string }
  /** An exchange's `alternate-exchange` argument. */
  | { kind: 'alternate'; exchangeId: string };

/** What a binding edge's label needs: the binding, how to show it, and its ends' names. */
export interface BindingView {
  binding: BindingEdge;
  /** From a headers exchange: the label shows and edits the arguments, not the key. */
  headers: boolean;
  label: KeyLabel;
  ariaLabel: string;
  /** Its place among the bindings between the same two nodes, which are drawn fanned out. */
  parallel: { index: number; count: number };
}

export type FlowEdgeData = { link: LinkRef; binding?: BindingView };
export type FlowEdge = Edge<FlowEdgeData>;

/** The edge ids of the argument relations, so the animation can follow them by id. */
export const deadLetterEdgeId = (queueId: string) => `dead-letter:${queueId}`;
export const alternateEdgeId = (exchangeId: string) => `alternate:${exchangeId}`;

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

/**
 * The flow nodes of a diagram. Given the previous flow nodes, an unchanged node keeps its object
 * (Svelte Flow then skips it) and a changed one keeps its measured size: without it Svelte Flow
 * re-measures, hides every edge for a frame and re-creates the edge components.
 */
export function toFlowNodes(diagram: Diagram, selected: ReadonlySet<string> = new Set(), previous: readonly FlowNode[] = []): FlowNode[] {
  const before = new Map(previous.map((n) => [n.id, n]));
  return diagram.nodes.map((node) => {
    const old = before.get(node.id);
    const isSelected = selected.has(node.id);
    const same =
      old?.data.node === node && (old.selected ?? false) === isSelected &&
      old.position.x === node.position.x && old.position.y === node.position.y;
    if (same) return old;
    const next: FlowNode = {
      id: node.id,
      type: node.kind,
      position: { x: node.position.x, y: node.position.y },
      data: { node },
      selected: isSelected,
    };
    if (old?.measured) next.measured = old.measured;
    return next;
  });
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
        markerEnd: arrow('var(--tone-direct-fg)'),
        selected: selected.has(id),
        data: { link: { kind: 'producer', producerId: node.id } },
      });
    }
  }
  const byId = new Map(diagram.nodes.map((n) => [n.id, n]));
  const pairKey = (b: BindingEdge) => `${b.source}>${b.destination.id}`;
  const pairCounts = new Map<string, number>();
  for (const b of diagram.bindings) pairCounts.set(pairKey(b), (pairCounts.get(pairKey(b)) ?? 0) + 1);
  const pairSeen = new Map<string, number>();
  for (const b of diagram.bindings) {
    const index = pairSeen.get(pairKey(b)) ?? 0;
    pairSeen.set(pairKey(b), index + 1);
    const view = bindingView(b, byId, { index, count: pairCounts.get(pairKey(b))! });
    edges.push({
      id: b.id,
      type: 'binding',
      source: b.source,
      target: b.destination.id,
      class: 'edge-binding',
      markerEnd: arrow('var(--text-faint)'),
      label: view.label.text,
      selected: selected.has(b.id),
      data: { link: { kind: 'binding', id: b.id }, binding: view },
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
  edges.push(...relationEdges(diagram, selected));
  return edges;
}

function bindingView(b: BindingEdge, byId: ReadonlyMap<string, DiagramNode>, parallel: BindingView['parallel']): BindingView {
  const source = byId.get(b.source);
  const type = source?.kind === 'exchange' ? source.type : null;
  const label = bindingLabel(b.routingKey, b.arguments, type);
  const headers = type === 'headers';
  const from = source?.name ?? b.source;
  const to = byId.get(b.destination.id)?.name ?? b.destination.id;
  return { binding: b, headers, label, ariaLabel: bindingAriaLabel(label, headers, from, to), parallel };
}

/**
 * The dashed edges of relations held in arguments: queue → its dead-letter exchange, exchange →
 * its alternate exchange. Drawn only when an exchange node of that name is in the diagram ('' is
 * the default exchange); they are not links, so they are not animated.
 */
export function relationEdges(diagram: Diagram, selected: ReadonlySet<string> = new Set()): FlowEdge[] {
  return argumentRelations(diagram).map((relation): FlowEdge => {
    if (relation.kind === 'dead-letter') {
      const { from: queue, to: target } = relation;
      const id = deadLetterEdgeId(queue.id);
      const label = deadLetterLabel(queue.arguments['x-dead-letter-routing-key']);
      return {
        id,
        type: 'relation',
        source: queue.id,
        target: target.id,
        class: 'edge-dead-letter',
        markerEnd: arrow('var(--danger)'),
        label,
        ariaLabel: `Dead-letter exchange of ${queue.name}: ${exchangeName(target.name)} (${label})`,
        selected: selected.has(id),
        data: { link: { kind: 'dead-letter', queueId: queue.id } },
      };
    }
    const { from: exchange, to: target } = relation;
    const id = alternateEdgeId(exchange.id);
    return {
      id,
      type: 'relation',
      source: exchange.id,
      target: target.id,
      class: 'edge-alternate',
      markerEnd: arrow('var(--tone-headers-fg)'),
      label: 'alternate',
      ariaLabel: `Alternate exchange of ${exchangeName(exchange.name)}: ${exchangeName(target.name)}`,
      selected: selected.has(id),
      data: { link: { kind: 'alternate', exchangeId: exchange.id } },
    };
  });
}

/**
 * The edit that deletes a relation edge: the argument it stands for, removed from its node.
 * Null for links that are not relations, or when the node is gone.
 */
export function removeRelation(diagram: Diagram, link: LinkRef): Action | null {
  const owner = relationOwner(link);
  const node = owner === null ? undefined : diagram.nodes.find((n) => n.id === owner);
  if (node?.kind === 'queue' && link.kind === 'dead-letter') {
    return updateNode(node.id, { arguments: withEntry(node.arguments, 'x-dead-letter-exchange', undefined) });
  }
  if (node?.kind === 'exchange' && link.kind === 'alternate') {
    return updateNode(node.id, { arguments: withEntry(node.arguments, 'alternate-exchange', undefined) });
  }
  return null;
}

/** The node whose argument a relation edge shows (what the inspector edits when it is selected). */
export function relationOwner(link: LinkRef): string | null {
  return link.kind === 'dead-letter' ? link.queueId : link.kind === 'alternate' ? link.exchangeId : null;
}
