/**
 * The UI's side of the broker worker: starts it, sends commands as promises, hands out the
 * event batches and the simulation's state (clock, clients), and says when the worker died so
 * the UI can show it.
 */

import {
  isWorkerEvents,
  isWorkerReply,
  type BrokerEvent,
  type CommandParams,
  type CommandResult,
  type CommandType,
  type SimulationState,
  type WorkerCommand,
  type WorkerError,
} from './protocol';
import { spawnBrokerWorker } from './spawn';

/** What the client needs of a Worker (a real one, or a fake in tests). */
export type WorkerLike = Pick<Worker, 'postMessage' | 'addEventListener' | 'terminate'>;

/** A command the worker answered with an error. */
export class WorkerCommandError extends Error {
  readonly code: number | string | undefined;
  constructor(error: WorkerError) {
    super(error.message);
    this.name = 'WorkerCommandError';
    this.code = error.code;
  }
}

/** The worker is gone (failed to load, threw at top level, or was terminated). */
export class WorkerFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerFailure';
  }
}

type ParamsArg<K extends CommandType> = [keyof CommandParams<K>] extends [never]
  ? [params?: CommandParams<K>]
  : [params: CommandParams<K>];

export interface WorkerClient {
  /** Sends one command; resolves with its result, rejects with WorkerCommandError or WorkerFailure. */
  request<K extends CommandType>(type: K, ...params: ParamsArg<K>): Promise<CommandResult<K>>;
  /** Every batch of broker events, in order (never an empty one). Returns the unsubscribe function. */
  onEvents(listener: (events: BrokerEvent[]) => void): () => void;
  /**
   * The simulation's state each time it changes (after that batch's events). Returns the
   * unsubscribe function.
   */
  onState(listener: (state: SimulationState) => void): () => void;
  /** The latest state the worker sent, or null before the first. */
  readonly state: SimulationState | null;
  /** Called once if the worker dies (at once if it already has). Returns the unsubscribe function. */
  onFailure(listener: (failure: WorkerFailure) => void): () => void;
  /** Why the worker died, or null while it lives. */
  readonly failure: WorkerFailure | null;
  /** Stops the worker; pending and later requests reject. */
  terminate(): void;
}

export interface WorkerClientOptions {
  /** Makes the worker; the default starts `entry.ts` as a module worker. */
  createWorker?: () => WorkerLike;
}

function describeError(event: Event): string {
  const message = (event as Partial<ErrorEvent>).message;
  return message
    ? `The broker worker stopped: ${message}`
    : 'The broker worker failed to start (its script could not be loaded or run).';
}

export function createWorkerClient(options: WorkerClientOptions = {}): WorkerClient {
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  const eventListeners = new Set<(events: BrokerEvent[]) => void>();
  const stateListeners = new Set<(state: SimulationState) => void>();
  let state: SimulationState | null = null;
  const failureListeners = new Set<(failure: WorkerFailure) => void>();
  let nextId = 1;
  let failure: WorkerFailure | null = null;

  function fail(reason: WorkerFailure): void {
    if (failure) return;
    failure = reason;
    worker.terminate();
    for (const { reject } of pending.values()) reject(reason);
    pending.clear();
    for (const listener of [...failureListeners]) listener(reason);
    failureListeners.clear();
  }

  let worker: WorkerLike;
  try {
    worker = (options.createWorker ?? spawnBrokerWorker)();
  } catch (thrown) {
    // Workers unsupported, or a CSP refusal: a client that is dead from the start.
    worker = { postMessage: () => {}, addEventListener: () => {}, terminate: () => {} };
    failure = new WorkerFailure(
      `The broker worker could not be started: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
    );
  }

  worker.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (isWorkerEvents(message)) {
      if (message.events.length > 0) for (const listener of [...eventListeners]) listener(message.events);
      if (message.state) {
        state = message.state;
        for (const listener of [...stateListeners]) listener(message.state);
      }
    } else if (isWorkerReply(message)) {
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new WorkerCommandError(message.error));
    }
  });
  worker.addEventListener('error', (event: Event) => {
    event.preventDefault?.();
    fail(new WorkerFailure(describeError(event)));
  });
  worker.addEventListener('messageerror', () => {
    fail(new WorkerFailure('The broker worker sent a message that could not be read.'));
  });

  return {
    request<K extends CommandType>(type: K, ...[params]: ParamsArg<K>): Promise<CommandResult<K>> {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      const command = { ...params, id, type } as WorkerCommand;
      return new Promise<CommandResult<K>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
        try {
          worker.postMessage(command);
        } catch (thrown) {
          pending.delete(id);
          reject(thrown instanceof Error ? thrown : new Error(String(thrown)));
        }
      });
    },
    onEvents(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    get state() {
      return state;
    },
    onFailure(listener) {
      if (failure) {
        listener(failure);
        return () => {};
      }
      failureListeners.add(listener);
      return () => failureListeners.delete(listener);
    },
    get failure() {
      return failure;
    },
    terminate() {
      fail(new WorkerFailure('The broker worker was stopped.'));
    },
  };
}
