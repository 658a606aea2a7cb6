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
 *   or headers match, for the Topic lab), journey (one message's whole story), whyNot (why a
 *   message missed a queue), whatIf (a route without publishing), queueMessages (what a queue
 *   holds), analyze (the lints of a diagram), console (a rabbitmqctl line).
 * - worker -> UI: a `WorkerReply` to each command, matched by `id`, and `WorkerEvents`: the
 *   core's `observe()` stream, buffered and posted as one batch per tick, with the simulation's
 *   `state` (clock, clients) when it changed.
 */

import type { BrokerEvent, BrokerSnapshot, HeadersExplanation, QueueArrival, RouteOutcome, TopicExamples, TopicExplanation } from '../broker/index';
import type { Finding } from '../broker/analysis/index';
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
export type { TopicExamples, TopicExplanation, Finding, QueueArrival, RouteOutcome };

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

/** A property, header or argument as text with its AMQP type: what the UI shows of a typed value. */
export interface ShownField {
  name: string;
  text: string;
  type: string;
}

/** One binding's verdict in a route, its arguments and headers explanation as text. */
export interface ShownVerdict {
  destinationKind: 'queue' | 'exchange';
  destination: string;
  bindingKey: string;
  /** The binding's arguments, e.g. `x-match=all, region="eu"`; '' when none. */
  argumentsText: string;
  routingKey: string;
  matched: boolean;
  reason: string;
  topic?: TopicExplanation;
  headers?: Pick<HeadersExplainResult, 'xMatch' | 'rows'>;
}

export interface ShownVisit {
  exchange: string;
  type: string;
  via: { kind: 'publish' } | { kind: 'exchange-binding'; from: string } | { kind: 'alternate'; from: string };
  bindings: ShownVerdict[];
  alternate?: { name: string; exists: boolean };
}

/** A route trace (a publish, a dead-lettering, or a what-if) in plain, cloneable form. */
export interface ShownRoute {
  exchange: string;
  routingKey: string;
  cc: string[];
  bcc: string[];
  mandatory: boolean;
  visits: ShownVisit[];
  queues: QueueArrival[];
  outcome: RouteOutcome;
  /** Replies handed straight to a Direct Reply-to consumer. */
  directReplies?: number;
}

export type JourneyStepKind =
  | 'published'
  | 'returned'
  | 'confirmed'
  | 'enqueued'
  | 'delivered'
  | 'acked'
  | 'rejected'
  | 'requeued'
  | 'expired'
  | 'dead-lettered'
  | 'dropped'
  | 'refused';

/** One thing that happened to a message, at a simulated time (ms). */
export interface JourneyStep {
  time: number;
  kind: JourneyStepKind;
  queue?: string;
  /** One sentence. */
  text: string;
  /** The route this step started (published, dead-lettered): an index into `Journey.routes`. */
  route?: number;
  /** A delivery's consumer tag, so the UI can name the consumer node. */
  consumerTag?: string;
}

/** A message's whole story, as far as the worker's journal remembers it. */
export interface Journey {
  messageId: number;
  exchange: string;
  routingKey: string;
  bodySize: number | null;
  properties: ShownField[];
  headers: ShownField[];
  /** Its `x-death` entries after the latest dead-lettering, as RabbitMQ keeps them (most recent first). */
  deaths: ShownField[][];
  routes: (ShownRoute & { kind: 'publish' | 'dead-letter'; time: number; fromQueue?: string })[];
  steps: JourneyStep[];
}

export type WhyNotReasonKind =
  | 'binding'
  | 'no-path'
  | 'no-queue'
  | 'alternate-not-taken'
  | 'exchange-not-reached'
  | 'default-exchange'
  | 'refused'
  | 'dropped';

/** Why one route of a message did not reach a queue, from the core's `explainWhyNot`. */
export interface ShownWhyNot {
  /** Which route: the publish, or a dead-lettering (index into `Journey.routes`). */
  route: number;
  queue: string;
  arrived: boolean;
  summary: string;
  reasons: { kind: WhyNotReasonKind; text: string; exchange?: string; verdict?: ShownVerdict }[];
}

/** A message a queue holds, oldest first. */
export interface QueuedMessageRow {
  messageId: number;
  state: 'ready' | 'unacked';
  redelivered: boolean;
  exchange: string;
  routingKey: string;
}

/** A route to try without publishing: headers in the document's JSON form. */
export interface WhatIfParams {
  exchange: string;
  routingKey: string;
  headers?: JsonTable;
  cc?: string[];
  bcc?: string[];
}

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
  /** One message's journey from the worker's journal; null once it is forgotten (the journal keeps the latest ones). */
  journey: { params: { messageId: number }; result: Journey | null };
  /** Why each route of a message did not reach `queue` (against the current topology); null when the message is forgotten. */
  whyNot: { params: { messageId: number; queue: string }; result: ShownWhyNot[] | null };
  /** Routes a message as a publish would, changing nothing. */
  whatIf: { params: WhatIfParams; result: ShownRoute };
  /** The messages a queue holds (ready, then unacknowledged), up to `limit`. */
  queueMessages: { params: { queue: string; limit?: number }; result: QueuedMessageRow[] };
  /** The binding analysis of a diagram (lints), each finding naming its bindings by document id. */
  analyze: { params: { diagram: Diagram }; result: Finding[] };
  /** A console line (rabbitmqctl …, piped through sed or grep), run against the broker. */
  console: { params: { line: string }; result: ConsoleResult };
  /** Tab in the console: the line's last word completed, and the candidates. */
  complete: { params: { line: string }; result: { line: string; candidates: string[] } };
}

/** What a console line printed, and its exit status (0 is success). */
export interface ConsoleResult {
  stdout: string;
  stderr: string;
  status: number;
  /** What the line declared and deleted in vhost '/', for the page to bring the diagram in line. */
  changes?: ConsoleChanges;
}

/** A binding by names, as a console line made or removed it. */
export interface ConsoleBinding {
  source: string;
  destinationKind: 'queue' | 'exchange';
  destination: string;
  routingKey: string;
  /** Lossless JSON form. */
  arguments: Record<string, unknown>;
}

export interface ConsoleChanges {
  declared: {
    exchanges: { name: string; type: string; durable: boolean; autoDelete: boolean; internal: boolean; arguments: Record<string, unknown> }[];
    queues: { name: string; durable: boolean; exclusive: boolean; autoDelete: boolean; arguments: Record<string, unknown> }[];
    bindings: ConsoleBinding[];
  };
  deleted: { exchanges: string[]; queues: string[]; bindings: ConsoleBinding[] };
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

export const COMMAND_TYPES: readonly CommandType[] = ['inspect', 'sync', 'publish', 'consumer', 'clock', 'explain', 'journey', 'whyNot', 'whatIf', 'queueMessages', 'analyze', 'console', 'complete'];

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
