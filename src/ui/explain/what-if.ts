/**
 * The what-if answer on the canvas: a route by RabbitMQ names mapped onto the diagram's ids, so
 * the matching binding edges and the queues that would get a copy light up.
 */

import type { Diagram, DiagramNode } from '../../document/types';
import type { ShownRoute } from '../../worker/protocol';
import type { WhatIfMarks } from '../canvas/live.svelte';

export function whatIfMarks(route: ShownRoute, diagram: Diagram): WhatIfMarks {
  const byId = new Map<string, DiagramNode>(diagram.nodes.map((n) => [n.id, n]));
  const nameOf = (id: string) => byId.get(id);
  const edges: WhatIfMarks['edges'] = {};
  for (const visit of route.visits) {
    for (const v of visit.bindings) {
      for (const b of diagram.bindings) {
        const source = nameOf(b.source);
        const destination = nameOf(b.destination.id);
        if (source?.kind !== 'exchange' || source.name !== visit.exchange) continue;
        if (destination?.kind !== v.destinationKind || destination.name !== v.destination || b.routingKey !== v.bindingKey) continue;
        // A binding evaluated for several keys (CC) is a hit if any key matched.
        if (v.matched || edges[b.id] === undefined) edges[b.id] = v.matched ? 'hit' : 'miss';
      }
    }
  }
  const queues: WhatIfMarks['queues'] = {};
  for (const arrival of route.queues) {
    for (const n of diagram.nodes) {
      if (n.kind !== 'queue' || n.name !== arrival.queue) continue;
      queues[n.id] = arrival.result === 'refused' ? { result: 'refused', ...(arrival.reason ? { reason: arrival.reason } : {}) } : { result: 'receive' };
    }
  }
  return { edges, queues };
}
