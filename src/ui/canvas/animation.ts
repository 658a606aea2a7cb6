/**
 * Message animation, as data: broker events in, animation jobs out (dots that travel from one
 * node to another, along a flow edge when there is one, and marks that flash at a node). Pure,
 * so it is tested without a browser; MessageLayer.svelte draws the jobs.
 *
 * Times here are the layer's wall-clock ms (performance.now()); a message's later steps wait for
 * its earlier dots to arrive, so a delivery starts where the publish dot ends.
 */

import type { Diagram, DiagramNode } from '../../document/types';
import type { BrokerEvent, ClientState } from '../../worker/protocol';

/** A publish's route trace (the UI reaches broker types only through the worker protocol). */
type RouteTrace = Extract<BrokerEvent, { type: 'publish' }>['trace'];

/** `requeue` and `return` travel their edge backwards (to the queue, to the producer). */
export type DotTone = 'publish' | 'route' | 'deliver' | 'requeue' | 'return' | 'dead-letter' | 'alternate';
export type MarkTone = 'error' | 'warn' | 'ok' | 'info';

export interface DotJob {
  kind: 'dot';
  id: number;
  messageId: number;
  /** Node ids. */
  from: string;
  to: string;
  /** The flow edge it travels along, or null: a straight line. */
  edge: string | null;
  tone: DotTone;
  start: number;
  duration: number;
}

export interface MarkJob {
  kind: 'mark';
  id: number;
  messageId: number | null;
  node: string;
  tone: MarkTone;
  /**
   * A short word: "unroutable", "alternate", "returned", "refused", "head dropped", "dropped",
   * "expired", "dead-lettered", "acked", "nacked", "rejected", "requeued", "redelivered".
   */
  label: string;
  /** Why, when there is more to say (the trace's reason). */
  reason?: string;
  start: number;
  duration: number;
}

export type AnimationJob = DotJob | MarkJob;

/** What names in events mean on the canvas. */
export interface AnimationContext {
  diagram: Diagram;
  /** The clients' server-side ids (connection, channel, consumer tag). */
  clients: readonly ClientState[];
  /** The producer the UI last asked to publish, for publishes no client claims. */
  lastPublisher?: string | null;
  vhost?: string;
}

export interface PlannerOptions {
  /** One hop's travel time at 1×, ms. */
  hopMs?: number;
  /** How long a mark stays, at 1×, ms. */
  markMs?: number;
}

/** A trace's routing keys, quoted: `"a.b", "c"`. */
function keysOf(trace: RouteTrace): string {
  return [trace.routingKey, ...trace.cc, ...trace.bcc].map((k) => `"${k}"`).join(', ');
}

/** Why an unroutable or returned message went nowhere, in one sentence, from its trace. */
export function unroutableReason(trace: RouteTrace): string {
  const visit = trace.visits[0];
  const keys = keysOf(trace);
  if (!visit) return `exchange "${trace.exchange}" does not exist`;
  if (visit.alternate && !visit.alternate.exists) return `no binding matched ${keys}; alternate exchange "${visit.alternate.name}" does not exist`;
  const bindings = trace.visits.flatMap((v) => v.bindings);
  if (bindings.length === 0) return `exchange "${visit.exchange || '(default)'}" has no bindings`;
  const distinct = new Set(bindings.map((b) => b.reason));
  if (distinct.size === 1) return bindings[0]!.reason;
  return `no binding matched ${keys}`;
}

export class AnimationPlanner {
  readonly hopMs: number;
  readonly markMs: number;
  #nextId = 1;
  /** When a message's dot reaches a node: `${messageId}@${nodeId}` → ms. */
  #arrivals = new Map<string, number>();
  /** The clients last known: a batch of events comes with them only when they changed. */
  #clients: readonly ClientState[] = [];

  constructor(options: PlannerOptions = {}) {
    this.hopMs = options.hopMs ?? 600;
    this.markMs = options.markMs ?? 1800;
  }

  /** Forgets every pending arrival (after a reset). */
  clear(): void {
    this.#arrivals.clear();
    this.#clients = [];
  }

  /** The jobs for a batch of events, `now` being the wall-clock ms, at `speed`× the simulated clock. */
  plan(events: readonly BrokerEvent[], given: AnimationContext, now: number, speed = 1): AnimationJob[] {
    if (given.clients.length > 0) this.#clients = given.clients;
    const context: AnimationContext = { ...given, clients: this.#clients };
    const hop = this.hopMs / Math.max(0.25, speed);
    const markMs = Math.max(700, this.markMs / Math.max(0.25, speed));
    const vhost = context.vhost ?? '/';
    const byName = indexNames(context.diagram);
    const jobs: AnimationJob[] = [];
    const arrivals = this.#arrivals;

    // Old arrivals are of no use any more.
    for (const [key, at] of arrivals) if (at < now - 10_000) arrivals.delete(key);

    const when = (messageId: number, node: string): number => Math.max(now, arrivals.get(`${messageId}@${node}`) ?? now);
    const dot = (messageId: number, from: string, to: string, edge: string | null, tone: DotTone, start: number): number => {
      jobs.push({ kind: 'dot', id: this.#nextId++, messageId, from, to, edge, tone, start, duration: hop });
      const end = start + hop;
      const key = `${messageId}@${to}`;
      arrivals.set(key, Math.max(arrivals.get(key) ?? 0, end));
      return end;
    };
    const mark = (messageId: number | null, node: string, tone: MarkTone, label: string, start: number, reason?: string): void => {
      jobs.push({ kind: 'mark', id: this.#nextId++, messageId, node, tone, label, start, duration: markMs, ...(reason ? { reason } : {}) });
    };

    /** Dots along a trace from `entry` (the node the message enters the first exchange from). */
    const route = (messageId: number, trace: RouteTrace, entry: { node: string; edge: string | null; tone: DotTone } | null, start: number): void => {
      const first = byName.exchange.get(trace.exchange);
      const producer = entry ? context.diagram.nodes.find((n) => n.id === entry.node) : undefined;
      // The default exchange is not drawn: a producer linked to a queue publishes straight to it.
      const direct = !first && producer?.kind === 'producer' && producer.target?.kind === 'queue' ? producer.target.id : null;
      if (first && entry) dot(messageId, entry.node, first, entry.edge, entry.tone, start);
      else if (first) arrivals.set(`${messageId}@${first}`, Math.max(arrivals.get(`${messageId}@${first}`) ?? 0, start));

      const done = new Set<string>();
      for (const visit of trace.visits) {
        const at = byName.exchange.get(visit.exchange);
        if (visit.via.kind === 'alternate') {
          const from = byName.exchange.get(visit.via.from);
          if (from && !done.has(`ae:${from}`)) {
            done.add(`ae:${from}`);
            const start = when(messageId, from);
            mark(messageId, from, 'info', 'alternate', start, `no binding matched ${keysOf(trace)} → AE "${visit.exchange}"`);
            if (at) dot(messageId, from, at, null, 'alternate', start);
          }
        }
        for (const b of visit.bindings) {
          if (!b.matched) continue;
          const dest = b.destinationKind === 'queue' ? byName.queue.get(b.destination) : byName.exchange.get(b.destination);
          if (!dest) continue;
          if (at) {
            const edge = context.diagram.bindings.find(
              (e) => e.source === at && e.destination.id === dest && e.routingKey === b.bindingKey,
            ) ?? context.diagram.bindings.find((e) => e.source === at && e.destination.id === dest);
            const key = edge ? edge.id : `${at}>${dest}`;
            if (done.has(key)) continue;
            done.add(key);
            dot(messageId, at, dest, edge?.id ?? null, 'route', when(messageId, at));
          } else if (visit.exchange === '' && direct === dest && entry && !done.has(`direct:${dest}`)) {
            done.add(`direct:${dest}`);
            dot(messageId, entry.node, dest, entry.edge, entry.tone, start);
          }
        }
      }

      if (trace.outcome === 'unroutable' || trace.outcome === 'returned') {
        const fromProducer = entry && producer?.kind === 'producer' ? entry : null;
        const returned = trace.outcome === 'returned';
        if (first) mark(messageId, first, 'error', 'unroutable', when(messageId, first), unroutableReason(trace));
        // Mandatory: basic.return carries it back to its producer, along the publish link.
        if (returned && fromProducer) {
          const start = first ? dot(messageId, first, fromProducer.node, fromProducer.edge, 'return', when(messageId, first)) : when(messageId, fromProducer.node);
          mark(messageId, fromProducer.node, 'error', 'returned', start, first ? '312 NO_ROUTE (mandatory)' : unroutableReason(trace));
        } else if (!first && fromProducer) {
          mark(messageId, fromProducer.node, 'error', 'unroutable', when(messageId, fromProducer.node), unroutableReason(trace));
        }
      }
    };

    for (const event of events) {
      if (event.vhost !== vhost) continue;
      switch (event.type) {
        case 'publish': {
          const producer = producerOf(event.connection, event.channel, context);
          const link = producer ? context.diagram.nodes.find((n) => n.id === producer) : undefined;
          const entry = producer && link?.kind === 'producer' && link.target ? { node: producer, edge: `publish:${producer}`, tone: 'publish' as const } : null;
          route(event.messageId, event.trace, entry, now);
          break;
        }
        case 'delivered': {
          const queue = byName.queue.get(event.queue);
          const consumer = consumerOf(event.channel, event.consumerTag, context, queue);
          if (!queue || !consumer) break;
          const end = dot(event.messageId, queue, consumer, `consume:${consumer}`, 'deliver', when(event.messageId, queue));
          if (event.redelivered) mark(event.messageId, consumer, 'info', 'redelivered', end, 'delivered again (redelivered flag set)');
          break;
        }
        case 'acked': {
          const consumer = consumerOf(event.channel, null, context, byName.queue.get(event.queue));
          if (consumer) mark(event.messageId, consumer, 'ok', 'acked', when(event.messageId, consumer));
          break;
        }
        case 'rejected': {
          const queue = byName.queue.get(event.queue);
          const consumer = consumerOf(event.channel, null, context, queue);
          if (!consumer) break;
          const start = when(event.messageId, consumer);
          mark(event.messageId, consumer, 'warn', event.method === 'nack' ? 'nacked' : 'rejected', start, event.requeue ? 'requeue' : 'no requeue');
          if (event.requeue && queue) dot(event.messageId, consumer, queue, `consume:${consumer}`, 'requeue', start);
          break;
        }
        case 'requeued': {
          const queue = byName.queue.get(event.queue);
          if (queue) mark(event.messageId, queue, 'info', 'requeued', when(event.messageId, queue), event.reason);
          break;
        }
        case 'expired': {
          const queue = byName.queue.get(event.queue);
          if (queue) mark(event.messageId, queue, 'warn', 'expired', when(event.messageId, queue), `${event.ttl} TTL ${event.ms} ms`);
          break;
        }
        case 'dropped': {
          const queue = byName.queue.get(event.queue);
          // A length limit's drop-head takes the oldest message: say so.
          const label = /length limit/.test(event.reason) ? 'head dropped' : 'dropped';
          if (queue) mark(event.messageId, queue, 'error', label, when(event.messageId, queue), event.reason);
          break;
        }
        case 'refused': {
          const queue = byName.queue.get(event.queue);
          if (queue) mark(event.messageId, queue, 'error', 'refused', when(event.messageId, queue), `queue full (overflow ${event.overflow})`);
          break;
        }
        case 'dead-lettered': {
          const queue = byName.queue.get(event.queue);
          if (!queue) break;
          const start = when(event.messageId, queue);
          mark(event.messageId, queue, 'warn', 'dead-lettered', start, `${event.reason} → ${event.exchange === '' ? '(default exchange)' : event.exchange}`);
          route(event.messageId, event.trace, { node: queue, edge: null, tone: 'dead-letter' }, start);
          break;
        }
        default:
          break;
      }
    }
    return jobs;
  }
}

function indexNames(diagram: Diagram): { exchange: Map<string, string>; queue: Map<string, string> } {
  const exchange = new Map<string, string>();
  const queue = new Map<string, string>();
  for (const node of diagram.nodes) {
    if (node.kind === 'exchange' && !exchange.has(node.name)) exchange.set(node.name, node.id);
    else if (node.kind === 'queue' && node.name !== '' && !queue.has(node.name)) queue.set(node.name, node.id);
  }
  return { exchange, queue };
}

function isKind<K extends DiagramNode['kind']>(diagram: Diagram, id: string, kind: K): boolean {
  return diagram.nodes.some((n) => n.id === id && n.kind === kind);
}

/** The producer node that published on this connection and channel, else the one the UI last asked. */
export function producerOf(connection: number, channel: number, context: AnimationContext): string | null {
  const client = context.clients.find((c) => c.kind === 'producer' && c.connection === connection && c.channel === channel)
    ?? context.clients.find((c) => c.kind === 'producer' && c.channel === channel);
  if (client && isKind(context.diagram, client.id, 'producer')) return client.id;
  const last = context.lastPublisher ?? null;
  return last && isKind(context.diagram, last, 'producer') ? last : null;
}

/**
 * The consumer node on this channel (or with this consumer tag); else, when the clients are not
 * known yet (a consumer just restarted on a new channel), the only consumer node of `queue`.
 */
export function consumerOf(channel: number, consumerTag: string | null, context: AnimationContext, queue?: string): string | null {
  const client = context.clients.find((c) => c.kind === 'consumer' && c.channel === channel)
    ?? (consumerTag === null ? undefined : context.clients.find((c) => c.kind === 'consumer' && c.consumerTag === consumerTag));
  if (client && isKind(context.diagram, client.id, 'consumer')) return client.id;
  if (queue === undefined) return null;
  const known = new Set(context.clients.flatMap((c) => (c.kind === 'consumer' && c.channel !== null ? [c.channel] : [])));
  if (known.has(channel)) return null;
  const only = context.diagram.nodes.filter((n) => n.kind === 'consumer' && n.queue === queue);
  return only.length === 1 ? only[0]!.id : null;
}

/** A dot as drawn: one job, or several on the same path grouped into one counted dot. */
export interface DrawnDot {
  key: string;
  job: DotJob;
  /** 0..1 along its path. */
  progress: number;
  count: number;
}

/**
 * The dots in flight at `now`. Above `limit` of them, dots on the same path are grouped into one
 * (at the most advanced one's place) with their count, so a burst never floods the page.
 */
export function dotsInFlight(jobs: readonly AnimationJob[], now: number, limit = 50): DrawnDot[] {
  const flying: DrawnDot[] = [];
  for (const job of jobs) {
    if (job.kind !== 'dot' || now < job.start || now >= job.start + job.duration) continue;
    flying.push({ key: `d${job.id}`, job, progress: (now - job.start) / job.duration, count: 1 });
  }
  if (flying.length <= limit) return flying;
  const groups = new Map<string, DrawnDot>();
  for (const dot of flying) {
    const path = `${dot.job.edge ?? ''}|${dot.job.from}>${dot.job.to}`;
    const group = groups.get(path);
    if (!group) groups.set(path, { ...dot, key: `g${path}` });
    else {
      group.count++;
      if (dot.progress > group.progress) {
        group.progress = dot.progress;
        group.job = dot.job;
      }
    }
  }
  return [...groups.values()];
}

/** Marks showing at one node with the same tone and label, drawn as one pill with a count. */
export interface MarkGroup {
  key: string;
  /** The newest of them: its reason is the one shown. */
  mark: MarkJob;
  count: number;
}

/**
 * Marks showing at `now`, grouped by node, tone and label: a burst of a thousand acks is one
 * "acked ×1000" pill, not a thousand, so the layer's cost follows the nodes, not the traffic.
 * Groups come in the order their first mark was planned, so a pill keeps its place.
 */
export function markGroups(jobs: readonly AnimationJob[], now: number): MarkGroup[] {
  const groups = new Map<string, MarkGroup>();
  for (const job of jobs) {
    if (job.kind !== 'mark' || now < job.start || now >= job.start + job.duration) continue;
    const key = `${job.node}|${job.tone}|${job.label}`;
    const group = groups.get(key);
    if (!group) groups.set(key, { key, mark: job, count: 1 });
    else {
      group.count++;
      if (job.start >= group.mark.start) group.mark = job;
    }
  }
  return [...groups.values()];
}

/** Whether a job is over at `now` (to drop it). */
export function isOver(job: AnimationJob, now: number): boolean {
  return now >= job.start + job.duration;
}
