/**
 * What a console line changed on the broker, as one edit of the diagram: deleted queues,
 * exchanges and bindings leave it; declared ones join it (a binding brings the built-in exchange
 * it starts from, if the diagram lacks it). Names are matched with server-named queues' current
 * names. Loaded with the console, not with the page.
 */

import {
  addBinding,
  addNodes,
  batch,
  idAllocator,
  isBuiltInExchange,
  removeBindings,
  removeNodes,
  withServerNames,
  type Action,
  type Diagram,
  type DiagramNode,
  type ExchangeType,
  type NodeDraft,
  type Position,
} from '../../document/index';
import { canonicalJson } from '../../document/json';
import type { ConsoleBinding, ConsoleChanges } from '../../worker/protocol';

export interface Placement {
  /** A free spot near `wanted` in this diagram (the canvas knows the cards' sizes). */
  spot(diagram: Diagram, wanted: Position): Position;
  /** Where new nodes should go: the middle of the view. */
  center: Position;
}

/** The edit that brings `document` in line with `changes`, or null when there is nothing to do. */
export function adoptChanges(document: Diagram, serverNames: Readonly<Record<string, string>>, changes: ConsoleChanges, place: Placement, label: string): Action | null {
  const named = withServerNames(document, serverNames);
  const byName = (kind: 'queue' | 'exchange', name: string) => named.nodes.find((n) => n.kind === kind && n.name === name);
  const sameBinding = (b: ConsoleBinding) => (edge: Diagram['bindings'][number]) => {
    const source = named.nodes.find((n) => n.id === edge.source);
    const destination = named.nodes.find((n) => n.id === edge.destination.id);
    return source?.name === b.source && destination?.kind === b.destinationKind && destination.name === b.destination && edge.routingKey === b.routingKey && canonicalJson(edge.arguments) === canonicalJson(b.arguments);
  };

  const actions: Action[] = [];
  const goneNodes = new Set<string>();
  for (const name of changes.deleted.queues) byName('queue', name) && goneNodes.add(byName('queue', name)!.id);
  for (const name of changes.deleted.exchanges) byName('exchange', name) && goneNodes.add(byName('exchange', name)!.id);
  const goneEdges = changes.deleted.bindings.flatMap((b) => named.bindings.filter(sameBinding(b)).map((e) => e.id)).filter((id) => {
    const edge = named.bindings.find((e) => e.id === id)!;
    return !goneNodes.has(edge.source) && !goneNodes.has(edge.destination.id);
  });
  if (goneEdges.length > 0) actions.push(removeBindings(goneEdges));
  if (goneNodes.size > 0) actions.push(removeNodes([...goneNodes]));

  // New nodes get ids now, so the bindings can name them in the same edit.
  const allocate = idAllocator(document);
  const drafts: NodeDraft[] = [];
  const idOf = new Map<string, string>();
  const placed: DiagramNode[] = [];
  const at = (): Position => {
    const spot = place.spot({ ...document, nodes: [...document.nodes, ...placed] }, place.center);
    return spot;
  };
  const addDraft = (draft: NodeDraft & { id: string }) => {
    drafts.push(draft);
    placed.push({ ...(draft as unknown as DiagramNode) });
  };
  for (const x of changes.declared.exchanges) {
    if (byName('exchange', x.name)) continue;
    const id = allocate('exchange');
    idOf.set(`exchange:${x.name}`, id);
    addDraft({ kind: 'exchange', id, name: x.name, position: at(), type: x.type as ExchangeType, durable: x.durable, autoDelete: x.autoDelete, internal: x.internal, arguments: x.arguments });
  }
  for (const q of changes.declared.queues) {
    if (byName('queue', q.name) || q.name.startsWith('amq.gen-')) continue;
    const id = allocate('queue');
    idOf.set(`queue:${q.name}`, id);
    addDraft({ kind: 'queue', id, name: q.name, position: at(), durable: q.durable, exclusive: q.exclusive, autoDelete: q.autoDelete, arguments: q.arguments });
  }
  const nodeId = (kind: 'queue' | 'exchange', name: string): string | undefined => {
    const known = byName(kind, name)?.id ?? idOf.get(`${kind}:${name}`);
    if (known || kind !== 'exchange' || !isBuiltInExchange(name)) return known;
    // A binding from a built-in exchange the diagram does not show yet brings it along.
    const id = allocate('exchange');
    idOf.set(`exchange:${name}`, id);
    addDraft({ kind: 'exchange', id, name, position: at() });
    return id;
  };
  const edges: Action[] = [];
  for (const b of changes.declared.bindings) {
    if (named.bindings.some(sameBinding(b))) continue;
    const source = nodeId('exchange', b.source);
    const destination = nodeId(b.destinationKind, b.destination);
    if (source && destination) edges.push(addBinding(source, destination, { routingKey: b.routingKey, arguments: b.arguments }));
  }
  if (drafts.length > 0) actions.push(addNodes(drafts));
  actions.push(...edges);
  return actions.length === 0 ? null : batch(label, actions);
}
