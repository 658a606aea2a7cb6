/**
 * The diagram's basics: an empty diagram, deterministic ids, lookups, and new nodes with good
 * defaults. Nothing here edits a diagram; edits are actions (actions.ts) run by the gateway.
 */

import { builtInExchange, isBuiltInExchange } from './builtins';
import { defaultName, namesOfKind } from './names';
import type {
  BindingEdge,
  ConsumerNode,
  Diagram,
  DiagramNode,
  ExchangeNode,
  NodeKind,
  Position,
  ProducerNode,
  QueueNode,
} from './types';

export { isBuiltInExchange, builtInExchange };

/** The kinds of element that get ids: the four node kinds and bindings. */
export type IdKind = NodeKind | 'binding';

/** The node type of one kind: `NodeOfKind<'queue'>` is `QueueNode`. */
export type NodeOfKind<K extends NodeKind> = Extract<DiagramNode, { kind: K }>;

/** A diagram with nothing on it. */
export function emptyDiagram(): Diagram {
  return { version: 1, nodes: [], bindings: [] };
}

/**
 * A fresh id for a new element: `<kind>-<n>`, n one more than the largest in use for that kind,
 * so it is deterministic and never collides with any node or binding id in the diagram.
 */
export function newId(kind: IdKind, diagram: Diagram): string {
  return idAllocator(diagram)(kind);
}

/**
 * Hands out successive fresh ids for one diagram, for edits that create several elements;
 * `reserved` ids (chosen by the caller for other new elements) are skipped too.
 */
export function idAllocator(diagram: Diagram, reserved: Iterable<string> = []): (kind: IdKind) => string {
  const taken = new Set<string>(reserved);
  for (const n of diagram.nodes) taken.add(n.id);
  for (const b of diagram.bindings) taken.add(b.id);
  const next = new Map<IdKind, number>();
  return (kind) => {
    let n = next.get(kind);
    if (n === undefined) {
      n = 0;
      const pattern = new RegExp(`^${kind}-(\\d+)$`);
      for (const id of taken) {
        const m = pattern.exec(id);
        if (m) n = Math.max(n, Number(m[1]));
      }
      n += 1;
    }
    while (taken.has(`${kind}-${n}`)) n++;
    const id = `${kind}-${n}`;
    taken.add(id);
    next.set(kind, n + 1);
    return id;
  };
}

/** The node with this id. */
export function nodeById(diagram: Diagram, id: string): DiagramNode | undefined {
  return diagram.nodes.find((n) => n.id === id);
}

/** The binding with this id. */
export function bindingById(diagram: Diagram, id: string): BindingEdge | undefined {
  return diagram.bindings.find((b) => b.id === id);
}

/** Every node of one kind, in diagram order. */
export function nodesOfKind<K extends NodeKind>(diagram: Diagram, kind: K): NodeOfKind<K>[] {
  return diagram.nodes.filter((n): n is NodeOfKind<K> => n.kind === kind);
}

/** The exchange node with this RabbitMQ name. */
export function exchangeByName(diagram: Diagram, name: string): ExchangeNode | undefined {
  return diagram.nodes.find((n): n is ExchangeNode => n.kind === 'exchange' && n.name === name);
}

/** The queue node with this RabbitMQ name. */
export function queueByName(diagram: Diagram, name: string): QueueNode | undefined {
  return diagram.nodes.find((n): n is QueueNode => n.kind === 'queue' && n.name === name);
}

/** A map from id to node, for code that looks up many. */
export function nodeIndex(diagram: Diagram): Map<string, DiagramNode> {
  return new Map(diagram.nodes.map((n) => [n.id, n]));
}

/**
 * A new node of a kind, not yet in the diagram: a fresh id, the first free default name
 * (`producer-1`, `exchange-1`, `queue-1`, `consumer-1`) and the defaults a newcomer expects:
 * a durable topic exchange, a durable classic queue, a producer publishing "Hello World!" once,
 * a running consumer with prefetch 1, manual acks and 1000 ms of work per message.
 */
export function defaultNode<K extends NodeKind>(kind: K, position: Position, diagram: Diagram): NodeOfKind<K> {
  const id = newId(kind, diagram);
  const name = defaultName(kind, namesOfKind(diagram, kind));
  return makeNode(kind, id, name, position) as NodeOfKind<K>;
}

/** The defaults of a node of a kind, with the given id, name and position. */
export function makeNode(kind: NodeKind, id: string, name: string, position: Position): DiagramNode {
  const at = { x: position.x, y: position.y };
  switch (kind) {
    case 'exchange': {
      const node: ExchangeNode = { id, kind, position: at, name, type: 'topic', durable: true, autoDelete: false, internal: false, arguments: {} };
      return withBuiltInDeclaration(node);
    }
    case 'queue': {
      const node: QueueNode = { id, kind, position: at, name, durable: true, exclusive: false, autoDelete: false, arguments: { 'x-queue-type': 'classic' } };
      return node;
    }
    case 'producer': {
      const node: ProducerNode = {
        id,
        kind,
        position: at,
        name,
        target: null,
        message: { routingKey: '', body: 'Hello World!', properties: {} },
        mode: { kind: 'once' },
      };
      return node;
    }
    case 'consumer': {
      const node: ConsumerNode = {
        id,
        kind,
        position: at,
        name,
        queue: null,
        prefetch: 1,
        ackMode: 'manual',
        workMs: 1000,
        failure: { rate: 0, action: 'nack-requeue' },
        running: true,
      };
      return node;
    }
  }
}

/** An exchange node named after a built-in gets the built-in's declaration; others are unchanged. */
export function withBuiltInDeclaration(node: ExchangeNode): ExchangeNode {
  const b = builtInExchange(node.name);
  if (!b) return node;
  return { ...node, type: b.type, durable: b.durable, autoDelete: b.autoDelete, internal: b.internal, arguments: {} };
}
