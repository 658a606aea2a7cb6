/**
 * The document's rules, one function per element: what a node's fields may hold, which links
 * RabbitMQ can have, and a whole-diagram check. Actions run these on what they change and refuse
 * with the reason; `validateDiagram` checks everything (files, clipboards, tests).
 *
 * The document checks structure and names only. RabbitMQ's rules on argument values (queue
 * arguments, topic binding keys, headers bindings) are the worker's: it asks the real core.
 */

import { builtInExchange, exchangeLabel } from './builtins';
import { isPlainObject, canonicalJson } from './json';
import { DIRECT_REPLY_TO, isServerNamed, MAX_NAME_BYTES, nameProblem, utf8Length } from './names';
import { exercisesProblem } from './exercises';
import type { BindingEdge, ConsumerNode, Diagram, DiagramNode, ExchangeNode, ExchangeType, FailureAction, ProducerNode } from './types';

export const EXCHANGE_TYPES: readonly ExchangeType[] = ['direct', 'fanout', 'topic', 'headers', 'x-local-random'];
/** The x-match values a headers binding may have (what the inspector, the edge editor and the lab offer). */
export const X_MATCH_RULES = ['all', 'any', 'all-with-x', 'any-with-x'] as const;
export type XMatchRule = (typeof X_MATCH_RULES)[number];
export const FAILURE_ACTIONS: readonly FailureAction[] = ['nack-requeue', 'nack-drop', 'reject-requeue', 'reject-drop'];
/** basic.qos prefetch-count is an AMQP short: 0 (no limit) to 65535. */
export const MAX_PREFETCH = 65535;

/** How a message names a node: `queue 'orders'`, `the default exchange`. */
export function describeNode(node: DiagramNode): string {
  if (node.kind === 'exchange' && node.name === '') return 'the default exchange';
  if (isServerNamed(node)) return 'a server-named queue';
  return `${node.kind} ${node.kind === 'exchange' ? exchangeLabel(node.name) : `'${node.name}'`}`;
}

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Why a node's own fields are not acceptable (name, values, shapes), or null. */
export function nodeFieldsProblem(node: DiagramNode): string | null {
  if (typeof node.id !== 'string' || node.id === '') return 'a node needs a non-empty id';
  if (!node.position || !isFiniteNumber(node.position.x) || !isFiniteNumber(node.position.y)) return `${node.id}: a position needs finite x and y`;
  const name = nameProblem(node.kind, node.name);
  if (name) return name;
  switch (node.kind) {
    case 'exchange':
      return exchangeProblem(node);
    case 'queue':
      if (!isBool(node.durable) || !isBool(node.exclusive) || !isBool(node.autoDelete)) return `${describeNode(node)}: durable, exclusive and autoDelete are true or false`;
      if (!isPlainObject(node.arguments)) return `${describeNode(node)}: arguments must be a table`;
      return null;
    case 'producer':
      return producerProblem(node);
    case 'consumer':
      return consumerProblem(node);
    default:
      return `unknown node kind '${String((node as { kind: unknown }).kind)}'`;
  }
}

function exchangeProblem(node: ExchangeNode): string | null {
  const who = describeNode(node);
  if (!EXCHANGE_TYPES.includes(node.type)) return `${who}: unknown exchange type '${String(node.type)}' (one of ${EXCHANGE_TYPES.join(', ')})`;
  if (!isBool(node.durable) || !isBool(node.autoDelete) || !isBool(node.internal)) return `${who}: durable, autoDelete and internal are true or false`;
  if (!isPlainObject(node.arguments)) return `${who}: arguments must be a table`;
  const b = builtInExchange(node.name);
  if (
    b &&
    (node.type !== b.type || node.durable !== b.durable || node.autoDelete !== b.autoDelete || node.internal !== b.internal || Object.keys(node.arguments).length > 0)
  ) {
    const flags = [b.durable ? 'durable' : 'transient', b.internal ? 'internal' : 'not internal'].join(', ');
    return `${who} is built in: it is a ${b.type} exchange (${flags}, no arguments), and that cannot change`;
  }
  return null;
}

function producerProblem(node: ProducerNode): string | null {
  const who = describeNode(node);
  const t = node.target;
  if (t !== null && (!isPlainObject(t) || (t.kind !== 'exchange' && t.kind !== 'queue') || typeof t.id !== 'string')) {
    return `${who}: a target is null or { kind: 'exchange' | 'queue', id }`;
  }
  const m = node.message;
  if (!isPlainObject(m) || typeof m.routingKey !== 'string' || typeof m.body !== 'string' || !isPlainObject(m.properties)) {
    return `${who}: a message has a routingKey and a body (strings) and properties (a table)`;
  }
  if (utf8Length(m.routingKey) > MAX_NAME_BYTES) return `${who}: a routing key is at most ${MAX_NAME_BYTES} bytes (an AMQP short string)`;
  const mode = node.mode;
  if (!isPlainObject(mode)) return `${who}: a publish mode is once, burst or rate`;
  switch (mode.kind) {
    case 'once':
      return null;
    case 'burst':
      return Number.isSafeInteger(mode.count) && mode.count >= 1 ? null : `${who}: a burst sends a whole number of messages, at least 1`;
    case 'rate':
      return isFiniteNumber(mode.perSecond) && mode.perSecond > 0 ? null : `${who}: a rate is a number of messages per second above 0`;
    default:
      return `${who}: a publish mode is once, burst or rate`;
  }
}

function consumerProblem(node: ConsumerNode): string | null {
  const who = describeNode(node);
  if (node.queue !== null && typeof node.queue !== 'string') return `${who}: its queue is a queue node's id or null`;
  if (!Number.isInteger(node.prefetch) || node.prefetch < 0 || node.prefetch > MAX_PREFETCH) {
    return `${who}: prefetch is a whole number from 0 (no limit) to ${MAX_PREFETCH}`;
  }
  if (node.ackMode !== 'auto' && node.ackMode !== 'manual') return `${who}: acks are 'auto' or 'manual'`;
  if (!isFiniteNumber(node.workMs) || node.workMs < 0) return `${who}: work time is a number of milliseconds, 0 or more`;
  const f = node.failure;
  if (!isPlainObject(f) || !isFiniteNumber(f.rate) || f.rate < 0 || f.rate > 1) return `${who}: a failure rate is a share from 0 to 1`;
  if (!FAILURE_ACTIONS.includes(f.action)) return `${who}: a failure does one of ${FAILURE_ACTIONS.join(', ')}`;
  if (!isBool(node.running)) return `${who}: running is true or false`;
  if (node.reply !== undefined && typeof node.reply !== 'string') return `${who}: a reply is a text (the body it answers with)`;
  return null;
}

/** Why a producer cannot publish to its target, or null (no target is fine). */
export function producerTargetProblem(node: ProducerNode, nodes: ReadonlyMap<string, DiagramNode>): string | null {
  if (!node.target) return null;
  const target = nodes.get(node.target.id);
  if (!target) return `${describeNode(node)} publishes to '${node.target.id}', which is not in the diagram`;
  return publishProblem(node, target) ?? (target.kind === node.target.kind ? null : `${describeNode(node)}: its target '${target.id}' is a ${target.kind}, not a ${node.target.kind}`);
}

/** Why a producer cannot publish to this node, or null. */
export function publishProblem(producer: ProducerNode, target: DiagramNode): string | null {
  const who = describeNode(producer);
  switch (target.kind) {
    case 'exchange':
      return target.internal
        ? `${who} cannot publish to ${describeNode(target)}: it is internal, and RabbitMQ refuses publishes to an internal exchange (403 ACCESS_REFUSED); it only takes messages from other exchanges`
        : null;
    case 'queue':
      return null;
    case 'producer':
      return `${who} cannot publish to another producer: a producer publishes to an exchange, or to a queue through the default exchange`;
    case 'consumer':
      return `${who} cannot send to ${describeNode(target)} directly: messages go through an exchange into a queue, and the consumer reads the queue`;
  }
}

/** Why a consumer cannot read from its queue, or null (no queue is fine). */
export function consumerQueueProblem(node: ConsumerNode, nodes: ReadonlyMap<string, DiagramNode>): string | null {
  if (node.queue === null) return null;
  const queue = nodes.get(node.queue);
  if (!queue) return `${describeNode(node)} reads from '${node.queue}', which is not in the diagram`;
  return consumeProblem(node, queue);
}

/** Why a consumer cannot consume from this node, or null. */
export function consumeProblem(consumer: ConsumerNode, source: DiagramNode): string | null {
  if (source.kind === 'queue') return null;
  if (source.kind === 'exchange') {
    return `${describeNode(consumer)} cannot consume from ${describeNode(source)}: consumers read queues; bind a queue to the exchange and consume from it`;
  }
  return `${describeNode(consumer)} cannot consume from a ${source.kind}: consumers read queues`;
}

/** Why a binding from `source` to `destination` is impossible, or null. */
export function bindProblem(source: DiagramNode, destination: DiagramNode): string | null {
  switch (source.kind) {
    case 'producer':
      return `a producer is not bound: it publishes. Link it to an exchange or a queue`;
    case 'consumer':
      return `a consumer only receives: messages flow from a queue to its consumers`;
    case 'queue':
      switch (destination.kind) {
        case 'queue':
          return `a queue cannot feed another queue: queues deliver to consumers. To get messages into both, bind both to an exchange (or dead-letter from one through an exchange)`;
        case 'exchange':
          return `a queue does not publish to an exchange: messages leave a queue for its consumers, or, dead-lettered, for its x-dead-letter-exchange argument`;
        case 'producer':
          return `nothing flows into a producer: it only publishes`;
        case 'consumer':
          return `a queue is not bound to a consumer: link the consumer to the queue`;
      }
  }
  if (destination.kind === 'producer') return `nothing flows into a producer: it only publishes`;
  if (destination.kind === 'consumer') {
    return `${describeNode(source)} cannot route to a consumer: an exchange routes to queues (or exchanges); bind a queue and let the consumer read it`;
  }
  if (source.name === '') {
    return `the default exchange cannot be bound: it already routes to every queue by its name (RabbitMQ: operation not permitted on the default exchange)`;
  }
  if (destination.kind === 'exchange' && destination.name === '') {
    return `nothing can be bound to the default exchange (RabbitMQ: operation not permitted on the default exchange)`;
  }
  if (destination.kind === 'queue' && destination.name === DIRECT_REPLY_TO) {
    return `${DIRECT_REPLY_TO} is not a queue but Direct Reply-to: replies reach it by the reply-to address the broker gave the request, never through a binding`;
  }
  return null;
}

/** Why a binding is not acceptable in this diagram (ends, key, arguments), or null. Duplicates are checked apart. */
export function bindingProblem(b: BindingEdge, nodes: ReadonlyMap<string, DiagramNode>): string | null {
  if (typeof b.id !== 'string' || b.id === '') return 'a binding needs a non-empty id';
  const source = nodes.get(b.source);
  if (!source) return `binding ${b.id}: its source '${b.source}' is not in the diagram`;
  const destination = nodes.get(b.destination?.id);
  if (!destination) return `binding ${b.id}: its destination '${String(b.destination?.id)}' is not in the diagram`;
  const problem = bindProblem(source, destination);
  if (problem) return problem;
  if (destination.kind !== b.destination.kind) return `binding ${b.id}: its destination is a ${destination.kind}, not a ${b.destination.kind}`;
  if (typeof b.routingKey !== 'string') return `binding ${b.id}: a binding key is a string`;
  if (utf8Length(b.routingKey) > MAX_NAME_BYTES) return `a binding key is at most ${MAX_NAME_BYTES} bytes (an AMQP short string)`;
  if (!isPlainObject(b.arguments)) return `binding ${b.id}: arguments must be a table`;
  return null;
}

/**
 * A binding's identity as RabbitMQ sees it: source, destination, key and arguments (in any
 * key order). Two edges with one identity would be one binding in the broker.
 */
export function bindingIdentity(b: Pick<BindingEdge, 'source' | 'destination' | 'routingKey' | 'arguments'>): string {
  return JSON.stringify([b.source, b.destination.kind, b.destination.id, b.routingKey, canonicalJson(b.arguments)]);
}

/** The message for a binding that already exists. */
export function duplicateBindingReason(source: DiagramNode, destination: DiagramNode, routingKey: string): string {
  return `${describeNode(source)} is already bound to ${describeNode(destination)} with key '${routingKey}' and these arguments: RabbitMQ identifies a binding by its source, destination, key and arguments, so it would be the same binding`;
}

/** Every problem of a diagram, in a stable order; empty when it is valid. */
export function validateDiagram(diagram: Diagram): string[] {
  const problems: string[] = [];
  if (!diagram || diagram.version !== 1) return ['a diagram has version 1'];
  if (!Array.isArray(diagram.nodes) || !Array.isArray(diagram.bindings)) return ['a diagram has nodes and bindings (arrays)'];
  const ids = new Set<string>();
  const names = new Map<string, Set<string>>();
  const nodes = new Map<string, DiagramNode>();
  for (const node of diagram.nodes) {
    if (ids.has(node.id)) problems.push(`two elements have the id '${node.id}'`);
    ids.add(node.id);
    nodes.set(node.id, node);
    const problem = nodeFieldsProblem(node);
    if (problem) problems.push(problem);
    const taken = names.get(node.kind) ?? new Set<string>();
    if (isServerNamed(node)) continue;
    if (taken.has(node.name)) problems.push(`two ${node.kind}s are named '${node.name}'`);
    taken.add(node.name);
    names.set(node.kind, taken);
  }
  for (const node of diagram.nodes) {
    const problem =
      node.kind === 'producer' ? producerTargetProblem(node, nodes) : node.kind === 'consumer' ? consumerQueueProblem(node, nodes) : null;
    if (problem) problems.push(problem);
  }
  const identities = new Set<string>();
  for (const b of diagram.bindings) {
    if (ids.has(b.id)) problems.push(`two elements have the id '${b.id}'`);
    ids.add(b.id);
    const problem = bindingProblem(b, nodes);
    if (problem) {
      problems.push(problem);
      continue;
    }
    const identity = bindingIdentity(b);
    if (identities.has(identity)) problems.push(duplicateBindingReason(nodes.get(b.source)!, nodes.get(b.destination.id)!, b.routingKey));
    identities.add(identity);
  }
  if (diagram.view !== undefined && viewProblem(diagram.view)) problems.push(viewProblem(diagram.view)!);
  if (diagram.exercises !== undefined && exercisesProblem(diagram.exercises)) problems.push(exercisesProblem(diagram.exercises)!);
  return problems;
}

/** Why a view (pan and zoom) is not acceptable, or null. */
export function viewProblem(view: unknown): string | null {
  if (!isPlainObject(view)) return 'a view is { x, y, zoom }';
  const { x, y, zoom } = view;
  if (!isFiniteNumber(x) || !isFiniteNumber(y) || !isFiniteNumber(zoom) || zoom <= 0) return 'a view has finite x and y and a zoom above 0';
  return null;
}

/**
 * The first problem among the links that touch these nodes (bindings from or to them, producers
 * and consumers that are them or point at them), or null. What an edit of those nodes checks.
 */
export function linksProblem(diagram: Diagram, ids: ReadonlySet<string>): string | null {
  const nodes = new Map(diagram.nodes.map((n) => [n.id, n]));
  for (const node of diagram.nodes) {
    if (node.kind === 'producer' && (ids.has(node.id) || (node.target && ids.has(node.target.id)))) {
      const problem = producerTargetProblem(node, nodes);
      if (problem) return problem;
    }
    if (node.kind === 'consumer' && (ids.has(node.id) || (node.queue !== null && ids.has(node.queue)))) {
      const problem = consumerQueueProblem(node, nodes);
      if (problem) return problem;
    }
  }
  for (const b of diagram.bindings) {
    if (!ids.has(b.source) && !ids.has(b.destination.id)) continue;
    const problem = bindingProblem(b, nodes);
    if (problem) return problem;
  }
  return null;
}
