/**
 * The worker's side of the protocol, apart from the worker global: it answers commands from a
 * broker and forwards the broker's events in batches. `entry.ts` wires it to `self`; tests wire
 * it to a plain function.
 *
 * Ordering: the events a command caused are posted before that command's reply, so by the time
 * a request's promise settles in the UI, the UI has seen every event that led to its result.
 * Events raised outside any command (timers) are flushed once per tick.
 *
 * Hosting a `Simulation` (the worker does) adds the sync/publish/consumer/clock commands and the
 * simulation's `state` on event batches; hosting a bare broker (`inspect`/`observe` only) answers
 * those commands with an error.
 */

import {
  explainTopic,
  fieldTableFromJSON,
  topicExamples,
  validateTopicBindingKey,
  type Broker,
  type FieldTable,
} from '../broker/index';
import { withServerNames } from '../document/names';
import { Journal } from './journal';
import {
  isCommandType,
  toWorkerError,
  type BrokerEvent,
  type CommandResult,
  type CommandType,
  type ExplainParams,
  type ExplainResult,
  type ShownWhyNot,
  type SimulationState,
  type WhatIfParams,
  type WorkerCommand,
  type WorkerMessage,
} from './protocol';
import { explainHeadersPlainly, shownRoute, shownVerdict } from './shown';
import type { Simulation } from './simulation';

/** What the host needs of the broker; the explanation commands need the rest. */
export type HostedBroker = Pick<Broker, 'inspect' | 'observe'> &
  Partial<Pick<Broker, 'whatIf' | 'whyNot' | 'peekQueue' | 'purgeQueueByName' | 'deleteQueueByName' | 'connect' | 'closeConnectionById'>>;

/** What the console's tools use of the broker. */
const CONSOLE_METHODS = ['inspect', 'purgeQueueByName', 'deleteQueueByName', 'connect', 'whatIf', 'closeConnectionById'] as const;
type ConsoleCore = Pick<Broker, (typeof CONSOLE_METHODS)[number]>;

/** What the host needs of a simulation (which also answers as the broker). */
export type HostedSimulation = HostedBroker &
  Pick<Simulation, 'syncTo' | 'publish' | 'consumer' | 'clock' | 'state' | 'onStateChange'> & { readonly broker: HostedBroker };

function isSimulation(target: HostedBroker | HostedSimulation): target is HostedSimulation {
  return typeof (target as Partial<HostedSimulation>).syncTo === 'function';
}

/** An error reply with a protocol code (not an AMQP one). */
function requestError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const CONSUMER_ACTIONS = ['start', 'stop', 'crash'];

/** A field table from its JSON form; a malformed one is a bad request, not a broker error. */
function tableFromJSON(json: unknown, what: string): FieldTable {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw requestError('BAD_REQUEST', `${what} must be a table`);
  try {
    return fieldTableFromJSON(json);
  } catch (thrown) {
    throw requestError('BAD_REQUEST', `${what}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** The explain command: the core's own matchers, never a copy of their rules. */
function explain(params: ExplainParams): ExplainResult {
  if (params.kind === 'topic') {
    const { bindingKey, routingKey } = params;
    if (typeof bindingKey !== 'string' || typeof routingKey !== 'string') {
      throw requestError('BAD_REQUEST', 'explain topic needs a bindingKey and a routingKey');
    }
    return {
      kind: 'topic',
      explanation: explainTopic(bindingKey, routingKey),
      valid: validateTopicBindingKey(bindingKey),
      examples: topicExamples(bindingKey),
    };
  }
  if (params.kind === 'headers') {
    return explainHeadersPlainly(tableFromJSON(params.bindingArguments, 'bindingArguments'), tableFromJSON(params.headers, 'headers'));
  }
  throw requestError('BAD_REQUEST', `Unknown explain kind: ${String((params as { kind?: unknown }).kind)}`);
}
const CLOCK_ACTIONS = ['play', 'pause', 'step', 'reset'];

function whatIf(core: HostedBroker, params: WhatIfParams) {
  const { exchange, routingKey, headers, cc, bcc } = params;
  if (typeof exchange !== 'string' || typeof routingKey !== 'string') throw requestError('BAD_REQUEST', 'whatIf needs an exchange and a routingKey');
  if ((cc !== undefined && !isStringList(cc)) || (bcc !== undefined && !isStringList(bcc))) throw requestError('BAD_REQUEST', 'CC and BCC must be lists of keys');
  const options = {
    ...(headers === undefined ? {} : { headers: tableFromJSON(headers, 'headers') }),
    ...(cc === undefined || cc.length === 0 ? {} : { CC: cc }),
    ...(bcc === undefined || bcc.length === 0 ? {} : { BCC: bcc }),
  };
  return shownRoute(core.whatIf!('/', exchange, routingKey, options));
}

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

export function createHost(broker: HostedBroker | HostedSimulation, options: HostOptions): Host {
  const { post } = options;
  const schedule = options.schedule ?? ((flush: () => void) => void setTimeout(flush, 0));
  const simulation = isSimulation(broker) ? broker : undefined;

  let buffer: BrokerEvent[] = [];
  let scheduled = false;
  let lastState = '';

  /** The simulation's state if it changed since the last batch. */
  function changedState(): SimulationState | undefined {
    if (!simulation) return undefined;
    const state = simulation.state();
    const key = JSON.stringify(state);
    if (key === lastState) return undefined;
    lastState = key;
    return state;
  }

  function flush(): void {
    scheduled = false;
    const state = changedState();
    if (buffer.length === 0 && !state) return;
    const events = buffer;
    buffer = [];
    post(state ? { type: 'events', events, state } : { type: 'events', events });
  }

  function soon(): void {
    if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  }

  const journal = new Journal();
  const unobserve = broker.observe((event) => {
    journal.take(event);
    buffer.push(event);
    soon();
  });
  const unobserveState = simulation?.onStateChange(soon) ?? (() => {});

  /** The broker core in use now (a simulation makes a new one at each reset). */
  function needCore(method: 'whatIf' | 'whyNot' | 'peekQueue'): HostedBroker {
    const core = simulation ? simulation.broker : broker;
    if (typeof core[method] !== 'function') throw requestError('NO_SIMULATION', `This worker's broker cannot answer ${method}.`);
    return core;
  }

  function needSimulation(): HostedSimulation {
    if (!simulation) throw requestError('NO_SIMULATION', 'This worker hosts a broker without a simulation.');
    return simulation;
  }

  const handlers: Handlers = {
    inspect: () => broker.inspect(),
    sync: ({ diagram }) => {
      const sim = needSimulation();
      if (typeof diagram !== 'object' || diagram === null || !Array.isArray(diagram.nodes) || !Array.isArray(diagram.bindings)) {
        throw requestError('BAD_REQUEST', 'sync needs a diagram with nodes and bindings');
      }
      return sim.syncTo(diagram);
    },
    publish: ({ producerId, count }) => {
      const sim = needSimulation();
      if (typeof producerId !== 'string') throw requestError('BAD_REQUEST', 'publish needs a producerId');
      if (count !== undefined && typeof count !== 'number') throw requestError('BAD_REQUEST', 'count must be a number');
      return sim.publish(producerId, count);
    },
    consumer: ({ consumerId, action }) => {
      const sim = needSimulation();
      if (typeof consumerId !== 'string') throw requestError('BAD_REQUEST', 'consumer needs a consumerId');
      if (!CONSUMER_ACTIONS.includes(action)) throw requestError('BAD_REQUEST', `Unknown consumer action: ${String(action)}`);
      return sim.consumer(consumerId, action);
    },
    clock: ({ action, speed }) => {
      const sim = needSimulation();
      if (!CLOCK_ACTIONS.includes(action)) throw requestError('BAD_REQUEST', `Unknown clock action: ${String(action)}`);
      if (speed !== undefined && typeof speed !== 'number') throw requestError('BAD_REQUEST', 'speed must be a number');
      // A reset starts a new broker whose message ids start over.
      if (action === 'reset') journal.clear();
      return sim.clock(action, speed);
    },
    explain: (command) => explain(command),
    journey: ({ messageId }) => {
      if (typeof messageId !== 'number') throw requestError('BAD_REQUEST', 'journey needs a messageId');
      return journal.journey(messageId);
    },
    whyNot: ({ messageId, queue }) => {
      if (typeof messageId !== 'number' || typeof queue !== 'string') throw requestError('BAD_REQUEST', 'whyNot needs a messageId and a queue');
      const routes = journal.traces(messageId);
      if (!routes) return null;
      const core = needCore('whyNot');
      return routes.map((route, index): ShownWhyNot => {
        const answer = core.whyNot!('/', route.trace, queue);
        return {
          route: index,
          queue: answer.queue,
          arrived: answer.arrived,
          summary: answer.summary,
          reasons: answer.reasons.map((reason) => ({
            kind: reason.kind,
            text: reason.text,
            ...('exchange' in reason ? { exchange: reason.exchange } : {}),
            ...('verdict' in reason ? { verdict: shownVerdict(reason.verdict) } : {}),
          })),
        };
      });
    },
    whatIf: (params) => whatIf(needCore('whatIf'), params),
    queueMessages: ({ queue, limit }) => {
      if (typeof queue !== 'string') throw requestError('BAD_REQUEST', 'queueMessages needs a queue');
      if (limit !== undefined && (typeof limit !== 'number' || !(limit >= 0))) throw requestError('BAD_REQUEST', 'limit must be a number');
      return needCore('peekQueue').peekQueue!('/', queue, Math.min(limit ?? 100, 1000));
    },
    analyze: async ({ diagram }) => {
      if (typeof diagram !== 'object' || diagram === null || !Array.isArray(diagram.nodes) || !Array.isArray(diagram.bindings)) {
        throw requestError('BAD_REQUEST', 'analyze needs a diagram with nodes and bindings');
      }
      const { analyzeDiagram } = await import('./analyze');
      return analyzeDiagram(withServerNames(diagram, simulation?.state().serverNames ?? {}));
    },
    console: async ({ line }) => {
      if (typeof line !== 'string') throw requestError('BAD_REQUEST', 'console needs a line');
      const core: HostedBroker = simulation ? simulation.broker : broker;
      if (!CONSOLE_METHODS.every((m) => typeof core[m] === 'function')) throw requestError('NO_SIMULATION', "This worker's broker cannot run the console.");
      const { runConsoleLine } = await import('./console');
      return runConsoleLine(core as ConsoleCore, line);
    },
    complete: async ({ line }) => {
      if (typeof line !== 'string') throw requestError('BAD_REQUEST', 'complete needs a line');
      const { completeLine } = await import('./console');
      return completeLine(simulation ? simulation.broker : broker, line.slice(0, 4096));
    },
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
      unobserveState();
      buffer = [];
    },
  };
}
