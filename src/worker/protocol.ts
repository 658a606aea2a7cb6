/**
 * The typed messages between the UI (main thread) and the broker worker.
 *
 * Only TYPES come from the broker here (`import type`), so the UI bundle never pulls in the
 * core's runtime: the broker lives in the worker alone.
 *
 * Shape:
 * - UI -> worker: a `WorkerCommand`, `{ id, type, ...params }`. Each command type is one entry of
 *   `CommandMap`; adding a command is adding an entry there and a handler in `host.ts`; the
 *   client's `request()` picks the types up by itself. Commands: inspect, sync (the diagram),
 *   publish, consumer (start/stop/crash), clock (play/pause/step/reset), explain (a topic
 *   or headers match, for the Topic lab).
 * - worker -> UI: a `WorkerReply` to each command, matched by `id`, and `WorkerEvents`: the
 *   core's `observe()` stream, buffered and posted as one batch per tick, with the simulation's
 *   `state` (clock, clients) when it changed.
 */

import type { BrokerEvent, BrokerSnapshot, HeadersExplanation, TopicExamples, TopicExplanation } from '../broker/index';
import type { Diagram, JsonTable } from '../document/types';
import type {
  ClientState,
  ClockAction,
  ClockState,
  ConsumerAction,
  ConsumerState,
  PublishResult,
  SimulationState,
  SyncError,
  SyncResult,
} from './simulation';

export type { BrokerEvent, BrokerSnapshot };
export type { ClientState, ClockAction, ClockState, ConsumerAction, ConsumerState, PublishResult, SimulationState, SyncError, SyncResult };
export type { TopicExamples, TopicExplanation };

/** What the Topic lab asks the core to explain: a topic pattern against a key, or a headers binding against headers (JSON form of field tables). */
export type ExplainParams =
  | { kind: 'topic'; bindingKey: string; routingKey: string }
  | { kind: 'headers'; bindingArguments: JsonTable; headers: JsonTable };

/** The core's alignment of a topic pattern and a key, whether RabbitMQ accepts the pattern, and example keys. */
export interface TopicExplainResult {
  kind: 'topic';
  explanation: TopicExplanation;
  /** null when RabbitMQ accepts the binding key, else its refusal text. */
  valid: string | null;
  examples: TopicExamples;
}

/** One value of a headers row as text, with its AMQP type (longstr, long, double, void, ...). */
export interface ExplainedValue {
  text: string;
  type: string;
}

/** The core's headers explanation, values turned into text so that it clones plainly. */
export interface HeadersExplainResult {
  kind: 'headers';
  xMatch: HeadersExplanation['xMatch'];
  matched: boolean;
  reason: string;
  /** null when RabbitMQ accepts the binding arguments, else its refusal text. */
  valid: string | null;
  rows: {
    key: string;
    verdict: HeadersExplanation['rows'][number]['verdict'];
    reason: string;
    binding: ExplainedValue;
    header?: ExplainedValue;
  }[];
}

export type ExplainResult = TopicExplainResult | HeadersExplainResult;

/** One exchange as the broker reports it. */
export type ExchangeInfo = BrokerSnapshot['exchanges'][number];

/** Every command the worker answers: its parameters (beside `id` and `type`) and its result. */
export interface CommandMap {
  /** The whole broker state: vhosts, exchanges, queues, bindings, connections, channels, consumers. */
  inspect: { params: Record<never, never>; result: BrokerSnapshot };
  /**
   * Brings the broker and the simulated clients in line with the diagram. Each refused op or
   * client failure is one error: the node (or binding edge) it concerns, RabbitMQ's reply code
   * and text. What succeeded stays applied.
   */
  sync: { params: { diagram: Diagram }; result: SyncResult };
  /** Publishes from a producer node: `count` messages, or as its mode says. */
  publish: { params: { producerId: string; count?: number }; result: PublishResult };
  /** Starts, stops (basic.cancel) or crashes (connection closed, unacked requeued) a consumer node. */
  consumer: { params: { consumerId: string; action: ConsumerAction }; result: ConsumerState };
  /** Plays (at `speed`, 0.25-8), pauses, steps to the next due timer, or resets to time 0. */
  clock: { params: { action: ClockAction; speed?: number }; result: ClockState };
  /** Explains one match with the core's own matchers (the Topic lab); needs no simulation. */
  explain: { params: ExplainParams; result: ExplainResult };
}

export type CommandType = keyof CommandMap;
export type CommandParams<K extends CommandType> = CommandMap[K]['params'];
export type CommandResult<K extends CommandType> = CommandMap[K]['result'];

/** One command, UI -> worker. A discriminated union on `type`. */
export type WorkerCommand = {
  [K in CommandType]: { id: number; type: K } & CommandParams<K>;
}[CommandType];

export interface WorkerError {
  /** An AMQP reply code (404, 406, ...) or a protocol code such as 'UNKNOWN_COMMAND'. */
  code?: number | string;
  message: string;
}

/** The answer to one command, worker -> UI, matched by `id`. */
export type WorkerReply<R = unknown> =
  | { id: number; ok: true; result: R }
  | { id: number; ok: false; error: WorkerError };

/**
 * Broker events, worker -> UI: everything `observe()` emitted since the last batch, in order.
 * `state` (the simulated clock and the clients) comes with a batch whenever it changed since the
 * last one, so a batch may carry only a state (the clock moved, nothing happened).
 */
export interface WorkerEvents {
  type: 'events';
  events: BrokerEvent[];
  state?: SimulationState;
}

/** Anything the worker posts. */
export type WorkerMessage = WorkerReply | WorkerEvents;

export const COMMAND_TYPES: readonly CommandType[] = ['inspect', 'sync', 'publish', 'consumer', 'clock', 'explain'];

export function isCommandType(value: unknown): value is CommandType {
  return typeof value === 'string' && (COMMAND_TYPES as readonly string[]).includes(value);
}

export function isWorkerEvents(message: unknown): message is WorkerEvents {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'events' &&
    Array.isArray((message as { events?: unknown }).events)
  );
}

export function isWorkerReply(message: unknown): message is WorkerReply {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { id?: unknown }).id === 'number' &&
    typeof (message as { ok?: unknown }).ok === 'boolean'
  );
}

/** Turns anything thrown into the plain, cloneable error shape of a reply. */
export function toWorkerError(thrown: unknown): WorkerError {
  // DOMException's numeric `code` is a legacy constant; its name (DataCloneError...) says more.
  if (typeof DOMException !== 'undefined' && thrown instanceof DOMException) {
    return { code: thrown.name, message: thrown.message };
  }
  if (thrown instanceof Error) {
    const code = (thrown as { code?: unknown }).code;
    return typeof code === 'number' || typeof code === 'string'
      ? { code, message: thrown.message }
      : { message: thrown.message };
  }
  if (typeof thrown === 'object' && thrown !== null && typeof (thrown as { message?: unknown }).message === 'string') {
    const { code, message } = thrown as { code?: unknown; message: string };
    return typeof code === 'number' || typeof code === 'string' ? { code, message } : { message };
  }
  return { message: String(thrown) };
}
