/**
 * The worker's side of the protocol, apart from the worker global: it answers commands from a
 * broker and forwards the broker's events in batches. `entry.ts` wires it to `self`; tests wire
 * it to a plain function.
 *
 * Ordering: the events a command caused are posted before that command's reply, so by the time
 * a request's promise settles in the UI, the UI has seen every event that led to its result.
 * Events raised outside any command (timers) are flushed once per tick.
 */

import type { Broker } from '../broker/index';
import {
  isCommandType,
  toWorkerError,
  type BrokerEvent,
  type CommandResult,
  type CommandType,
  type WorkerCommand,
  type WorkerMessage,
} from './protocol';

/** What the host needs of the broker. */
export type HostedBroker = Pick<Broker, 'inspect' | 'observe'>;

type Handlers = {
  [K in CommandType]: (
    command: Extract<WorkerCommand, { type: K }>,
  ) => CommandResult<K> | Promise<CommandResult<K>>;
};

export interface HostOptions {
  /** Posts one message to the UI (in the worker: `self.postMessage`). */
  post: (message: WorkerMessage) => void;
  /** Runs `flush` once, soon: default `setTimeout(flush, 0)`, i.e. once per tick. */
  schedule?: (flush: () => void) => void;
}

export interface Host {
  /** Handles one message from the UI; the returned promise settles after its reply is posted. */
  handle(message: unknown): Promise<void>;
  /** Posts the buffered events now, if any. */
  flush(): void;
  /** Stops observing the broker. */
  dispose(): void;
}

export function createHost(broker: HostedBroker, options: HostOptions): Host {
  const { post } = options;
  const schedule = options.schedule ?? ((flush: () => void) => void setTimeout(flush, 0));

  let buffer: BrokerEvent[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    post({ type: 'events', events });
  }

  const unobserve = broker.observe((event) => {
    buffer.push(event);
    if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  });

  const handlers: Handlers = {
    inspect: () => broker.inspect(),
  };

  function run(command: WorkerCommand): unknown {
    // The union is keyed on `type`; TypeScript cannot narrow the handler and its argument
    // together, so dispatch through a wider signature.
    const handler = handlers[command.type] as (command: WorkerCommand) => unknown;
    return handler(command);
  }

  function reply(message: WorkerMessage): void {
    try {
      post(message);
    } catch (thrown) {
      // A result that cannot be structured-cloned (DataCloneError): answer with the error.
      if ('id' in message && message.ok) {
        post({ id: message.id, ok: false, error: toWorkerError(thrown) });
      } else {
        throw thrown;
      }
    }
  }

  async function handle(message: unknown): Promise<void> {
    if (typeof message !== 'object' || message === null) return;
    const { id, type } = message as { id?: unknown; type?: unknown };
    if (typeof id !== 'number') return; // Nothing to answer to.

    if (!isCommandType(type)) {
      flush();
      reply({ id, ok: false, error: { code: 'UNKNOWN_COMMAND', message: `Unknown command: ${String(type)}` } });
      return;
    }

    let result: unknown;
    try {
      result = await run(message as WorkerCommand);
    } catch (thrown) {
      flush();
      reply({ id, ok: false, error: toWorkerError(thrown) });
      return;
    }
    flush();
    reply({ id, ok: true, result });
  }

  return {
    handle,
    flush,
    dispose: () => {
      unobserve();
      buffer = [];
    },
  };
}
