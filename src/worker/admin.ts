/**
 * The simulation's admin client: one amqplib-shaped connection that applies topology ops
 * (declare, delete, bind, unbind), and the record of what those ops actually did.
 *
 * Each op runs on the admin channel. An op the broker refuses closes that channel (or, for a
 * hard error, the connection), as in RabbitMQ; the next op opens a new one. The record
 * (`AppliedTopology`) changes only when an op succeeded, and is checked against the broker
 * before each diff, since the broker also removes things by itself (auto-delete, x-expires, an
 * exclusive queue whose connection closed): the next sync then starts from the truth.
 */

import type { Broker, BrokerSnapshot, Channel, Connection } from '../broker/index';
import { amqplibTable } from './amqp-values';
import { clientErrorOf, isServerClose, type ClientError } from './amqp-errors';
import { bindingSpecKey, type BindingSpec, type ExchangeSpec, type QueueSpec, type Topology, type TopologyOp } from '../document/topology';

/** What the broker's admin side has, by RabbitMQ name, as far as ops we ran tell. */
export class AppliedTopology {
  readonly exchanges = new Map<string, ExchangeSpec>();
  readonly queues = new Map<string, QueueSpec>();
  readonly bindings = new Map<string, BindingSpec>();

  /** The topology for `diffTopology(applied, wanted)`. */
  toTopology(): Topology {
    return { exchanges: [...this.exchanges.values()], queues: [...this.queues.values()], bindings: [...this.bindings.values()] };
  }

  /** Records the effect of a successful op (a deletion takes its bindings, as in the broker). */
  record(op: TopologyOp): void {
    switch (op.op) {
      case 'declareExchange': {
        const { op: _op, ...spec } = op;
        this.exchanges.set(op.name, spec);
        break;
      }
      case 'deleteExchange':
        this.exchanges.delete(op.name);
        this.#dropBindings((b) => b.source === op.name || (b.destinationKind === 'exchange' && b.destination === op.name));
        break;
      case 'declareQueue': {
        const { op: _op, ...spec } = op;
        this.queues.set(op.name, spec);
        break;
      }
      case 'deleteQueue':
        this.queues.delete(op.name);
        this.#dropBindings((b) => b.destinationKind === 'queue' && b.destination === op.name);
        break;
      case 'bind': {
        const { op: _op, ...spec } = op;
        this.bindings.set(bindingSpecKey(spec), spec);
        break;
      }
      case 'unbind':
        this.bindings.delete(bindingSpecKey(op));
        break;
    }
  }

  /** Forgets what the broker no longer has (whatever removed it). */
  reconcile(snapshot: BrokerSnapshot, vhost = '/'): void {
    const exchanges = new Set(snapshot.exchanges.filter((x) => x.vhost === vhost).map((x) => x.name));
    const queues = new Set(snapshot.queues.filter((q) => q.vhost === vhost).map((q) => q.name));
    const bindings = new Set(
      snapshot.bindings
        .filter((b) => b.vhost === vhost)
        .map((b) => JSON.stringify([b.source_name, b.destination_kind, b.destination_name, b.routing_key])),
    );
    for (const name of this.exchanges.keys()) if (!exchanges.has(name)) this.exchanges.delete(name);
    for (const name of this.queues.keys()) if (!queues.has(name)) this.queues.delete(name);
    this.#dropBindings((b) => !bindings.has(JSON.stringify([b.source, b.destinationKind, b.destination, b.routingKey])));
  }

  clear(): void {
    this.exchanges.clear();
    this.queues.clear();
    this.bindings.clear();
  }

  #dropBindings(drop: (b: BindingSpec) => boolean): void {
    for (const [key, b] of this.bindings) if (drop(b)) this.bindings.delete(key);
  }
}

/** An op the broker (or amqplib) refused. */
export interface OpFailure extends ClientError {
  op: TopologyOp;
}

/** Applies topology ops through its own connection, one channel at a time. */
export class Admin {
  readonly applied = new AppliedTopology();
  readonly #broker: Broker;
  #connection: Connection | undefined;
  #channel: Channel | undefined;
  /** The last close the server sent on the admin connection or channel. */
  #serverError: ClientError | undefined;
  #connectionLosses = 0;

  constructor(broker: Broker) {
    this.#broker = broker;
  }

  /**
   * Runs one op; resolves with its failure (code and RabbitMQ's text), or undefined. `via` is
   * another client's channel, for what only it may do: an exclusive queue belongs to the
   * connection that declared it (its consumer's), and only that one may bind or delete it.
   */
  async apply(op: TopologyOp, via?: () => Promise<Channel>): Promise<OpFailure | undefined> {
    const failure = await this.#run(op, via, (channel) => run(channel, op));
    if (!failure) this.applied.record(op);
    return failure;
  }

  /**
   * Declares a server-named queue (`queue.declare` with name ''), through `via` when its
   * consumer declares it as the tutorials' programs do; resolves with the name the broker gave.
   */
  async declareServerNamed(spec: Omit<QueueSpec, 'name'>, via?: () => Promise<Channel>): Promise<{ name: string } | OpFailure> {
    let name = '';
    const op: TopologyOp = { op: 'declareQueue', name, ...spec };
    const failure = await this.#run(op, via, async (channel) => {
      name = (await channel.assertQueue('', { durable: spec.durable, exclusive: spec.exclusive, autoDelete: spec.autoDelete, arguments: amqplibTable(spec.arguments) })).queue;
    });
    if (failure) return failure;
    this.applied.record({ ...op, name });
    return { name };
  }

  async #run(op: TopologyOp, via: (() => Promise<Channel>) | undefined, call: (channel: Channel) => Promise<void>): Promise<OpFailure | undefined> {
    let channel: Channel;
    try {
      channel = await (via ?? (() => this.#openChannel()))();
    } catch (thrown) {
      return { op, ...clientErrorOf(thrown) };
    }
    this.#serverError = undefined;
    try {
      await call(channel);
    } catch (thrown) {
      // A hard error closes the connection: the call only hears "no reply will be
      // forthcoming", and the code and text come with the connection's error event.
      const reported = isServerClose(thrown) || via ? clientErrorOf(thrown) : (this.#serverError ?? clientErrorOf(thrown));
      return { op, ...reported };
    }
    return undefined;
  }

  /**
   * How many times a hard error closed the admin connection. Exclusive queues it had declared
   * went with it, so a sync that saw one diffs again.
   */
  get connectionLosses(): number {
    return this.#connectionLosses;
  }

  /** Closes the admin connection (exclusive queues it declared go with it). */
  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    this.#channel = undefined;
    await connection?.close().catch(() => {});
  }

  async #openChannel(): Promise<Channel> {
    if (this.#channel) return this.#channel;
    const connection = this.#connection ?? (await this.#connect());
    const channel = await connection.createChannel();
    channel.on('error', (error: Error) => (this.#serverError = clientErrorOf(error)));
    channel.on('close', () => {
      if (this.#channel === channel) this.#channel = undefined;
    });
    this.#channel = channel;
    return channel;
  }

  async #connect(): Promise<Connection> {
    // The playground's own: rabbitmqctl list_connections shows the programs' connections only.
    const connection = await this.#broker.connect({ internal: true });
    connection.on('error', (error: Error) => (this.#serverError = clientErrorOf(error)));
    connection.on('close', () => {
      if (this.#connection !== connection) return;
      this.#connection = undefined;
      this.#channel = undefined;
      this.#connectionLosses++;
    });
    this.#connection = connection;
    return connection;
  }
}

/** One op as an amqplib call. */
async function run(ch: Channel, op: TopologyOp): Promise<void> {
  switch (op.op) {
    case 'declareExchange':
      await ch.assertExchange(op.name, op.type, {
        durable: op.durable,
        autoDelete: op.autoDelete,
        internal: op.internal,
        arguments: amqplibTable(op.arguments),
      });
      return;
    case 'deleteExchange':
      await ch.deleteExchange(op.name);
      return;
    case 'declareQueue':
      await ch.assertQueue(op.name, {
        durable: op.durable,
        exclusive: op.exclusive,
        autoDelete: op.autoDelete,
        arguments: amqplibTable(op.arguments),
      });
      return;
    case 'deleteQueue':
      await ch.deleteQueue(op.name);
      return;
    case 'bind':
      if (op.destinationKind === 'queue') await ch.bindQueue(op.destination, op.source, op.routingKey, amqplibTable(op.arguments));
      else await ch.bindExchange(op.destination, op.source, op.routingKey, amqplibTable(op.arguments));
      return;
    case 'unbind':
      if (op.destinationKind === 'queue') await ch.unbindQueue(op.destination, op.source, op.routingKey, amqplibTable(op.arguments));
      else await ch.unbindExchange(op.destination, op.source, op.routingKey, amqplibTable(op.arguments));
      return;
  }
}
