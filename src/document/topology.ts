/**
 * What the broker must hold for a diagram, by RabbitMQ names: its exchanges, queues and
 * bindings (`topologyOf`), and the broker operations that turn one topology into another
 * (`diffTopology`). Built-in exchanges are never declared or deleted: they always exist.
 * The clients (producers, consumers) are derived in clients.ts and exported from here too.
 */

import { isBuiltInExchange } from './builtins';
import { canonicalJson } from './json';
import { DIRECT_REPLY_TO } from './names';
import type { Diagram, DiagramNode, ExchangeType, JsonTable } from './types';

export { clientsOf, type Clients, type ProducerClient, type ConsumerClient } from './clients';

/** An exchange as `exchange.declare` gets it. */
export interface ExchangeSpec {
  name: string;
  type: ExchangeType;
  durable: boolean;
  autoDelete: boolean;
  internal: boolean;
  arguments: JsonTable;
}

/** A queue as `queue.declare` gets it. */
export interface QueueSpec {
  name: string;
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
  arguments: JsonTable;
}

/** A binding by names: `exchange.bind`/`queue.bind` from `source` to `destination`. */
export interface BindingSpec {
  source: string;
  destinationKind: 'queue' | 'exchange';
  destination: string;
  routingKey: string;
  arguments: JsonTable;
}

/** What the broker holds for a diagram, each list sorted (exchanges and queues by name, bindings by identity). */
export interface Topology {
  exchanges: ExchangeSpec[];
  queues: QueueSpec[];
  bindings: BindingSpec[];
}

/** One broker operation. Deleting or unbinding what is missing succeeds, as in RabbitMQ 4.x. */
export type TopologyOp =
  | ({ op: 'declareExchange' } & ExchangeSpec)
  | { op: 'deleteExchange'; name: string }
  | ({ op: 'declareQueue' } & QueueSpec)
  | { op: 'deleteQueue'; name: string }
  | ({ op: 'bind' } & BindingSpec)
  | ({ op: 'unbind' } & BindingSpec);

/** A binding's identity, as RabbitMQ's: source, destination, key and arguments (any key order). */
export function bindingSpecKey(b: BindingSpec): string {
  return JSON.stringify([b.source, b.destinationKind, b.destination, b.routingKey, canonicalJson(b.arguments)]);
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);


/**
 * The exchanges, queues and bindings the broker must hold for a diagram, by RabbitMQ names.
 * Built-in exchanges are left out (they exist already) but bindings from or to them are in;
 * so are server-named queues the broker has not named yet (see `withServerNames`) and Direct
 * Reply-to's pseudo-queue, which is never declared.
 * Values are shared with the diagram: do not mutate them.
 */
export function topologyOf(diagram: Diagram): Topology {
  const byId = new Map<string, DiagramNode>(diagram.nodes.map((n) => [n.id, n]));
  const exchanges: ExchangeSpec[] = [];
  const queues: QueueSpec[] = [];
  for (const n of diagram.nodes) {
    if (n.kind === 'exchange' && !isBuiltInExchange(n.name)) {
      exchanges.push({ name: n.name, type: n.type, durable: n.durable, autoDelete: n.autoDelete, internal: n.internal, arguments: n.arguments });
    } else if (n.kind === 'queue' && n.name !== '' && n.name !== DIRECT_REPLY_TO) {
      queues.push({ name: n.name, durable: n.durable, exclusive: n.exclusive, autoDelete: n.autoDelete, arguments: n.arguments });
    }
  }
  const bindings = new Map<string, BindingSpec>();
  for (const b of diagram.bindings) {
    const source = byId.get(b.source);
    const destination = byId.get(b.destination.id);
    // A valid diagram has both ends; skip what could not be bound anyway.
    if (source?.kind !== 'exchange' || source.name === '' || (destination?.kind !== 'queue' && destination?.kind !== 'exchange')) continue;
    if (destination.name === '') continue; // the default exchange, or a queue not named yet
    const spec: BindingSpec = { source: source.name, destinationKind: destination.kind, destination: destination.name, routingKey: b.routingKey, arguments: b.arguments };
    bindings.set(bindingSpecKey(spec), spec);
  }
  exchanges.sort((a, b) => byText(a.name, b.name));
  queues.sort((a, b) => byText(a.name, b.name));
  return { exchanges, queues, bindings: [...bindings.entries()].sort(([a], [b]) => byText(a, b)).map(([, spec]) => spec) };
}

/** True when two exchange declarations are the same (RabbitMQ would accept the second as is). */
export function sameExchange(a: ExchangeSpec, b: ExchangeSpec): boolean {
  return a.type === b.type && a.durable === b.durable && a.autoDelete === b.autoDelete && a.internal === b.internal && canonicalJson(a.arguments) === canonicalJson(b.arguments);
}

/** True when two queue declarations are the same. */
export function sameQueue(a: QueueSpec, b: QueueSpec): boolean {
  return a.durable === b.durable && a.exclusive === b.exclusive && a.autoDelete === b.autoDelete && canonicalJson(a.arguments) === canonicalJson(b.arguments);
}

/**
 * The operations that turn a broker holding `before` into one holding `after`, in this order:
 * unbinds, deletions (queues, then exchanges), declarations (exchanges, then queues), binds.
 *
 * - Entities are matched by name, so a rename is a delete and a declare.
 * - An entity whose declaration changed (type, flags, arguments) is deleted and declared again,
 *   since RabbitMQ refuses an inequivalent redeclare, and its bindings are made again.
 * - An auto-delete exchange that would lose its last binding is deleted by RabbitMQ on the spot
 *   (with the bindings into it), so it is treated the same way: deleted, declared, rebound.
 *
 * It assumes the broker holds exactly `before`: queues gone at runtime (auto-delete after their
 * last consumer, exclusive ones with their connection, x-expires) are not its business.
 */
export function diffTopology(before: Topology, after: Topology): TopologyOp[] {
  const exBefore = new Map(before.exchanges.map((x) => [x.name, x]));
  const exAfter = new Map(after.exchanges.map((x) => [x.name, x]));
  const qBefore = new Map(before.queues.map((q) => [q.name, q]));
  const qAfter = new Map(after.queues.map((q) => [q.name, q]));
  const bBefore = new Map(before.bindings.map((b) => [bindingSpecKey(b), b]));
  const bAfter = new Map(after.bindings.map((b) => [bindingSpecKey(b), b]));

  const remadeExchanges = new Set<string>();
  for (const [name, x] of exBefore) {
    const y = exAfter.get(name);
    if (y && !sameExchange(x, y)) remadeExchanges.add(name);
  }
  const remadeQueues = new Set<string>();
  for (const [name, q] of qBefore) {
    const r = qAfter.get(name);
    if (r && !sameQueue(q, r)) remadeQueues.add(name);
  }

  const touchesRemade = (b: BindingSpec) =>
    remadeExchanges.has(b.source) || (b.destinationKind === 'exchange' ? remadeExchanges.has(b.destination) : remadeQueues.has(b.destination));
  const unbinds = () => [...bBefore].filter(([key, b]) => !bAfter.has(key) || touchesRemade(b));

  // Auto-delete exchanges that lose every outgoing binding go away in the broker; until no more do.
  for (;;) {
    const unbound = new Set(unbinds().map(([key]) => key));
    const outgoing = new Map<string, string[]>();
    for (const [key, b] of bBefore) outgoing.set(b.source, [...(outgoing.get(b.source) ?? []), key]);
    let grew = false;
    for (const [name, keys] of outgoing) {
      const x = exBefore.get(name);
      if (!x || !x.autoDelete || !exAfter.has(name) || remadeExchanges.has(name)) continue;
      if (keys.every((k) => unbound.has(k))) {
        remadeExchanges.add(name);
        grew = true;
      }
    }
    if (!grew) break;
  }

  const ops: TopologyOp[] = [];
  for (const [, b] of unbinds()) ops.push({ op: 'unbind', ...b });
  for (const [name] of qBefore) if (!qAfter.has(name) || remadeQueues.has(name)) ops.push({ op: 'deleteQueue', name });
  for (const [name] of exBefore) if (!exAfter.has(name) || remadeExchanges.has(name)) ops.push({ op: 'deleteExchange', name });
  for (const [name, x] of exAfter) if (!exBefore.has(name) || remadeExchanges.has(name)) ops.push({ op: 'declareExchange', ...x });
  for (const [name, q] of qAfter) if (!qBefore.has(name) || remadeQueues.has(name)) ops.push({ op: 'declareQueue', ...q });
  for (const [key, b] of bAfter) if (!bBefore.has(key) || touchesRemade(b)) ops.push({ op: 'bind', ...b });
  return ops;
}
