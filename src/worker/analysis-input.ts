/**
 * A diagram as the core's binding analysis reads it: RabbitMQ names, typed argument tables, and
 * every binding edge under its document id — duplicates included, since finding them is a lint.
 * Built-in exchanges drawn on the canvas come with their real types.
 */

import { fieldTableFromJSON, type FieldTable } from '../broker/index';
import type { TopologyInput } from '../broker/analysis/index';
import { builtInExchange, type Diagram, type DiagramNode, type JsonTable } from '../document/index';
import { DIRECT_REPLY_TO } from '../document/names';
import { clientsOf } from '../document/topology';

/** A table that does not parse is analysed as empty: the inspector already reports it. */
function tableOf(json: JsonTable): FieldTable {
  try {
    return fieldTableFromJSON(json);
  } catch {
    return fieldTableFromJSON({});
  }
}

export function analysisInputOf(named: Diagram): TopologyInput {
  // A server-named queue the broker has not named yet is still a queue of its own.
  // Direct Reply-to's pseudo-queue is no queue: nothing binds it, so it is left out with its consumers.
  const replyTo = new Set(named.nodes.filter((n) => n.kind === 'queue' && n.name === DIRECT_REPLY_TO).map((n) => n.id));
  const nodes = named.nodes
    .filter((n) => !replyTo.has(n.id) && !(n.kind === 'consumer' && n.queue !== null && replyTo.has(n.queue)))
    .map((n) => (n.kind === 'queue' && n.name === '' ? { ...n, name: `(server-named ${n.id})` } : n));
  const diagram = { ...named, nodes };
  const byId = new Map<string, DiagramNode>(diagram.nodes.map((n) => [n.id, n]));
  const input: TopologyInput = { exchanges: [], queues: [], bindings: [], publishers: [], consumers: [] };
  const exchangeNames = new Set<string>();
  for (const n of diagram.nodes) {
    if (n.kind === 'exchange' && !exchangeNames.has(n.name)) {
      exchangeNames.add(n.name);
      const builtIn = builtInExchange(n.name);
      input.exchanges.push({ name: n.name, type: builtIn?.type ?? n.type, arguments: tableOf(n.arguments) });
    } else if (n.kind === 'queue') {
      input.queues.push({ name: n.name, arguments: tableOf(n.arguments) });
    }
  }
  for (const b of diagram.bindings) {
    const source = byId.get(b.source);
    const destination = byId.get(b.destination.id);
    if (source?.kind !== 'exchange' || (destination?.kind !== 'queue' && destination?.kind !== 'exchange')) continue;
    input.bindings.push({
      id: b.id,
      source: source.name,
      destinationKind: destination.kind,
      destination: destination.name,
      routingKey: b.routingKey,
      arguments: tableOf(b.arguments),
    });
  }
  const clients = clientsOf(diagram);
  for (const p of clients.producers) {
    if (p.target) input.publishers.push({ id: p.id, exchange: p.target.exchange, routingKey: p.target.routingKey });
  }
  for (const c of clients.consumers) {
    if (c.queue !== null) input.consumers.push({ id: c.id, queue: c.queue });
  }
  return input;
}
