/**
 * The actions on links: bindings (exchange → queue or exchange), a producer's target and a
 * consumer's queue, and `connect`, which turns a line drawn from one node to another into the
 * right one of those or refuses it with the reason RabbitMQ would have.
 */

import { bindingById, idAllocator, nodeIndex } from './diagram';
import { cloneJson, isPlainObject, jsonEqual, withoutUndefined } from './json';
import { action, done, refuse, type Action, type Result } from './result';
import type { BindingEdge, Diagram, DiagramNode, JsonTable } from './types';
import { bindingIdentity, bindingProblem, bindProblem, consumeProblem, describeNode, duplicateBindingReason, publishProblem } from './validate';

/** A new binding's key and arguments (both empty by default) and, optionally, its id. */
export interface BindingOptions {
  routingKey?: string;
  arguments?: JsonTable;
  id?: string;
}

/** What `updateBinding` may change: key, arguments, and either end (node ids, to reconnect it). */
export interface BindingPatch {
  routingKey?: string;
  arguments?: JsonTable;
  source?: string;
  destination?: string;
}

const PATCH_FIELDS = new Set(['routingKey', 'arguments', 'source', 'destination']);

function missing(id: string): Result {
  return refuse(`no node '${id}' in the diagram`);
}

/** Binds an exchange to a queue or to another exchange. The result's `created` holds the binding's id. */
export function addBinding(sourceId: string, destinationId: string, options: BindingOptions = {}): Action {
  const opts = withoutUndefined(cloneJson(options));
  return action('addBinding', 'Add binding', (diagram) => performAddBinding(diagram, sourceId, destinationId, opts));
}

function performAddBinding(diagram: Diagram, sourceId: string, destinationId: string, options: BindingOptions): Result {
  const nodes = nodeIndex(diagram);
  const source = nodes.get(sourceId);
  if (!source) return missing(sourceId);
  const destination = nodes.get(destinationId);
  if (!destination) return missing(destinationId);
  const impossible = bindProblem(source, destination);
  if (impossible) return refuse(impossible);
  if (options.id !== undefined && (nodes.has(options.id) || bindingById(diagram, options.id))) {
    return refuse(`an element with id '${options.id}' is already in the diagram`);
  }
  const edge: BindingEdge = {
    id: options.id ?? idAllocator(diagram)('binding'),
    source: sourceId,
    destination: { kind: destination.kind as 'queue' | 'exchange', id: destinationId },
    routingKey: options.routingKey ?? '',
    arguments: options.arguments ?? {},
  };
  const problem = bindingProblem(edge, nodes) ?? duplicateProblem(diagram, edge, nodes);
  if (problem) return refuse(problem);
  return done({ ...diagram, bindings: [...diagram.bindings, edge] }, [edge.id]);
}

function duplicateProblem(diagram: Diagram, edge: BindingEdge, nodes: ReadonlyMap<string, DiagramNode>): string | null {
  const identity = bindingIdentity(edge);
  const twin = diagram.bindings.find((b) => b.id !== edge.id && bindingIdentity(b) === identity);
  return twin ? duplicateBindingReason(nodes.get(edge.source)!, nodes.get(edge.destination.id)!, edge.routingKey) : null;
}

/** Changes a binding's key or arguments, or moves one of its ends to another node. */
export function updateBinding(id: string, patch: BindingPatch): Action {
  const copy = isPlainObject(patch as unknown) ? withoutUndefined(cloneJson(patch)) : patch;
  return action('updateBinding', 'Edit binding', (diagram) => {
    const index = diagram.bindings.findIndex((b) => b.id === id);
    if (index < 0) return refuse(`no binding '${id}' in the diagram`);
    if (!isPlainObject(copy as unknown)) return refuse('a patch is a table of fields');
    for (const key of Object.keys(copy)) if (!PATCH_FIELDS.has(key)) return refuse(`a binding has no field '${key}' to change`);
    const old = diagram.bindings[index]!;
    const nodes = nodeIndex(diagram);
    const source = nodes.get(copy.source ?? old.source);
    if (!source) return missing(copy.source ?? old.source);
    const destination = nodes.get(copy.destination ?? old.destination.id);
    if (!destination) return missing(copy.destination ?? old.destination.id);
    const impossible = bindProblem(source, destination);
    if (impossible) return refuse(impossible);
    const edge: BindingEdge = {
      id,
      source: source.id,
      destination: { kind: destination.kind as 'queue' | 'exchange', id: destination.id },
      routingKey: copy.routingKey ?? old.routingKey,
      arguments: copy.arguments ?? old.arguments,
    };
    if (jsonEqual(edge, old)) return done(diagram);
    const problem = bindingProblem(edge, nodes) ?? duplicateProblem(diagram, edge, nodes);
    if (problem) return refuse(problem);
    const bindings = diagram.bindings.slice();
    bindings[index] = edge;
    return done({ ...diagram, bindings });
  });
}

/** Deletes bindings. */
export function removeBindings(ids: readonly string[]): Action {
  const gone = new Set(ids);
  return action('removeBindings', gone.size === 1 ? 'Delete binding' : `Delete ${gone.size} bindings`, (diagram) => {
    if (gone.size === 0) return done(diagram);
    const present = new Set(diagram.bindings.map((b) => b.id));
    for (const id of gone) if (!present.has(id)) return refuse(`no binding '${id}' in the diagram`);
    return done({ ...diagram, bindings: diagram.bindings.filter((b) => !gone.has(b.id)) });
  });
}

/**
 * Points a producer at an exchange, or at a queue (it then publishes to the default exchange
 * with the queue's name as routing key); `null` unlinks it.
 */
export function linkProducer(producerId: string, targetId: string | null): Action {
  return action('linkProducer', targetId === null ? 'Unlink producer' : 'Link producer', (diagram) => performLinkProducer(diagram, producerId, targetId));
}

function performLinkProducer(diagram: Diagram, producerId: string, targetId: string | null): Result {
  const nodes = nodeIndex(diagram);
  const producer = nodes.get(producerId);
  if (!producer) return missing(producerId);
  if (producer.kind !== 'producer') return refuse(`${describeNode(producer)} is not a producer`);
  let target: { kind: 'exchange' | 'queue'; id: string } | null = null;
  if (targetId !== null) {
    const node = nodes.get(targetId);
    if (!node) return missing(targetId);
    const problem = publishProblem(producer, node);
    if (problem) return refuse(problem);
    target = { kind: node.kind as 'exchange' | 'queue', id: node.id };
  }
  if (jsonEqual(producer.target, target)) return done(diagram);
  return done({ ...diagram, nodes: diagram.nodes.map((n) => (n === producer ? { ...producer, target } : n)) });
}

/** Makes a consumer read a queue (the link drawn from the queue to the consumer); `null` unlinks it. */
export function linkConsumer(consumerId: string, queueId: string | null): Action {
  return action('linkConsumer', queueId === null ? 'Unlink consumer' : 'Link consumer', (diagram) => performLinkConsumer(diagram, consumerId, queueId));
}

function performLinkConsumer(diagram: Diagram, consumerId: string, queueId: string | null): Result {
  const nodes = nodeIndex(diagram);
  const consumer = nodes.get(consumerId);
  if (!consumer) return missing(consumerId);
  if (consumer.kind !== 'consumer') return refuse(`${describeNode(consumer)} is not a consumer`);
  if (queueId !== null) {
    const node = nodes.get(queueId);
    if (!node) return missing(queueId);
    const problem = consumeProblem(consumer, node);
    if (problem) return refuse(problem);
  }
  if (consumer.queue === queueId) return done(diagram);
  return done({ ...diagram, nodes: diagram.nodes.map((n) => (n === consumer ? { ...consumer, queue: queueId } : n)) });
}

/**
 * A line drawn from one node to another, in the direction messages flow: producer → exchange
 * or queue (link), exchange → queue or exchange (binding, with `options`), queue → consumer
 * (link). Anything else is refused with the reason.
 */
export function connect(fromId: string, toId: string, options: BindingOptions = {}): Action {
  const opts = withoutUndefined(cloneJson(options));
  return action('connect', 'Connect', (diagram) => {
    const nodes = nodeIndex(diagram);
    const from = nodes.get(fromId);
    if (!from) return missing(fromId);
    const to = nodes.get(toId);
    if (!to) return missing(toId);
    if (from.kind === 'producer') return performLinkProducer(diagram, fromId, toId);
    if (from.kind === 'queue' && to.kind === 'consumer') return performLinkConsumer(diagram, toId, fromId);
    return performAddBinding(diagram, fromId, toId, opts);
  });
}
