/**
 * Relations a diagram holds in arguments rather than links: a queue's dead-letter exchange
 * (`x-dead-letter-exchange`) and an exchange's alternate exchange (`alternate-exchange`), each
 * to an exchange node of that name ('' is the default exchange). One pass over the nodes.
 */

import type { Diagram, ExchangeNode, QueueNode } from './types';

export type ArgumentRelation =
  | { kind: 'dead-letter'; from: QueueNode; to: ExchangeNode }
  | { kind: 'alternate'; from: ExchangeNode; to: ExchangeNode };

/** Every relation whose exchange is in the diagram; an exchange that is its own alternate is left out. */
export function argumentRelations(diagram: Diagram): ArgumentRelation[] {
  const exchanges = new Map<string, ExchangeNode>();
  for (const n of diagram.nodes) if (n.kind === 'exchange' && !exchanges.has(n.name)) exchanges.set(n.name, n);
  const relations: ArgumentRelation[] = [];
  for (const node of diagram.nodes) {
    if (node.kind === 'queue') {
      const dlx = node.arguments['x-dead-letter-exchange'];
      const to = typeof dlx === 'string' ? exchanges.get(dlx) : undefined;
      if (to) relations.push({ kind: 'dead-letter', from: node, to });
    } else if (node.kind === 'exchange') {
      const ae = node.arguments['alternate-exchange'];
      const to = typeof ae === 'string' ? exchanges.get(ae) : undefined;
      if (to && to.id !== node.id) relations.push({ kind: 'alternate', from: node, to });
    }
  }
  return relations;
}
