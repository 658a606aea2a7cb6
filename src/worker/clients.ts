/**
 * The simulated clients that run beside the broker core: producers and consumers, each with its
 * own amqplib-shaped connection (`broker.connect()`), on the broker's simulated clock
 * (`broker.setTimeout`), so what they do appears in the event stream exactly as a real client's
 * would: publish traces, confirms, returns, deliveries, acks, nacks.
 *
 * - A producer publishes its template on a confirm channel and counts confirms, nacks and
 *   returns. In rate mode it publishes every 1000/perSecond simulated ms.
 * - A consumer subscribes with its prefetch and ack mode. Like the tutorials' workers, each
 *   delivery starts its own `workMs` timer; when it fires the message is acked, or, with
 *   probability `failure.rate` drawn from a seeded generator, nacked or rejected as
 *   `failure.action` says. `crash` closes the connection: the broker requeues what was unacked.
 */

import type { AmqplibMessage, Broker, Channel, ConfirmChannel, Connection } from '../broker/index';
import { publishOptions } from './amqp-values';
import { clientErrorOf, type ClientError } from './amqp-errors';
import { seededRandom } from './random';
import type { ConsumerClient, ProducerClient } from '../document/topology';

type ClockTask = ReturnType<Broker['setTimeout']>;

/** The most a rate-mode producer publishes per simulated second. */
export const MAX_RATE_PER_SECOND = 10_000;

/** Where a client sits in the broker's event stream (`connection` and `channel` of events). */
export interface ClientIds {
  connection: number | null;
  channel: number | null;
}

export interface ProducerState extends ClientIds {
  kind: 'producer';
  id: string;
  /** Messages handed to the channel. */
  published: number;
  confirmed: number;
  nacked: number;
  returned: number;
  /** Rate-mode publishes missed while the channel was being reopened after an error. */
  skipped: number;
  /** The last error the producer was told about (a channel close), or null. */
  error: ClientError | null;
}

export type ConsumerStatus = 'running' | 'stopped' | 'crashed';

export interface ConsumerState extends ClientIds {
  kind: 'consumer';
  id: string;
  status: ConsumerStatus;
  /** The consumer tag while subscribed, or null. */
  consumerTag: string | null;
  delivered: number;
  acked: number;
  /** Deliveries whose processing failed (then nacked or rejected, or lost with auto ack). */
  failed: number;
  /** Deliveries whose work timer is still running. */
  inFlight: number;
  error: ClientError | null;
}

export type ClientState = ProducerState | ConsumerState;

/** What one publish request did. */
export interface PublishResult {
  /** Messages handed to the channel (amqplib refused none of them before sending). */
  published: number;
  /** Confirmed by the broker (basic.ack). */
  confirmed: number;
  /** Refused by a full queue (basic.nack). */
  nacked: number;
  /** Unroutable and mandatory (basic.return; also confirmed). */
  returned: number;
  /** Never confirmed: the server closed the channel first (e.g. 404, no such exchange). */
  lost: number;
  /** The error that closed the channel, or amqplib's refusal, if either happened meanwhile. */
  error?: ClientError;
}

type Outcome = 'ack' | 'nack' | 'lost' | 'refused';

const encoder = new TextEncoder();

/** The server-side ids of a client connection and channel, for matching events to clients. */
function serverIds(broker: Broker, connection: Connection, channel: Channel): ClientIds {
  const snapshot = broker.inspect();
  const conn = snapshot.connections.find((c) => c.name === connection.name);
  const ch = conn && snapshot.channels.find((c) => c.connection === conn.id && c.number === channel.ch);
  return { connection: conn?.id ?? null, channel: ch?.id ?? null };
}

/** A client whose channel another one shares (a producer, for its program's reply consumer). */
export interface ChannelOwner {
  channel(): Promise<Channel>;
  state(): ClientIds;
}

/** A simulated publisher. */
export class SimProducer {
  readonly id: string;
  readonly #broker: Broker;
  #spec: ProducerClient;
  #options: Record<string, unknown>;
  #body: Uint8Array;
  #connection: Connection | undefined;
  #channel: ConfirmChannel | undefined;
  #opening: Promise<ConfirmChannel> | undefined;
  #ids: ClientIds = { connection: null, channel: null };
  #closed = false;
  /** A consumer of the same program uses its channel: it stays connected after publishing. */
  #sharesChannel = false;
  #rate: { perSecond: number; start: number; count: number; task: ClockTask | undefined } | undefined;
  readonly #stats = { published: 0, confirmed: 0, nacked: 0, returned: 0, skipped: 0 };
  #error: ClientError | null = null;

  constructor(broker: Broker, spec: ProducerClient) {
    this.#broker = broker;
    this.id = spec.id;
    this.#spec = spec;
    this.#options = publishOptions(spec.message);
    this.#body = encoder.encode(spec.message.body);
  }

  get spec(): ProducerClient {
    return this.#spec;
  }

  /**
   * A rate-mode producer connects now and starts its timer: a long-running publisher. Once and
   * burst producers are the tutorials' scripts (send.py, new_task.py): they connect when they
   * publish and close the connection after, so `list_connections` shows them only meanwhile.
   */
  async open(): Promise<ClientError | undefined> {
    if (this.#spec.mode.kind !== 'rate') return undefined;
    try {
      await this.#ensureChannel();
    } catch (thrown) {
      return (this.#error = clientErrorOf(thrown));
    }
    this.#arm();
    return undefined;
  }

  /** Takes new settings; a changed rate restarts the rate timer from now. */
  update(spec: ProducerClient): void {
    this.#spec = spec;
    this.#options = publishOptions(spec.message);
    this.#body = encoder.encode(spec.message.body);
    this.#arm();
  }

  /** Publishes `count` messages now and waits for their confirms. */
  async publish(count: number): Promise<PublishResult> {
    const channel = await this.#ensureChannel();
    const errorBefore = this.#error;
    let returned = 0;
    const onReturn = () => returned++;
    channel.on('return', onReturn);
    const outcomes: Promise<Outcome>[] = [];
    for (let i = 0; i < count; i++) outcomes.push(new Promise((resolve) => this.#send(channel, resolve)));
    const results = await Promise.all(outcomes);
    channel.off('return', onReturn);
    if (this.#spec.mode.kind !== 'rate' && !this.#sharesChannel) await this.#hangUp();
    const tally = (outcome: Outcome) => results.filter((r) => r === outcome).length;
    const result: PublishResult = {
      published: count - tally('refused'),
      confirmed: tally('ack'),
      nacked: tally('nack'),
      returned,
      lost: tally('lost'),
    };
    if (this.#error !== errorBefore && this.#error) result.error = this.#error;
    return result;
  }

  /**
   * Its channel, which a consumer of the same program shares for Direct Reply-to: the RPC
   * client consumes amq.rabbitmq.reply-to on the channel it publishes its requests on, and
   * stays connected to hear the answers.
   */
  channel(): Promise<Channel> {
    this.#sharesChannel = true;
    return this.#ensureChannel();
  }

  /** A script's end: the connection closes; its ids stay in the state, as the events name them. */
  async #hangUp(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    this.#channel = undefined;
    await connection?.close().catch(() => {});
  }

  /** Closes the connection and stops the rate timer. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#broker.clearTimeout(this.#rate?.task);
    this.#rate = undefined;
    const connection = this.#connection;
    this.#connection = undefined;
    this.#channel = undefined;
    await connection?.close().catch(() => {});
  }

  state(): ProducerState {
    return { kind: 'producer', id: this.id, ...this.#ids, ...this.#stats, error: this.#error };
  }

  #send(channel: ConfirmChannel, done?: (outcome: Outcome) => void): void {
    const target = this.#spec.target;
    if (!target) {
      done?.('refused');
      return;
    }
    try {
      channel.publish(target.exchange, target.routingKey, this.#body, this.#options, (err: Error | null) => {
        if (!err) {
          this.#stats.confirmed++;
          done?.('ack');
        } else if (err.message === 'message nacked') {
          this.#stats.nacked++;
          done?.('nack');
        } else done?.('lost');
      });
      this.#stats.published++;
    } catch (thrown) {
      // amqplib refused it before sending (a bad property) or the channel is closed.
      this.#error = clientErrorOf(thrown);
      done?.('refused');
    }
  }

  #ensureChannel(): Promise<ConfirmChannel> {
    if (this.#channel) return Promise.resolve(this.#channel);
    this.#opening ??= this.#openChannel().finally(() => (this.#opening = undefined));
    return this.#opening;
  }

  async #openChannel(): Promise<ConfirmChannel> {
    if (this.#closed) throw new Error('the producer was removed');
    if (!this.#connection) {
      const connection = await this.#broker.connect();
      connection.on('error', (error: Error) => (this.#error = clientErrorOf(error)));
      connection.on('close', () => {
        if (this.#connection !== connection) return;
        this.#connection = undefined;
        this.#channel = undefined;
        this.#ids = { connection: null, channel: null };
      });
      this.#connection = connection;
    }
    const channel = await this.#connection.createConfirmChannel();
    channel.on('return', () => this.#stats.returned++);
    channel.on('error', (error: Error) => (this.#error = clientErrorOf(error)));
    channel.on('close', () => {
      if (this.#channel !== channel) return;
      this.#channel = undefined;
      this.#ids = { ...this.#ids, channel: null };
    });
    this.#channel = channel;
    this.#ids = serverIds(this.#broker, this.#connection, channel);
    return channel;
  }

  /**
   * (Re)starts the rate timer when the rate changed: publish k at start + k * 1000 / perSecond.
   * A producer that is not linked to an exchange or queue has no rate.
   */
  #arm(): void {
    const { mode, target } = this.#spec;
    const perSecond =
      target && mode.kind === 'rate' && Number.isFinite(mode.perSecond) && mode.perSecond > 0 ? Math.min(mode.perSecond, MAX_RATE_PER_SECOND) : 0;
    if (this.#closed || (this.#rate?.perSecond ?? 0) === perSecond) return;
    this.#broker.clearTimeout(this.#rate?.task);
    this.#rate = perSecond > 0 ? { perSecond, start: this.#broker.now(), count: 0, task: undefined } : undefined;
    this.#scheduleNext();
  }

  #scheduleNext(): void {
    const rate = this.#rate;
    if (!rate) return;
    const due = Math.round(rate.start + ((rate.count + 1) * 1000) / rate.perSecond);
    rate.task = this.#broker.setTimeout(() => {
      rate.count++;
      if (this.#channel) this.#send(this.#channel);
      else {
        this.#stats.skipped++;
        this.#ensureChannel().catch((thrown: unknown) => (this.#error = clientErrorOf(thrown)));
      }
      if (this.#rate === rate) this.#scheduleNext();
    }, due - this.#broker.now());
  }
}

/** A simulated consumer (a worker process). */
export class SimConsumer {
  readonly id: string;
  readonly #broker: Broker;
  readonly #random: () => number;
  #spec: ConsumerClient;
  #status: ConsumerStatus;
  #connection: Connection | undefined;
  #channel: Channel | undefined;
  /** Another client whose channel it consumes on (Direct Reply-to, see `shareChannel`), if any. */
  #borrowed: ChannelOwner | undefined;
  #ids: ClientIds = { connection: null, channel: null };
  #tag: string | undefined;
  readonly #work = new Set<ClockTask>();
  readonly #stats = { delivered: 0, acked: 0, failed: 0 };
  #error: ClientError | null = null;

  constructor(broker: Broker, spec: ConsumerClient, seed: number) {
    this.#broker = broker;
    this.id = spec.id;
    this.#spec = spec;
    this.#status = spec.running ? 'running' : 'stopped';
    this.#random = seededRandom(seed, spec.id);
  }

  get spec(): ConsumerClient {
    return this.#spec;
  }

  get status(): ConsumerStatus {
    return this.#status;
  }

  /** Running but not subscribed (new, or its queue was deleted under it): `subscribe` it. */
  get wantsSubscription(): boolean {
    return this.#status === 'running' && this.#tag === undefined && this.#spec.queue !== null;
  }

  /**
   * Takes new settings. A running consumer whose queue, prefetch or ack mode changed drops its
   * connection (its unacked messages go back to the queue) and waits to `subscribe` again;
   * `running` stops it, or marks it to subscribe; work time and failure settings apply from the
   * next delivery on.
   */
  async reconfigure(spec: ConsumerClient): Promise<ClientError | undefined> {
    const before = this.#spec;
    this.#spec = spec;
    if (before.running && !spec.running) return this.stop();
    if (!before.running && spec.running) this.#status = 'running';
    const resubscribe = before.queue !== spec.queue || before.prefetch !== spec.prefetch || before.ackMode !== spec.ackMode;
    // Only a subscription has settings to drop (a connection that merely declared its queue stays).
    if (resubscribe && this.#status === 'running' && this.#tag !== undefined) await this.#disconnect();
    return undefined;
  }

  /** Marks it to consume again (after stop or crash): the next sync declares and subscribes. */
  resume(): void {
    this.#status = 'running';
  }

  /** The error its last subscribe or operation met, if any. */
  get error(): ClientError | null {
    return this.#error;
  }

  /** Cancels the subscription; deliveries in progress still finish and are acked. */
  async stop(): Promise<ClientError | undefined> {
    this.#status = 'stopped';
    const tag = this.#tag;
    const channel = this.#channel;
    this.#tag = undefined;
    if (tag === undefined || !channel) return undefined;
    try {
      await channel.cancel(tag);
    } catch (thrown) {
      return (this.#error = clientErrorOf(thrown));
    }
    return undefined;
  }

  /** Dies: work in progress is lost, the connection closes, the broker requeues what was unacked. */
  async crash(): Promise<void> {
    this.#status = 'crashed';
    await this.#disconnect();
  }

  /** Closes the connection for good. */
  async close(): Promise<void> {
    this.#status = 'stopped';
    await this.#disconnect();
  }

  /**
   * Its channel, for what a consumer program does before it consumes: declare its own queue
   * (server-named or exclusive, as the tutorials' receivers do) and bind it. Opens the
   * connection if needed: the queue lives as long as it.
   */
  channel(): Promise<Channel> {
    return this.#ensureChannel();
  }

  /**
   * Consumes on another client's channel from now on: an RPC client's reply consumer shares
   * the channel its requests go out on (Direct Reply-to needs both on one channel).
   */
  shareChannel(owner: ChannelOwner | undefined): void {
    this.#borrowed = owner;
  }

  /** Subscribes if running and not yet subscribed: prefetch, then basic.consume. */
  async subscribe(): Promise<ClientError | undefined> {
    if (!this.wantsSubscription) return undefined;
    const { queue, prefetch, ackMode } = this.#spec;
    const noAck = ackMode === 'auto';
    try {
      const channel = await this.#ensureChannel();
      await channel.prefetch(Math.max(0, Math.floor(prefetch)));
      const { consumerTag } = await channel.consume(queue!, (msg) => this.#onMessage(channel, msg, noAck), { noAck });
      if (this.#channel === channel && this.#status === 'running') this.#tag = consumerTag;
    } catch (thrown) {
      return (this.#error = clientErrorOf(thrown));
    }
    this.#error = null;
    return undefined;
  }

  state(): ConsumerState {
    return {
      kind: 'consumer',
      id: this.id,
      status: this.#status,
      ...this.#ids,
      consumerTag: this.#tag ?? null,
      ...this.#stats,
      inFlight: this.#work.size,
      error: this.#error,
    };
  }

  #onMessage(channel: Channel, msg: AmqplibMessage | null, noAck: boolean): void {
    if (msg === null) {
      // basic.cancel from the server: the queue was deleted.
      if (this.#channel === channel) this.#tag = undefined;
      return;
    }
    this.#stats.delivered++;
    const task = this.#broker.setTimeout(() => {
      this.#work.delete(task);
      this.#finish(channel, msg, noAck);
    }, Math.max(0, this.#spec.workMs));
    this.#work.add(task);
  }

  #finish(channel: Channel, msg: AmqplibMessage, noAck: boolean): void {
    // Drawn for every delivery, so the sequence does not depend on the settings in force.
    const fails = this.#random() < this.#spec.failure.rate;
    if (!noAck && this.#channel !== channel) return; // its channel is gone: the broker requeued it
    if (fails) this.#stats.failed++;
    if (!fails) this.#reply(channel, msg);
    if (noAck) return;
    try {
      if (!fails) {
        channel.ack(msg);
        this.#stats.acked++;
        return;
      }
      switch (this.#spec.failure.action) {
        case 'nack-requeue':
          channel.nack(msg, false, true);
          break;
        case 'nack-drop':
          channel.nack(msg, false, false);
          break;
        case 'reject-requeue':
          channel.reject(msg, true);
          break;
        case 'reject-drop':
          channel.reject(msg, false);
          break;
      }
    } catch (thrown) {
      this.#error = clientErrorOf(thrown);
    }
  }

  /** An RPC server's answer: to the default exchange, routed by the request's reply-to. */
  #reply(channel: Channel, msg: AmqplibMessage): void {
    const { reply } = this.#spec;
    const { replyTo, correlationId } = msg.properties;
    if (reply === null || typeof replyTo !== 'string' || replyTo === '') return;
    try {
      channel.publish('', replyTo, encoder.encode(reply), correlationId === undefined ? {} : { correlationId });
    } catch (thrown) {
      this.#error = clientErrorOf(thrown);
    }
  }

  async #ensureChannel(): Promise<Channel> {
    if (this.#channel) return this.#channel;
    if (this.#borrowed) {
      const channel = this.#adopt(await this.#borrowed.channel());
      const { connection, channel: id } = this.#borrowed.state();
      this.#ids = { connection, channel: id };
      return channel;
    }
    if (!this.#connection) {
      const connection = await this.#broker.connect();
      connection.on('error', (error: Error) => (this.#error = clientErrorOf(error)));
      connection.on('close', () => {
        if (this.#connection !== connection) return;
        this.#forget();
      });
      this.#connection = connection;
    }
    const channel = this.#adopt(await this.#connection.createChannel());
    this.#ids = serverIds(this.#broker, this.#connection, channel);
    return channel;
  }

  #adopt(channel: Channel): Channel {
    channel.on('error', (error: Error) => (this.#error = clientErrorOf(error)));
    channel.on('close', () => {
      if (this.#channel !== channel) return;
      this.#channel = undefined;
      this.#tag = undefined;
      this.#ids = { ...this.#ids, channel: null };
    });
    this.#channel = channel;
    return channel;
  }

  /** Closes the connection (or, on a shared channel, cancels the subscription) and drops the work in progress. */
  async #disconnect(): Promise<void> {
    for (const task of this.#work) this.#broker.clearTimeout(task);
    this.#work.clear();
    const connection = this.#connection;
    const shared = this.#borrowed && this.#channel;
    const tag = this.#tag;
    this.#forget();
    if (shared && tag !== undefined) await shared.cancel(tag).catch(() => {});
    await connection?.close().catch(() => {});
  }

  #forget(): void {
    this.#connection = undefined;
    this.#channel = undefined;
    this.#tag = undefined;
    this.#ids = { connection: null, channel: null };
  }
}
