/**
 * "Why not here?": why the message a route trace describes did not reach a queue (or how it
 * did), read from the trace's verdicts against the current topology. Nothing here matches keys
 * or headers: a hop's fate is the verdict the router gave when the message was routed.
 *
 * The search looks at the frontier between what the message reached and what it did not: each
 * binding (and alternate exchange) going out of an exchange the trace visited into the queue,
 * or into an exchange the message never reached from which the queue can be reached now. Those
 * are the first failing hops of every path toward the queue. Which exchanges lead to the queue
 * comes from one walk forward over the exchanges reachable from the visited ones and one walk
 * back. Cost: O(bindings of those exchanges); each exchange is walked once, so cycles end.
 */

import { bindingId, type Binding } from './binding';
import { notFound } from './errors';
import type { RoutingTables } from './routing';
import type { BindingVerdict, ExchangeVisit, QueueArrival, RouteTrace } from './trace';

/** The current topology: exchanges (with their bindings and alternate exchange) and queues. A Vhost is one. */
export interface WhyNotTables extends RoutingTables {
  /** The vhost's name, for the NOT_FOUND text ("/" when absent). */
  readonly name?: string;
}

export interface WhyNot {
  queue: string;
  /** true when the message (this route) reached the queue and the queue took it. */
  arrived: boolean;
  /** One sentence answering "why not here?" (or what happened there). */
  summary: string;
  /** The specific reasons, most relevant first (empty when it arrived). */
  reasons: WhyNotReason[];
}

export type WhyNotReason =
  /** A binding on a path toward the queue, from an exchange the message reached, did not match. */
  | { kind: 'binding'; exchange: string; verdict: BindingVerdict; text: string }
  /** No binding path at all from the exchange(s) the message visited to the queue. */
  | { kind: 'no-path'; text: string }
  /** The queue does not exist. */
  | { kind: 'no-queue'; text: string }
  /** The alternate exchange leads to the queue, but is used only when no binding matched, and some did. */
  | { kind: 'alternate-not-taken'; exchange: string; alternate: string; text: string }
  /** The queue is reached through an exchange the message never reached (and why). */
  | { kind: 'exchange-not-reached'; exchange: string; text: string }
  /** The default exchange routes by queue name, and no routing key named this queue. */
  | { kind: 'default-exchange'; text: string }
  /** The message reached the queue, which refused it (full, x-overflow reject-publish). */
  | { kind: 'refused'; text: string }
  /** The message reached the queue, which dropped it at once. */
  | { kind: 'dropped'; text: string };

const q = (text: string): string => JSON.stringify(text);

export function explainWhyNot(trace: RouteTrace, queue: string, tables: WhyNotTables): WhyNot {
  const arrival = trace.queues.find((a) => a.queue === queue);
  if (arrival && (arrival.result === 'enqueued' || arrival.result === 'delivered')) {
    return { queue, arrived: true, summary: arrivedSummary(trace, arrival), reasons: [] };
  }
  if (arrival) return answer(queue, [[refusedOrDropped(arrival, tables)]]);
  if (!tables.queue(queue)) {
    const error = notFound('queue', queue, tables.name ?? '/').replyText;
    return answer(queue, [[{ kind: 'no-queue', text: `queue ${q(queue)} does not exist (${error})` }]]);
  }
  if (trace.exchange === '') return answer(queue, [[defaultExchangeReason(trace, queue)]]);
  const groups = frontier(trace, queue, tables);
  if (groups.length === 0) groups.push([{ kind: 'no-path', text: noPathText(trace, queue, tables) }]);
  return answer(queue, groups);
}

/**
 * Reasons come in groups, one per failing hop (a binding may fail for each of its routing keys);
 * the summary is the first group's first reason, and says how many other hops failed.
 */
function answer(queue: string, groups: WhyNotReason[][]): WhyNot {
  const others = groups.length - 1;
  const more = others === 0 ? '' : `; ${others} other ${others === 1 ? 'path' : 'paths'} toward it failed too`;
  return { queue, arrived: false, summary: `${groups[0]![0]!.text}${more}`, reasons: groups.flat() };
}

// ---- what the trace says happened at the queue --------------------------------------------------

function arrivedSummary(trace: RouteTrace, arrival: QueueArrival): string {
  let how = '';
  for (const visit of trace.visits) {
    const verdict = visit.bindings.find((v) => v.matched && v.destinationKind === 'queue' && v.destination === arrival.queue);
    if (!verdict) continue;
    how = visit.exchange === '' ? ` (${verdict.reason})` : ` through exchange ${q(visit.exchange)} (${verdict.reason})`;
    break;
  }
  const then = arrival.result === 'delivered' ? ', and went straight to a consumer' : arrival.reason ? `; ${arrival.reason}` : '';
  return `the message reached queue ${q(arrival.queue)}${how}${then}`;
}

function refusedOrDropped(arrival: QueueArrival, tables: WhyNotTables): WhyNotReason {
  const name = q(arrival.queue);
  if (arrival.result === 'dropped') return { kind: 'dropped', text: `queue ${name} dropped it: ${arrival.reason ?? 'it was over its length limit'}` };
  const now = tables.queue(arrival.queue);
  if (!now || now.overflow === 'drop-head') return { kind: 'refused', text: `queue ${name} refused it: ${arrival.reason ?? 'the queue was full'}` };
  const dlx = now.overflow === 'reject-publish-dlx' && now.deadLetterExchange !== undefined ? ', so it dead-lettered the message instead' : '';
  return { kind: 'refused', text: `queue ${name} was full and its overflow is ${now.overflow}${dlx}` };
}

function defaultExchangeReason(trace: RouteTrace, queue: string): WhyNotReason {
  const keys = [trace.routingKey, ...trace.cc, ...trace.bcc];
  if (keys.includes(queue)) {
    return { kind: 'default-exchange', text: `the default exchange sends a message to the queue its routing key names, and no queue was named ${q(queue)} when it was routed` };
  }
  const named = keys.length === 1 ? `routing key ${q(keys[0]!)} is not ${q(queue)}` : `none of the routing keys ${keys.map(q).join(', ')} is ${q(queue)}`;
  return { kind: 'default-exchange', text: `the default exchange routes by queue name: ${named}` };
}

function noPathText(trace: RouteTrace, queue: string, tables: WhyNotTables): string {
  const gone = tables.exchange(trace.exchange) ? '' : ` (exchange ${q(trace.exchange)} no longer exists)`;
  return `no path from exchange ${q(trace.exchange)} to queue ${q(queue)}${gone}`;
}

// ---- the frontier: first failing hops toward the queue -----------------------------------------

/** Failing hops out of the visited exchanges toward `queue`: bindings into it, then exchange hops, then alternates. */
function frontier(trace: RouteTrace, queue: string, tables: WhyNotTables): WhyNotReason[][] {
  const visits = new Map<string, ExchangeVisit>();
  for (const visit of trace.visits) if (!visits.has(visit.exchange)) visits.set(visit.exchange, visit);
  const leads = exchangesLeadingTo(tables, visits.keys(), queue);
  const intoQueue: WhyNotReason[][] = [];
  const hops: WhyNotReason[][] = [];
  const alternates: WhyNotReason[][] = [];
  for (const visit of visits.values()) {
    const x = tables.exchange(visit.exchange);
    if (!x || !leads.has(x.name)) continue;
    for (const b of x.bindings.values()) {
      if (b.destinationKind === 'queue') {
        if (b.destination === queue) pushGroup(intoQueue, bindingReasons(visit, b));
      } else if (!visits.has(b.destination) && leads.has(b.destination)) {
        pushGroup(hops, exchangeHopReasons(visit, b, queue));
      }
    }
    const ae = x.alternate;
    if (ae !== undefined && !visits.has(ae) && leads.has(ae)) alternates.push([alternateReason(visit, ae, queue)]);
  }
  return [...intoQueue, ...hops, ...alternates];
}

function pushGroup(groups: WhyNotReason[][], group: WhyNotReason[]): void {
  if (group.length > 0) groups.push(group);
}

/**
 * The exchanges from which `queue` can be reached now through bindings and alternate exchanges,
 * among those reachable from `starts`: a walk forward recording each edge, then a walk back
 * from the exchanges bound to the queue.
 */
function exchangesLeadingTo(tables: WhyNotTables, starts: Iterable<string>, queue: string): Set<string> {
  const from = new Map<string, string[]>();
  const leads = new Set<string>();
  const seen = new Set<string>(starts);
  const work = [...seen];
  const edge = (source: string, target: string) => {
    const sources = from.get(target);
    if (sources) sources.push(source);
    else from.set(target, [source]);
    if (!seen.has(target)) {
      seen.add(target);
      work.push(target);
    }
  };
  for (let i = 0; i < work.length; i++) {
    const x = tables.exchange(work[i]!);
    if (!x) continue;
    for (const b of x.bindings.values()) {
      if (b.destinationKind === 'exchange') edge(x.name, b.destination);
      else if (b.destination === queue) leads.add(x.name);
    }
    if (x.alternate !== undefined) edge(x.name, x.alternate);
  }
  const back = [...leads];
  for (let i = 0; i < back.length; i++) {
    for (const source of from.get(back[i]!) ?? []) {
      if (!leads.has(source)) {
        leads.add(source);
        back.push(source);
      }
    }
  }
  return leads;
}

/** The trace's verdicts for binding `b` of the visited exchange (one per routing key it was explained for). */
function verdictsFor(visit: ExchangeVisit, b: Binding): BindingVerdict[] {
  return visit.bindings.filter(
    (v) =>
      v.destinationKind === b.destinationKind &&
      v.destination === b.destination &&
      v.bindingKey === b.routingKey &&
      (v.arguments === b.arguments || bindingId(visit.exchange, v.destinationKind, v.destination, v.bindingKey, v.arguments) === b.id),
  );
}

/** A binding straight into the queue: one reason per routing key it did not match. */
function bindingReasons(visit: ExchangeVisit, b: Binding): WhyNotReason[] {
  const verdicts = verdictsFor(visit, b);
  if (verdicts.length === 0) return [{ kind: 'no-path', text: `${bindingName(visit.exchange, b)} was made after this message was routed` }];
  // One verdict that matched means the binding took it (the queue itself changed since).
  if (verdicts.some((v) => v.matched)) return [];
  return verdicts.map((verdict) => ({ kind: 'binding', exchange: visit.exchange, verdict, text: verdictText(visit.exchange, verdict) }));
}

/** A binding into an exchange the message never reached, which leads to the queue. */
function exchangeHopReasons(visit: ExchangeVisit, b: Binding, queue: string): WhyNotReason[] {
  const target = b.destination;
  const never = `the message never reached exchange ${q(target)}, which leads to queue ${q(queue)}`;
  const verdicts = verdictsFor(visit, b);
  if (verdicts.length === 0) {
    return [{ kind: 'exchange-not-reached', exchange: target, text: `${never}: ${bindingName(visit.exchange, b)} was made after this message was routed` }];
  }
  if (verdicts.some((v) => v.matched)) return [{ kind: 'exchange-not-reached', exchange: target, text: never }];
  const because = `${never}, because exchange ${q(visit.exchange)} did not route it there: ${verdictDetail(verdicts[0]!)}`;
  return [
    { kind: 'exchange-not-reached', exchange: target, text: because },
    ...verdicts.map((verdict): WhyNotReason => ({ kind: 'binding', exchange: visit.exchange, verdict, text: verdictText(visit.exchange, verdict) })),
  ];
}

/** The visited exchange's alternate exchange leads to the queue, and the message did not go there. */
function alternateReason(visit: ExchangeVisit, ae: string, queue: string): WhyNotReason {
  const x = q(visit.exchange);
  const taken = visit.alternate;
  if (taken) {
    const then = taken.name === ae ? 'it did not exist when this message was routed' : `the exchange's alternate was ${q(taken.name)} then`;
    return { kind: 'exchange-not-reached', exchange: ae, text: `no binding of exchange ${x} matched, but the message never reached its alternate exchange ${q(ae)}: ${then}` };
  }
  const matched = visit.bindings.filter((v) => v.matched);
  if (matched.length === 0) {
    return { kind: 'exchange-not-reached', exchange: ae, text: `exchange ${x} had no alternate exchange ${q(ae)} when this message was routed, so it never reached queue ${q(queue)} that way` };
  }
  const seen = new Set<string>();
  const names: string[] = [];
  for (const v of matched) {
    const name = `${v.destinationKind} ${q(v.destination)}${v.bindingKey === '' ? '' : ` (binding key ${q(v.bindingKey)})`}`;
    if (!seen.has(name)) names.push(name);
    seen.add(name);
  }
  const which = names.length === 1 ? `its binding to ${names[0]} matched` : `its bindings to ${names.slice(0, 2).join(' and ')}${names.length > 2 ? ` and ${names.length - 2} more` : ''} matched`;
  return {
    kind: 'alternate-not-taken',
    exchange: visit.exchange,
    alternate: ae,
    text: `exchange ${x} passes a message to its alternate exchange ${q(ae)} only when none of its bindings match, and ${which}`,
  };
}

// ---- texts from verdicts ------------------------------------------------------------------------

function bindingName(exchange: string, b: Binding): string {
  const key = b.routingKey === '' ? '' : ` with key ${q(b.routingKey)}`;
  return `the binding from exchange ${q(exchange)} to ${b.destinationKind} ${q(b.destination)}${key}`;
}

function verdictText(exchange: string, v: BindingVerdict): string {
  return `exchange ${q(exchange)} did not route it to ${v.destinationKind} ${q(v.destination)}: ${verdictDetail(v)}`;
}

/**
 * Why one binding did not match, in the verdict's own words: a topic reason with the binding
 * key named, the headers rows that failed, or the router's reason.
 */
function verdictDetail(v: BindingVerdict): string {
  if (v.headers) {
    const failed = v.headers.rows.filter((r) => r.verdict === 'mismatch' || r.verdict === 'missing');
    if (failed.length === 0) return v.reason;
    const rows = failed.map((r) => `header ${r.reason}`).join('; ');
    const any = v.headers.xMatch === 'any' || v.headers.xMatch === 'any-with-x';
    return any ? `x-match=${v.headers.xMatch} needs one header to match and none did: ${rows}` : rows;
  }
  if (v.topic) {
    const lead = 'the binding key ';
    const reason = v.topic.reason;
    if (reason.startsWith(lead)) return `${lead}${q(v.bindingKey)} ${reason.slice(lead.length)}`;
    return `binding key ${q(v.bindingKey)} does not match ${q(v.routingKey)} (${reason})`;
  }
  return v.reason;
}
