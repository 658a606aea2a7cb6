/**
 * RabbitMQ's route walk (rabbit_exchange:route/2): start at the published-to exchange, ask its
 * router for matching bindings with every routing key (the message's own plus CC and BCC),
 * follow exchange destinations breadth-first, visiting each exchange at most once (so cycles
 * end), and collect each queue once however many paths lead to it. An exchange whose own
 * bindings matched nothing at all passes the message to its `alternate-exchange`, if that exists.
 * The default exchange routes straight to the queue named by each key.
 *
 * `route` is the hot path: it reuses scratch sets and builds nothing else. `routeTraced` walks the
 * same way and also records, for every exchange visited, each binding's verdict and reason.
 */

import type { Binding } from './binding';
import type { Exchange } from './exchange';
import type { FieldTable } from './field-table';
import type { Queue } from './queue';
import type { BindingVerdict, ExchangeVisit, RouteTrace } from './trace';

export interface RoutingTables {
  exchange(name: string): Exchange | undefined;
  queue(name: string): Queue | undefined;
}

let routeStamp = 0;
/** Reused for the matched bindings of one exchange; `route` does not re-enter itself. */
const scratch: Binding[] = [];

/** The queues a message reaches, each once, in the order first reached. */
export function route(
  tables: RoutingTables,
  start: Exchange,
  keys: readonly string[],
  headers: FieldTable | undefined,
): Queue[] {
  const stamp = ++routeStamp;
  const queues: Queue[] = [];
  if (start.isDefault) {
    for (const key of keys) {
      const q = tables.queue(key);
      if (q && q.routeStamp !== stamp) {
        q.routeStamp = stamp;
        queues.push(q);
      }
    }
    return queues;
  }
  const matched = scratch;
  matched.length = 0;
  start.router.route(keys, headers, matched);
  if (matched.length === 0 && start.alternate === undefined) return queues;
  // Fast path: one exchange, only queue destinations.
  let onlyQueues = matched.length > 0;
  for (const b of matched) {
    if (b.destinationKind !== 'queue') {
      onlyQueues = false;
      break;
    }
    const q = b.target as Queue;
    if (q.routeStamp !== stamp) {
      q.routeStamp = stamp;
      queues.push(q);
    }
  }
  matched.length = 0;
  if (onlyQueues) return queues;
  const all = new Set<Queue>();
  walk(tables, start, keys, headers, all, undefined);
  return [...all];
}

/** Like `route`, and fills `trace.visits` with every exchange visited and binding evaluated. */
export function routeTraced(
  tables: RoutingTables,
  start: Exchange,
  keys: readonly string[],
  headers: FieldTable | undefined,
  trace: RouteTrace,
): Queue[] {
  const queues = new Set<Queue>();
  if (start.isDefault) {
    trace.visits.push(defaultExchangeVisit(tables, keys, queues));
    return [...queues];
  }
  walk(tables, start, keys, headers, queues, trace);
  return [...queues];
}

type Via = ExchangeVisit['via'];

function walk(
  tables: RoutingTables,
  start: Exchange,
  keys: readonly string[],
  headers: FieldTable | undefined,
  queues: Set<Queue>,
  trace: RouteTrace | undefined,
): void {
  const seen = new Set<string>([start.name]);
  const work: { x: Exchange; via: Via }[] = [{ x: start, via: { kind: 'publish' } }];
  for (let i = 0; i < work.length; i++) {
    const { x, via } = work[i]!;
    const matched: Binding[] = [];
    x.router.route(keys, headers, matched);
    const visit = trace ? recordVisit(trace, x, via, keys, headers) : undefined;
    if (matched.length === 0) {
      const ae = x.alternate;
      if (ae !== undefined) {
        const target = tables.exchange(ae);
        if (visit) visit.alternate = { name: ae, exists: target !== undefined };
        if (target && !seen.has(ae)) {
          seen.add(ae);
          work.push({ x: target, via: { kind: 'alternate', from: x.name } });
        }
      }
      continue;
    }
    for (const b of matched) {
      if (b.destinationKind === 'queue') {
        queues.add(b.target as Queue);
      } else if (!seen.has(b.destination)) {
        seen.add(b.destination);
        const target = tables.exchange(b.destination);
        if (target) work.push({ x: target, via: { kind: 'exchange-binding', from: x.name } });
      }
    }
  }
}

/** Every binding of `x` with its verdict: per routing key where the type reads keys. */
function recordVisit(
  trace: RouteTrace,
  x: Exchange,
  via: Via,
  keys: readonly string[],
  headers: FieldTable | undefined,
): ExchangeVisit {
  const bindings: BindingVerdict[] = [];
  const keysToExplain = x.router.usesRoutingKey ? keys : keys.slice(0, 1);
  for (const b of x.bindings.values()) {
    for (const key of keysToExplain) {
      const verdict = x.router.explain(b, key, headers);
      bindings.push({
        destinationKind: b.destinationKind,
        destination: b.destination,
        bindingKey: b.routingKey,
        arguments: b.arguments,
        routingKey: key,
        ...verdict,
      });
    }
  }
  const visit: ExchangeVisit = { exchange: x.name, type: x.type, via, bindings };
  trace.visits.push(visit);
  return visit;
}

function defaultExchangeVisit(tables: RoutingTables, keys: readonly string[], queues: Set<Queue>): ExchangeVisit {
  const bindings: BindingVerdict[] = keys.map((key) => {
    const q = tables.queue(key);
    if (q) queues.add(q);
    return {
      destinationKind: 'queue',
      destination: key,
      bindingKey: key,
      arguments: {},
      routingKey: key,
      matched: q !== undefined,
      reason: q
        ? `the default exchange delivers to the queue named ${JSON.stringify(key)}`
        : `no queue is named ${JSON.stringify(key)}, so the default exchange has nowhere to send it`,
    };
  });
  return { exchange: '', type: 'direct', via: { kind: 'publish' }, bindings };
}
