/**
 * How presets are laid out and built: one column per kind of node, left to right as messages
 * flow (producers, exchanges, queues, consumers), rows 170 px apart (a consumer card with its
 * counters is about 150 px high; a half row centres a node between two others). Diagrams are built with the document's own actions, so a preset is
 * valid by construction.
 */

import { addNodes, batch, unwrap, type Action, type NodeDraft } from '../actions';
import { emptyDiagram } from '../index';
import { pinExercise } from '../exercise-actions';
import type { Diagram, ExchangeType, JsonTable, NodeKind, Position, TopicExercise } from '../types';

/** The x of each kind's column. */
export const COLUMN_X: Readonly<Record<NodeKind, number>> = Object.freeze({ producer: 0, exchange: 300, queue: 600, consumer: 900 });
/** The distance between two rows. */
export const ROW_HEIGHT = 170;

/** The position of a node of `kind` in `row` (0, 0.5, 1, ...). */
export function cell(kind: NodeKind, row: number): Position {
  return { x: COLUMN_X[kind], y: row * ROW_HEIGHT };
}

/** A queue's declaration flags and arguments. */
export interface QueueDeclaration {
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
  arguments: JsonTable;
}

/** A durable quorum queue, as the current tutorials declare `hello`, `task_queue` and `rpc_queue`. */
export function quorumQueue(extra: JsonTable = {}): QueueDeclaration {
  return { durable: true, exclusive: false, autoDelete: false, arguments: { 'x-queue-type': 'quorum', ...extra } };
}

/** A classic queue as older guides declare it: no arguments (`queue_declare(queue='hello')`). */
export function classicQueue(durable: boolean): QueueDeclaration {
  return { durable, exclusive: false, autoDelete: false, arguments: {} };
}

/** A durable classic queue as a new queue node has it (`x-queue-type: classic`), with more arguments. */
export function durableClassic(extra: JsonTable = {}): QueueDeclaration {
  return { durable: true, exclusive: false, autoDelete: false, arguments: { 'x-queue-type': 'classic', ...extra } };
}

/**
 * A tutorial receiver's own queue, `queue_declare(queue='', exclusive=True)`: server-named
 * (the node's name is '', the broker names it `amq.gen-…`), exclusive to the connection of the
 * consumer that declares it, transient.
 */
export function serverNamedQueue(row: number, id: string): Draft<'queue'> {
  return { kind: 'queue', id, name: '', position: cell('queue', row), durable: false, exclusive: true, autoDelete: false, arguments: {} };
}

/** Builds a diagram from node drafts, then links (connect, bindings), then pinned exercises. */
export function assemble(label: string, drafts: readonly NodeDraft[], links: readonly Action[], exercises: readonly TopicExercise[] = []): Diagram {
  return unwrap(batch(label, [addNodes(drafts), ...links, ...exercises.map((e) => pinExercise(e))]), emptyDiagram());
}

// ---- node drafts in their columns -------------------------------------------------------------

type Draft<K extends NodeKind> = Extract<NodeDraft, { kind: K }>;

/** A producer: what it publishes (routing key, body, properties) and how often (once by default). */
export function producer(
  id: string,
  name: string,
  row: number,
  message: { routingKey?: string; body: string; properties?: JsonTable },
  mode: Draft<'producer'>['mode'] = { kind: 'once' },
): Draft<'producer'> {
  return {
    kind: 'producer',
    id,
    name,
    position: cell('producer', row),
    message: { routingKey: message.routingKey ?? '', body: message.body, properties: message.properties ?? {} },
    mode,
  };
}

/** An exchange, not auto-delete, not internal. */
export function exchange(id: string, name: string, row: number, type: ExchangeType, durable: boolean, args: JsonTable = {}): Draft<'exchange'> {
  return { kind: 'exchange', id, name, position: cell('exchange', row), type, durable, autoDelete: false, internal: false, arguments: args };
}

/** A queue with its declaration. */
export function queue(id: string, name: string, row: number, declaration: QueueDeclaration): Draft<'queue'> {
  return { kind: 'queue', id, name, position: cell('queue', row), ...declaration, arguments: { ...declaration.arguments } };
}

/** How a consumer consumes; what is not given is a healthy worker that is running. */
export interface ConsumerSettings {
  prefetch: number;
  ackMode: 'auto' | 'manual';
  workMs: number;
  failure?: { rate: number; action: 'nack-requeue' | 'nack-drop' | 'reject-requeue' | 'reject-drop' };
  running?: boolean;
  /** An RPC server's answer to each request. */
  reply?: string;
}

/** A consumer (linked to its queue with `connect(queueId, consumerId)`). */
export function consumer(id: string, name: string, row: number, settings: ConsumerSettings): Draft<'consumer'> {
  return {
    kind: 'consumer',
    id,
    name,
    position: cell('consumer', row),
    prefetch: settings.prefetch,
    ackMode: settings.ackMode,
    workMs: settings.workMs,
    failure: settings.failure ?? { rate: 0, action: 'nack-requeue' },
    running: settings.running ?? true,
    ...(settings.reply === undefined ? {} : { reply: settings.reply }),
  };
}

/** How the tutorials' log receivers consume: `noAck: true`, no prefetch, nothing slow. */
export const AUTO_ACK: ConsumerSettings = Object.freeze({ prefetch: 0, ackMode: 'auto', workMs: 0 });
