/**
 * The typed messages between the UI (main thread) and the broker worker.
 *
 * Only TYPES come from the broker here (`import type`), so the UI bundle never pulls in the
 * core's runtime: the broker lives in the worker alone.
 *
 * Shape:
 * - UI -> worker: a `WorkerCommand`, `{ id, type, ...params }`. Each command type is one entry of
 *   `CommandMap`; adding a command (edit topology, publish, clock control) is adding an entry
 *   there and a handler in `host.ts`; the client's `request()` picks the types up by itself.
 * - worker -> UI: a `WorkerReply` to each command, matched by `id`, and `WorkerEvents`: the
 *   core's `observe()` stream, buffered and posted as one batch per tick.
 */

import type { BrokerEvent, BrokerSnapshot } from '../broker/index';

export type { BrokerEvent, BrokerSnapshot };

/** One exchange as the broker reports it. */
export type ExchangeInfo = BrokerSnapshot['exchanges'][number];

/** Every command the worker answers: its parameters (beside `id` and `type`) and its result. */
export interface CommandMap {
  /** The whole broker state: vhosts, exchanges, queues, bindings, connections, channels, consumers. */
  inspect: { params: Record<never, never>; result: BrokerSnapshot };
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

/** Broker events, worker -> UI: everything `observe()` emitted since the last batch, in order. */
export interface WorkerEvents {
  type: 'events';
  events: BrokerEvent[];
}

/** Anything the worker posts. */
export type WorkerMessage = WorkerReply | WorkerEvents;

export const COMMAND_TYPES: readonly CommandType[] = ['inspect'];

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
