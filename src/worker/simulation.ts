/**
 * The simulation the worker runs: one broker core, the admin client that keeps its topology in
 * step with the diagram, the simulated producers and consumers, and the clock controls. No DOM,
 * no worker globals and no real timers: the worker's entry calls `tick(realMs)` from its own
 * timer, and tests drive everything by hand, so every run from the same seed is the same run.
 *
 *   const sim = new Simulation({ createBroker, seed: 1 });
 *   sim.observe((event) => ...);          // the broker's events, across resets
 *   await sim.syncTo(diagram);            // topology ops, then clients
 *   await sim.publishBurst('producer-1', 10);
 *   sim.step();                           // run what is due next on the simulated clock
 *
 * The broker is passed in as a factory (`createBroker`): only the worker's entry loads the core's
 * code (tests/worker/boundaries.test.ts), and `reset()` needs a fresh broker.
 */

import type { Broker, BrokerListener, BrokerOptions, BrokerSnapshot, Channel } from '../broker/index';
import { DIRECT_REPLY_TO, withServerNames } from '../document/names';
import type { Diagram, QueueNode } from '../document/types';
import { bindingSpecKey, clientsOf, diffTopology, sameQueue, topologyOf, type Clients, type TopologyOp } from '../document/topology';
import { Admin } from './admin';
import type { ClientError } from './amqp-errors';
import { ClockDriver } from './clock-driver';
import { SimConsumer, SimProducer, type ClientState, type ConsumerState, type PublishResult } from './clients';

export type { ClientState, ConsumerState, ProducerState, PublishResult } from './clients';
export type { ClientError } from './amqp-errors';

export interface SimulationOptions {
  /** Makes the broker core: the worker's entry passes `createBroker` from src/broker. */
  createBroker: (options: BrokerOptions) => Broker;
  /** Seeds the broker's names and the clients' failures (default 0x5eed). */
  seed?: number;
}

/** The clock as the UI shows it. */
export interface ClockState {
  /** Simulated time, ms. */
  now: number;
  playing: boolean;
  speed: number;
  /** When the next timer is due (TTL, work, a rate producer), or null. */
  nextDue: number | null;
}

/** What the UI needs besides the event stream: the clock and each client's counters and ids. */
export interface SimulationState {
  /** Counts resets: events of an earlier epoch came from a broker that is gone. */
  epoch: number;
  clock: ClockState;
  clients: ClientState[];
  /** Set when a tick failed (the clock was paused); null otherwise. */
  fault: string | null;
  /** The names the broker gave the diagram's server-named queues (`amq.gen-…`), by node id. */
  serverNames: Record<string, string>;
}

/** Something a sync could not do: the node (or binding edge) concerned and RabbitMQ's answer. */
export interface SyncError extends ClientError {
  nodeId?: string;
  /** The topology op that failed, when it was one. */
  op?: TopologyOp['op'];
}

export interface SyncResult {
  errors: SyncError[];
}

export type ConsumerAction = 'start' | 'stop' | 'crash';
export type ClockAction = 'play' | 'pause' | 'step' | 'reset';

/** The most messages one publish request sends. */
export const MAX_BURST = 100_000;

/** An error with a protocol code, for requests the simulation cannot serve. */
function requestError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

export class Simulation {
  readonly seed: number;
  readonly #createBroker: (options: BrokerOptions) => Broker;
  #broker!: Broker;
  #admin!: Admin;
  #unobserve: () => void = () => {};
  readonly #observers = new Set<BrokerListener>();
  readonly #stateListeners = new Set<() => void>();
  readonly #producers = new Map<string, SimProducer>();
  readonly #consumers = new Map<string, SimConsumer>();
  readonly #driver = new ClockDriver();
  /** The last diagram synced: what `reset` rebuilds. */
  #diagram: Diagram | undefined;
  /** Server-named queues the broker has now: node id → `amq.gen-…`. */
  readonly #serverNames = new Map<string, string>();
  #epoch = 0;
  #fault: string | null = null;
  /** Async requests run one after another; ticks wait while one is in progress. */
  #queue: Promise<unknown> = Promise.resolve();
  #busy = 0;

  constructor(options: SimulationOptions) {
    this.seed = options.seed ?? 0x5eed;
    this.#createBroker = options.createBroker;
    this.#startBroker();
  }

  /** The broker core in use (a new one after each reset). */
  get broker(): Broker {
    return this.#broker;
  }

  get playing(): boolean {
    return this.#driver.playing;
  }

  get speed(): number {
    return this.#driver.speed;
  }

  // ---- observation -----------------------------------------------------------------------

  /** The broker's event stream, kept across resets. Returns the unsubscribe function. */
  observe(listener: BrokerListener): () => void {
    this.#observers.add(listener);
    return () => this.#observers.delete(listener);
  }

  /** Called whenever the state may have changed (clock moved, clients changed). */
  onStateChange(listener: () => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** What `rabbitmqctl` would list now. */
  inspect(): BrokerSnapshot {
    return this.#broker.inspect();
  }

  clockState(): ClockState {
    return { now: this.#broker.now(), playing: this.#driver.playing, speed: this.#driver.speed, nextDue: this.#broker.nextDue() ?? null };
  }

  state(): SimulationState {
    const clients: ClientState[] = [];
    for (const producer of this.#producers.values()) clients.push(producer.state());
    for (const consumer of this.#consumers.values()) clients.push(consumer.state());
    return { epoch: this.#epoch, clock: this.clockState(), clients, fault: this.#fault, serverNames: Object.fromEntries(this.#serverNames) };
  }

  // ---- the diagram -----------------------------------------------------------------------

  /**
   * Brings the broker and the clients in line with `diagram`: the topology ops that turn what
   * was applied into what the diagram describes, then the clients (new ones connect, removed
   * ones close, changed ones restart, stop or start). Each failure names its node and carries
   * RabbitMQ's code and text; what did succeed stays applied and is remembered.
   */
  syncTo(diagram: Diagram): Promise<SyncResult> {
    return this.#serial(() => this.#sync(diagram));
  }

  async #sync(diagram: Diagram): Promise<SyncResult> {
    const errors: SyncError[] = [];
    // Clients that left the diagram go first, like a worker shut down before its queue is
    // deleted: what they had unacked goes back to a queue that still exists.
    await this.#closeRemovedClients(clientsOf(diagram));
    // Consumers take their settings before the topology: they may own queues in it.
    await this.#prepareConsumers(clientsOf(withServerNames(diagram, Object.fromEntries(this.#forgetGoneServerNames()))), errors);
    const owners = new Owners(diagram, this.#consumers);
    await this.#nameServerQueues(diagram, owners, errors);
    const named = withServerNames(diagram, Object.fromEntries(this.#serverNames));
    await this.#applyTopology(named, owners, errors);
    await this.#syncClients(clientsOf(named), errors);
    this.#diagram = diagram;
    this.#changed();
    return { errors };
  }

  /** Drops the names of server-named queues the broker no longer has (their owner went). */
  #forgetGoneServerNames(): Map<string, string> {
    const live = new Set(this.#broker.inspect().queues.filter((q) => q.vhost === '/').map((q) => q.name));
    for (const [id, name] of this.#serverNames) if (!live.has(name)) this.#serverNames.delete(id);
    return this.#serverNames;
  }

  /**
   * Declares the diagram's server-named queues the broker does not have (each through its
   * first consumer, as the tutorials' receivers declare their own, else the admin connection),
   * and deletes those that left the diagram or changed (a new declaration gets a new name).
   */
  async #nameServerQueues(diagram: Diagram, owners: Owners, errors: SyncError[]): Promise<void> {
    const admin = this.#admin;
    admin.applied.reconcile(this.#broker.inspect());
    const wanted = new Map(diagram.nodes.filter((n): n is QueueNode => n.kind === 'queue' && n.name === '').map((n) => [n.id, n]));
    for (const [id, name] of this.#serverNames) {
      const node = wanted.get(id);
      const had = admin.applied.queues.get(name);
      if (node && had && sameQueue(had, { ...node, name })) continue;
      this.#serverNames.delete(id);
      const failure = await admin.apply({ op: 'deleteQueue', name }, owners.channelOf(id));
      if (failure) errors.push({ nodeId: id, op: 'deleteQueue', code: failure.code, message: failure.message });
    }
    for (const node of wanted.values()) {
      // A crashed receiver's queue went with its connection; it is declared anew on restart.
      if (this.#serverNames.has(node.id) || owners.ownerOf(node.id)?.status === 'crashed') continue;
      const { durable, exclusive, autoDelete, arguments: args } = node;
      const result = await admin.declareServerNamed({ durable, exclusive, autoDelete, arguments: args }, owners.channelOf(node.id));
      if ('name' in result) this.#serverNames.set(node.id, result.name);
      else errors.push({ nodeId: node.id, op: 'declareQueue', code: result.code, message: result.message });
    }
  }

  async #applyTopology(diagram: Diagram, owners: Owners, errors: SyncError[]): Promise<void> {
    const admin = this.#admin;
    const wanted = topologyOf(diagram);
    // Ops name exchanges, queues and bindings; errors name the node or edge, from this diagram
    // or (for what it no longer has) the one synced before.
    const subjects = subjectsOf(diagram);
    const previous = this.#diagram ? subjectsOf(this.#diagram) : new Map<string, string>();
    const nodeOf = (op: TopologyOp) => subjects.get(subjectKey(op)) ?? previous.get(subjectKey(op));
    // An exchange or queue that could not be (re)declared or deleted: the ops that hang on it
    // would fail for the same reason, so they are not tried (its own error says why).
    const failed = new Set<string>();
    // A hard error closes the admin connection and takes its exclusive queues along: then the
    // diff is made once more from what the broker has left, so they are declared again.
    for (let pass = 0; pass < 2; pass++) {
      const losses = admin.connectionLosses;
      admin.applied.reconcile(this.#broker.inspect());
      for (const op of diffTopology(admin.applied.toTopology(), wanted)) {
        if (dependsOnFailed(op, failed)) continue;
        // An exclusive queue is its consumer's: declared, bound and deleted on its connection,
        // and absent while that consumer is crashed.
        const queue = queueOfOp(op);
        const owned = queue !== null && (admin.applied.queues.get(queue)?.exclusive ?? wanted.queues.find((q) => q.name === queue)?.exclusive) === true;
        const owner = owned ? owners.ownerOfName(diagram, queue) : undefined;
        if (owner?.status === 'crashed') continue;
        const failure = await admin.apply(op, owner ? () => owner.channel() : undefined);
        if (!failure) continue;
        errors.push({ nodeId: nodeOf(op), op: op.op, code: failure.code, message: failure.message });
        failed.add(subjectKey(op));
      }
      admin.applied.reconcile(this.#broker.inspect());
      if (admin.connectionLosses === losses) break;
    }
  }

  async #closeRemovedClients({ producers, consumers }: Clients): Promise<void> {
    const keepProducers = new Set(producers.map((p) => p.id));
    for (const [id, producer] of this.#producers) {
      if (keepProducers.has(id)) continue;
      this.#producers.delete(id);
      await producer.close();
    }
    const keepConsumers = new Set(consumers.map((c) => c.id));
    for (const [id, consumer] of this.#consumers) {
      if (keepConsumers.has(id)) continue;
      this.#consumers.delete(id);
      await consumer.close();
    }
  }

  /** New consumers are made, changed ones take their settings (and may drop their connection). */
  async #prepareConsumers({ consumers }: Clients, errors: SyncError[]): Promise<void> {
    for (const spec of consumers) {
      const existing = this.#consumers.get(spec.id);
      if (!existing) this.#consumers.set(spec.id, new SimConsumer(this.#broker, spec, this.seed));
      else {
        const error = await existing.reconfigure(spec);
        if (error) errors.push({ nodeId: spec.id, code: error.code, message: error.message });
      }
    }
  }

  /** New producers connect, changed ones take their settings, running consumers subscribe. */
  async #syncClients({ producers, consumers }: Clients, errors: SyncError[]): Promise<void> {
    const report = (nodeId: string, error: ClientError | undefined) => {
      if (error) errors.push({ nodeId, code: error.code, message: error.message });
    };
    for (const spec of producers) {
      const existing = this.#producers.get(spec.id);
      if (existing) {
        existing.update(spec);
        continue;
      }
      const producer = new SimProducer(this.#broker, spec);
      this.#producers.set(spec.id, producer);
      report(spec.id, await producer.open());
    }
    // Settings that waited for a server-named queue's name (its consumers had none before).
    for (const spec of consumers) report(spec.id, await this.#consumers.get(spec.id)?.reconfigure(spec));
    // An RPC client is one program: its Direct Reply-to consumer shares the channel of the
    // producer of the same name, which publishes the requests.
    for (const spec of consumers) {
      const program = spec.queue === DIRECT_REPLY_TO ? producers.find((p) => p.name === spec.name) : undefined;
      this.#consumers.get(spec.id)?.shareChannel(program && this.#producers.get(program.id));
    }
    // New consumers, restarted ones, and those whose queue was deleted and declared again.
    // One whose queue is not declared (its declare failed) waits: that error is reported.
    for (const consumer of this.#consumers.values()) {
      const queue = consumer.spec.queue;
      if (!consumer.wantsSubscription || queue === null || (queue !== DIRECT_REPLY_TO && !this.#admin.applied.queues.has(queue))) continue;
      report(consumer.id, await consumer.subscribe());
    }
  }

  // ---- clients ---------------------------------------------------------------------------

  /**
   * Publishes for a producer: `count` messages, or as its mode says (once: 1, burst: its
   * count, rate: 1). Resolves once the broker confirmed (or nacked) them.
   */
  publish(producerId: string, count?: number): Promise<PublishResult> {
    return this.#serial(async () => {
      const producer = this.#producers.get(producerId);
      if (!producer) {
        throw requestError('UNKNOWN_PRODUCER', `No producer '${producerId}' in the synced diagram`);
      }
      if (!producer.spec.target) {
        throw requestError('NOT_LINKED', `Producer '${producer.spec.name}' is not linked to an exchange or a queue`);
      }
      const mode = producer.spec.mode;
      const n = count ?? (mode.kind === 'burst' ? mode.count : 1);
      if (!Number.isInteger(n) || n < 0 || n > MAX_BURST) {
        throw requestError('BAD_REQUEST', `count must be an integer from 0 to ${MAX_BURST}, got ${String(n)}`);
      }
      const result = await producer.publish(n);
      this.#changed();
      return result;
    });
  }

  /** Publishes one message from a producer's template. */
  publishOnce(producerId: string): Promise<PublishResult> {
    return this.publish(producerId, 1);
  }

  /** Publishes `n` messages from a producer's template, back to back. */
  publishBurst(producerId: string, n: number): Promise<PublishResult> {
    return this.publish(producerId, n);
  }

  /** Starts, stops or crashes a consumer; resolves with its state after. */
  consumer(consumerId: string, action: ConsumerAction): Promise<ConsumerState> {
    return this.#serial(async () => {
      const consumer = this.#consumers.get(consumerId);
      if (!consumer) throw requestError('UNKNOWN_CONSUMER', `No consumer '${consumerId}' in the synced diagram`);
      if (action === 'start') {
        // Like a program started again: it declares what it owns (a new amq.gen- name for a
        // server-named queue), binds it and consumes, so the whole diagram is synced.
        consumer.resume();
        if (this.#diagram) await this.#sync(this.#diagram);
        else await consumer.subscribe();
        if (consumer.state().consumerTag === null && consumer.error) throw Object.assign(new Error(consumer.error.message), { code: consumer.error.code });
      } else if (action === 'stop') await consumer.stop();
      else {
        await consumer.crash();
        // Its exclusive queues went with its connection.
        this.#forgetGoneServerNames();
        this.#admin.applied.reconcile(this.#broker.inspect());
      }
      this.#changed();
      return consumer.state();
    });
  }

  // ---- the clock -------------------------------------------------------------------------

  /** Plays: each `tick(realMs)` then moves simulated time by realMs × speed (0.25–8). */
  play(speed?: number): ClockState {
    this.#driver.play(speed);
    this.#fault = null;
    this.#changed();
    return this.clockState();
  }

  pause(): ClockState {
    this.#driver.pause();
    this.#changed();
    return this.clockState();
  }

  /** Pauses, then advances to the next due timer and runs what is due then. */
  step(): ClockState {
    this.#driver.pause();
    const due = this.#broker.nextDue();
    if (due !== undefined) this.#broker.advance(Math.max(0, due - this.#broker.now()));
    this.#changed();
    return this.clockState();
  }

  /** Advances simulated time by `ms`, running every timer due on the way. */
  advanceBy(ms: number): ClockState {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`advanceBy needs a non-negative number of ms, got ${ms}`);
    this.#broker.advance(ms);
    this.#changed();
    return this.clockState();
  }

  /**
   * The worker's timer calls this with the real ms since its last call; while playing, the
   * simulated clock moves by that × speed. Returns the simulated ms it moved. A failing timer
   * pauses the clock and shows in `state().fault` (a tick has no caller to answer).
   */
  tick(realElapsedMs: number): number {
    if (this.#busy > 0) return 0;
    const ms = this.#driver.simulatedFor(realElapsedMs);
    if (ms === 0) return 0;
    try {
      this.#broker.advance(ms);
    } catch (thrown) {
      this.#driver.pause();
      this.#fault = thrown instanceof Error ? thrown.message : String(thrown);
    }
    this.#changed();
    return ms;
  }

  /**
   * Starts over: a fresh broker (same seed) at time 0, paused, with the last synced diagram
   * applied again and its clients reconnected. Resolves with that sync's result.
   */
  reset(): Promise<SyncResult> {
    return this.#serial(async () => {
      this.#driver.pause();
      this.#fault = null;
      this.#startBroker();
      this.#epoch++;
      const result = this.#diagram ? await this.#sync(this.#diagram) : { errors: [] };
      this.#changed();
      return result;
    });
  }

  /**
   * The protocol's clock command: play/pause/step/reset, answered with the clock after. A `speed`
   * given with any action becomes the speed (pause with a speed changes it without playing).
   */
  async clock(action: ClockAction, speed?: number): Promise<ClockState> {
    switch (action) {
      case 'play':
        return this.play(speed);
      case 'pause':
        if (speed !== undefined) this.#driver.setSpeed(speed);
        return this.pause();
      case 'step':
        if (speed !== undefined) this.#driver.setSpeed(speed);
        return this.step();
      case 'reset':
        await this.reset();
        if (speed !== undefined) this.#driver.setSpeed(speed);
        return this.clockState();
      default:
        throw requestError('BAD_REQUEST', `Unknown clock action: ${String(action)}`);
    }
  }

  /** Stops observing; the simulation is unusable after. */
  dispose(): void {
    this.#unobserve();
    this.#observers.clear();
    this.#stateListeners.clear();
  }

  // ---- internals -------------------------------------------------------------------------

  #startBroker(): void {
    this.#unobserve();
    this.#producers.clear();
    this.#consumers.clear();
    this.#serverNames.clear();
    this.#broker = this.#createBroker({ seed: this.seed });
    this.#admin = new Admin(this.#broker);
    this.#unobserve = this.#broker.observe((event) => {
      for (const listener of this.#observers) listener(event);
    });
  }

  #changed(): void {
    for (const listener of [...this.#stateListeners]) listener();
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = async () => {
      this.#busy++;
      try {
        return await work();
      } finally {
        this.#busy--;
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => {});
    return result;
  }
}

/** What an op is about: `exchange:NAME`, `queue:NAME` or `binding:KEY` (see subjectsOf). */
function subjectKey(op: TopologyOp): string {
  switch (op.op) {
    case 'declareExchange':
    case 'deleteExchange':
      return `exchange:${op.name}`;
    case 'declareQueue':
    case 'deleteQueue':
      return `queue:${op.name}`;
    default:
      return `binding:${bindingSpecKey(op)}`;
  }
}

/** The node (or binding edge) id of each exchange, queue and binding a diagram holds, by subjectKey. */
function subjectsOf(diagram: Diagram): Map<string, string> {
  const subjects = new Map<string, string>();
  const byId = new Map(diagram.nodes.map((n) => [n.id, n]));
  for (const n of diagram.nodes) {
    if (n.kind === 'exchange' || n.kind === 'queue') {
      const key = `${n.kind}:${n.name}`;
      if (!subjects.has(key)) subjects.set(key, n.id);
    }
  }
  for (const edge of diagram.bindings) {
    const source = byId.get(edge.source);
    const destination = byId.get(edge.destination.id);
    if (source?.kind !== 'exchange' || (destination?.kind !== 'queue' && destination?.kind !== 'exchange')) continue;
    const key = `binding:${bindingSpecKey({ source: source.name, destinationKind: destination.kind, destination: destination.name, routingKey: edge.routingKey, arguments: edge.arguments })}`;
    if (!subjects.has(key)) subjects.set(key, edge.id);
  }
  return subjects;
}

/**
 * Does this op hang on one that failed earlier in the same sync: the same op again (a second
 * pass), a binding of an exchange or queue that could not be declared, or the declare that
 * follows a refused delete?
 */
function dependsOnFailed(op: TopologyOp, failed: Set<string>): boolean {
  if (failed.size === 0) return false;
  if (failed.has(subjectKey(op))) return true;
  if (op.op !== 'bind' && op.op !== 'unbind') return false;
  return failed.has(`exchange:${op.source}`) || failed.has(`${op.destinationKind}:${op.destination}`);
}

/** The queue an op declares, deletes or binds to, or null (exchange ops and bindings). */
function queueOfOp(op: TopologyOp): string | null {
  if (op.op === 'declareQueue' || op.op === 'deleteQueue') return op.name;
  if ((op.op === 'bind' || op.op === 'unbind') && op.destinationKind === 'queue') return op.destination;
  return null;
}

/** Which consumer owns a queue node: its first consumer in the diagram, the program that declares it. */
class Owners {
  readonly #owner = new Map<string, SimConsumer>();

  constructor(diagram: Diagram, consumers: ReadonlyMap<string, SimConsumer>) {
    for (const n of diagram.nodes) {
      if (n.kind !== 'consumer' || n.queue === null || this.#owner.has(n.queue)) continue;
      const consumer = consumers.get(n.id);
      if (consumer) this.#owner.set(n.queue, consumer);
    }
  }

  ownerOf(queueNodeId: string): SimConsumer | undefined {
    return this.#owner.get(queueNodeId);
  }

  /** The owner of the queue node this (resolved) diagram names so. */
  ownerOfName(diagram: Diagram, name: string): SimConsumer | undefined {
    const node = diagram.nodes.find((n) => n.kind === 'queue' && n.name === name);
    return node ? this.#owner.get(node.id) : undefined;
  }

  /** The owner's channel as an op's `via`, or undefined (the admin's). */
  channelOf(queueNodeId: string): (() => Promise<Channel>) | undefined {
    const owner = this.#owner.get(queueNodeId);
    return owner ? () => owner.channel() : undefined;
  }
}
