/**
 * The broker: vhosts, connections and channels, the simulated clock, and the observer stream.
 * Channel operations run here synchronously, in the order the client called them; an AmqpError
 * closes the channel (or the connection, for hard errors) exactly as RabbitMQ would.
 *
 * Observing costs nothing while nobody listens: events and route traces are only built when
 * `observe` has a listener.
 */

import type { Binding } from './binding';
import { SimulatedClock, type ClockTask } from './clock';
import { AmqpError, accessRefused, notFound, preconditionFailed, resourceLocked, type AmqpMethod } from './errors';
import type { BrokerEvent, BrokerListener, DropCause } from './events';
import type { Exchange } from './exchange';
import { erlangTypeName, formatErlangTerm, toFieldTable, toFieldValue, type ErlangTerm, type FieldTable, type FieldType } from './field-table';
import { inspectBroker, peekQueueMessages, type BrokerSnapshot, type QueuedMessageInfo } from './inspect';
import type { Message, MessageProperties, QueuedMessage } from './message';
import { NameSource } from './names';
import { messageTtl, type DeathReason, type OfferResult, type Queue, type QueueHost } from './queue';
import { deadLetter, isDeadLetterCycle } from './dead-letter';
import { DirectReplyTo, isReplyToAddress, REPLY_TO } from './reply-to';
import { route, routeTraced } from './routing';
import { CallbackConnection, connectWithCallback } from './amqp/callback-api';
import { Connection } from './amqp/connection';
import { Consumer, ServerChannel, ServerConnection, type ChannelSink, type ConnectionSink, type Delivery, type Outcome, type SessionHost, type SettleMethod } from './session';
import type { QueueArrival, RouteOutcome, RouteTrace } from './trace';
import { Vhost, type ExchangeDeclaration, type QueueDeclaration } from './vhost';
import { explainWhyNot, type WhyNot } from './why-not';

export interface BrokerOptions {
  /** Seeds server-made names (amq.gen-…, client ports) so runs repeat exactly. */
  seed?: number;
}

/** A what-if publish's options, as amqplib's publish takes them (see Broker.whatIf). */
export interface WhatIfOptions {
  /** A FieldTable, or a plain object as amqplib takes headers (`{ region: 'eu' }`). */
  headers?: FieldTable | Record<string, unknown>;
  CC?: string | string[];
  BCC?: string | string[];
  mandatory?: boolean;
  /** The body's size in bytes, for x-max-length-bytes (default 0). */
  bodySize?: number;
  /** The priority property (0-255), for where it would stand in a priority queue. */
  priority?: number;
}

/** The events a call makes, before they carry a time and vhost. */
type EventBody = BrokerEvent extends infer E ? (E extends BrokerEvent ? Omit<E, 'time' | 'vhost'> : never) : never;

export class Broker implements SessionHost {
  readonly clock = new SimulatedClock();
  readonly vhosts = new Map<string, Vhost>();
  readonly connections = new Map<number, ServerConnection>();
  #observers: BrokerListener[] = [];
  #deferred: BrokerEvent[] | undefined;
  readonly #wires = new Set<{ drainNow(): void }>();
  readonly #replyTo = new DirectReplyTo();
  #names: NameSource;
  #nextConnectionId = 1;
  #nextChannelId = 1;
  #nextMessageId = 1;
  /** Set while whatIf routes: x-local-random then leaves the seeded generator alone. */
  #dryRun = false;

  constructor(options: BrokerOptions = {}) {
    this.#names = new NameSource(options.seed ?? 0x5eed);
    // Clients beside the broker see each timer's effects before the next timer runs, so work
    // they schedule from a delivery (a worker's setTimeout) lands at the right simulated time.
    this.clock.afterEach = () => {
      for (const wire of this.#wires) wire.drainNow();
    };
    this.addVhost('/', { withLogExchange: true });
  }

  /** A new vhost has every built-in exchange but amq.rabbitmq.log, which only `/` has. */
  addVhost(name: string, options: { withLogExchange?: boolean } = {}): Vhost {
    const existing = this.vhosts.get(name);
    if (existing) return existing;
    const vhost = new Vhost(name, this.#vhostHooks(name), { withLogExchange: options.withLogExchange ?? false });
    this.vhosts.set(name, vhost);
    return vhost;
  }

  vhost(name: string): Vhost {
    const v = this.vhosts.get(name);
    if (!v) throw new AmqpError('NOT_ALLOWED', `vhost ${name} not found`);
    return v;
  }

  // ---- time and observation ------------------------------------------------------------

  now(): number {
    return this.clock.now();
  }

  advance(ms: number): void {
    this.clock.advance(ms);
  }

  /** When the next timer (TTL, expiry, a simulated client's work) is due, or undefined. */
  nextDue(): number | undefined {
    return this.clock.nextDue();
  }

  /**
   * `setTimeout` on the simulated clock, for client code that runs beside the broker (the
   * tutorials' workers, the playground's simulated consumers): `fn` runs when `advance` reaches
   * it. Returns a handle for `clearTimeout`.
   */
  setTimeout(fn: () => void, ms = 0): ClockTask {
    return this.clock.after(ms, fn);
  }

  clearTimeout(handle: ClockTask | undefined): void {
    this.clock.cancel(handle);
  }

  /** Streams one event per thing the broker does; returns the unsubscribe function. */
  observe(listener: BrokerListener): () => void {
    this.#observers = [...this.#observers, listener];
    return () => {
      this.#observers = this.#observers.filter((l) => l !== listener);
    };
  }

  get observed(): boolean {
    return this.#observers.length > 0;
  }

  #emit(vhost: string, body: EventBody): void {
    const event = { ...body, time: this.clock.now(), vhost } as BrokerEvent;
    if (this.#deferred) {
      this.#deferred.push(event);
      return;
    }
    for (const listener of this.#observers) listener(event);
  }

  /**
   * Runs `work` holding back the events it makes, then emits `first()` (if any) before them:
   * a publish's trace must come before what the queues did with the message, but the trace is
   * only complete once they have done it.
   */
  #withEventsAfter(work: () => void, first: () => EventBody | undefined, vhost: string): void {
    if (!this.observed) {
      work();
      return;
    }
    const outer = this.#deferred;
    const held: BrokerEvent[] = [];
    this.#deferred = held;
    try {
      work();
    } finally {
      this.#deferred = outer;
    }
    const lead = first();
    if (lead) this.#emit(vhost, lead);
    for (const event of held) {
      if (outer) outer.push(event);
      else for (const listener of this.#observers) listener(event);
    }
  }


  inspect(): BrokerSnapshot {
    return inspectBroker(this);
  }

  // ---- clients ---------------------------------------------------------------------------

  /**
   * Opens a client connection, like amqplib's `connect(url)`: with a callback, the callback
   * API's connection (`amqplib/callback_api`); without, a promise of the promise API's.
   * The url's path picks the vhost (`amqp://localhost/%2f` is `/`). An object may say
   * `internal: true`: a connection of the node's own (the playground's topology client, the
   * management API's), which `rabbitmqctl list_connections` does not list.
   */
  connect(url?: string | Record<string, unknown>): Promise<Connection>;
  connect(url: string | Record<string, unknown> | undefined, callback: (err: Error | null, conn?: CallbackConnection) => void): void;
  connect(url: string | Record<string, unknown> | undefined, socketOptions: unknown, callback: (err: Error | null, conn?: CallbackConnection) => void): void;
  connect(url?: string | Record<string, unknown>, ...rest: unknown[]): Promise<Connection> | void {
    const callback = rest.find((r) => typeof r === 'function') as ((err: Error | null, conn?: CallbackConnection) => void) | undefined;
    const vhost = vhostOfUrl(url);
    if (callback) return connectWithCallback(this, callback, { vhost });
    const internal = typeof url === 'object' && url?.internal === true;
    return new Promise((resolve, reject) => {
      try {
        const conn = new Connection(this, { vhost, internal });
        queueMicrotask(() => resolve(conn));
      } catch (error) {
        if (error instanceof AmqpError) {
          reject(new Error(`Handshake terminated by server: ${error.code} (NOT-ALLOWED) with message "${error.replyText}"`));
        } else reject(error);
      }
    });
  }

  /**
   * Restarts the broker: every connection is closed with 320 CONNECTION_FORCED (their unacked
   * messages requeued first); exchanges and durable queues remain with the bindings between them,
   * classic queues with their persistent messages, quorum queues with all of theirs.
   */
  restart(): void {
    const shutdown = new AmqpError('CONNECTION_FORCED', "broker forced connection closure with reason 'shutdown'");
    for (const vhost of this.vhosts.values()) vhost.beforeRestart();
    for (const conn of [...this.connections.values()]) {
      this.closeConnection(conn, shutdown.replyText);
      conn.sink?.closedByServer(shutdown);
    }
    for (const vhost of this.vhosts.values()) vhost.afterRestart();
    if (this.observed) this.#emit('/', { type: 'broker.restarted' });
  }

  /** A client connection's inbox, drained after each clock task (see the constructor). */
  attachWire(wire: { drainNow(): void }): () => void {
    this.#wires.add(wire);
    return () => this.#wires.delete(wire);
  }

  // ---- connections and channels ----------------------------------------------------------

  openConnection(options: { vhost?: string; user?: string; sink?: ConnectionSink; internal?: boolean } = {}): ServerConnection {
    const vhostName = options.vhost ?? '/';
    this.vhost(vhostName);
    const id = this.#nextConnectionId++;
    const name = `127.0.0.1:${this.#names.clientPort()} -> 127.0.0.1:5672`;
    const conn = new ServerConnection({ id, name, vhost: vhostName, user: options.user ?? 'guest', openedAt: this.now(), internal: options.internal ?? false });
    conn.sink = options.sink;
    this.connections.set(id, conn);
    if (this.observed) this.#emit(vhostName, { type: 'connection.opened', connection: id });
    return conn;
  }

  openChannel(conn: ServerConnection, sink: ChannelSink): ServerChannel {
    const number = conn.allocateChannelNumber();
    const ch = new ServerChannel({ id: this.#nextChannelId++, number, connection: conn, host: this, sink });
    conn.channels.set(number, ch);
    if (this.observed) this.#emit(conn.vhost, { type: 'channel.opened', connection: conn.id, channel: ch.id });
    return ch;
  }

  /** Client-initiated channel.close. */
  closeChannel(ch: ServerChannel): void {
    ch.close();
  }

  /** connection.close (client) or a hard error (server): channels close, exclusive queues go. */
  closeConnection(conn: ServerConnection, reason?: string): void {
    if (!conn.open) return;
    conn.open = false;
    for (const ch of [...conn.channels.values()]) ch.close(reason ?? 'connection closed');
    this.connections.delete(conn.id);
    const vhost = this.vhosts.get(conn.vhost);
    if (vhost) {
      for (const q of [...vhost.queues.values()]) {
        if (q.exclusiveOwner === conn.id) vhost.removeQueue(q, 'its exclusive connection closed');
      }
    }
    this.connectionClosed(conn, reason);
  }

  /**
   * Runs one channel method. An AmqpError closes the channel (soft error) or the connection
   * (hard error) on the server side and tells the client through its sink, then is rethrown.
   */
  run<T>(ch: ServerChannel, method: AmqpMethod, operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      if (error instanceof AmqpError) this.failed(ch, error, method);
      throw error;
    }
  }

  /** What `run` does with an AmqpError, for callers that catch it themselves (publish). */
  failed(ch: ServerChannel, error: AmqpError, method: AmqpMethod): void {
    error.during(method);
    const conn = ch.connection;
    if (this.observed) {
      this.#emit(conn.vhost, { type: 'error', connection: conn.id, channel: ch.id, scope: error.scope, code: error.code, text: error.replyText, method: method.name });
    }
    if (error.scope === 'channel') {
      ch.close(error.replyText);
      ch.sink.closedByServer(error);
    } else {
      this.closeConnection(conn, error.replyText);
      conn.sink?.closedByServer(error);
    }
  }

  // ---- channel methods (each called inside `run`) -----------------------------------------

  declareExchange(ch: ServerChannel, name: string, decl: ExchangeDeclaration): Exchange {
    return this.#vhostOf(ch).declareExchange(name, decl);
  }

  checkExchange(ch: ServerChannel, name: string): Exchange {
    return this.#vhostOf(ch).checkExchange(name);
  }

  deleteExchange(ch: ServerChannel, name: string, ifUnused: boolean): void {
    this.#vhostOf(ch).deleteExchange(name, ifUnused);
  }

  declareQueue(ch: ServerChannel, name: string, decl: QueueDeclaration): { queue: string; messageCount: number; consumerCount: number } {
    // Declaring the direct reply-to pseudo-queue succeeds and creates nothing.
    if (name === REPLY_TO) return { queue: REPLY_TO, messageCount: 0, consumerCount: 1 };
    const { queue } = this.#vhostOf(ch).declareQueue(name, decl, { connectionId: ch.connection.id });
    ch.lastQueue = queue.name;
    return { queue: queue.name, messageCount: queue.messageCount, consumerCount: queue.consumerCount };
  }

  checkQueue(ch: ServerChannel, name: string): { queue: string; messageCount: number; consumerCount: number } {
    // The pseudo-queue answers a passive declare on any channel as if it had one consumer.
    if (name === REPLY_TO) return { queue: REPLY_TO, messageCount: 0, consumerCount: 1 };
    const queue = this.#vhostOf(ch).checkQueue(this.#queueName(ch, name), { connectionId: ch.connection.id });
    ch.lastQueue = queue.name;
    return { queue: queue.name, messageCount: queue.messageCount, consumerCount: queue.consumerCount };
  }

  deleteQueue(ch: ServerChannel, name: string, options: { ifUnused: boolean; ifEmpty: boolean }): { messageCount: number } {
    return { messageCount: this.#vhostOf(ch).deleteQueue(this.#queueName(ch, name), options, { connectionId: ch.connection.id }) };
  }

  purgeQueue(ch: ServerChannel, name: string): { messageCount: number } {
    const vhost = this.#vhostOf(ch);
    const q = vhost.requireQueue(this.#queueName(ch, name), { connectionId: ch.connection.id });
    const purged = q.purge();
    if (this.observed) this.#emit(vhost.name, { type: 'purged', queue: q.name, count: purged });
    return { messageCount: purged };
  }

  /** Closes a client connection by id, as `rabbitmqctl close_connection` does (320 CONNECTION_FORCED). */
  closeConnectionById(id: number, reason: string): void {
    const conn = this.connections.get(id);
    if (!conn) return;
    const error = new AmqpError('CONNECTION_FORCED', reason);
    this.closeConnection(conn, error.replyText);
    conn.sink?.closedByServer(error);
  }

  /**
   * Purges a queue by name, as the management tools do (rabbitmqctl purge_queue, the HTTP
   * API): no channel, so exclusivity does not apply. 404 when it is missing.
   */
  purgeQueueByName(vhostName: string, name: string): number {
    const vhost = this.vhost(vhostName);
    const q = vhost.queues.get(name);
    if (!q) throw notFound('queue', name, vhost.name);
    const purged = q.purge();
    if (this.observed) this.#emit(vhost.name, { type: 'purged', queue: q.name, count: purged });
    return purged;
  }

  /**
   * Deletes a queue by name, as the management tools do (no channel, so exclusivity does not
   * apply); the if-empty and if-unused checks are queue.delete's. Returns the ready messages it
   * held; 404 when it is missing (unlike queue.delete, which succeeds).
   */
  deleteQueueByName(vhostName: string, name: string, options: { ifUnused: boolean; ifEmpty: boolean }): number {
    const vhost = this.vhost(vhostName);
    const q = vhost.queues.get(name);
    if (!q) throw notFound('queue', name, vhost.name);
    return vhost.deleteQueue(name, options, { connectionId: q.exclusiveOwner ?? -1 });
  }

  bindQueue(ch: ServerChannel, queue: string, source: string, routingKey: string, args: FieldTable): void {
    const q = this.#queueName(ch, queue);
    // RabbitMQ's shortcut: queue "" and key "" bind with the last declared queue's name as key.
    const key = queue === '' && routingKey === '' ? q : routingKey;
    this.#vhostOf(ch).bind(source, 'queue', q, key, args, { connectionId: ch.connection.id });
  }

  unbindQueue(ch: ServerChannel, queue: string, source: string, routingKey: string, args: FieldTable): void {
    const q = this.#queueName(ch, queue);
    const key = queue === '' && routingKey === '' ? q : routingKey;
    this.#vhostOf(ch).unbind(source, 'queue', q, key, args);
  }

  bindExchange(ch: ServerChannel, destination: string, source: string, routingKey: string, args: FieldTable): void {
    this.#vhostOf(ch).bind(source, 'exchange', destination, routingKey, args, { connectionId: ch.connection.id });
  }

  unbindExchange(ch: ServerChannel, destination: string, source: string, routingKey: string, args: FieldTable): void {
    this.#vhostOf(ch).unbind(source, 'exchange', destination, routingKey, args);
  }

  /** The name RabbitMQ uses for queue "": the channel's most recently declared queue. */
  #queueName(ch: ServerChannel, name: string): string {
    if (name !== '') return name;
    if (ch.lastQueue === undefined) throw new AmqpError('NOT_FOUND', 'no previously declared queue');
    return ch.lastQueue;
  }

  /**
   * basic.publish: route, offer to each queue, return if mandatory and no queue was reached,
   * confirm (nack when a queue refused it for overflow).
   */
  publish(ch: ServerChannel, exchangeName: string, routingKey: string, content: Uint8Array, properties: MessageProperties, mandatory: boolean): void {
    const vhost = this.#vhostOf(ch);
    const x = vhost.requireExchange(exchangeName);
    if (x.internal) throw accessRefused(`cannot publish to internal exchange '${exchangeName}' in vhost '${vhost.name}'`);
    if (properties.expiration !== undefined) checkExpiration(properties.expiration);
    if (properties.replyTo === REPLY_TO) properties = { ...properties, replyTo: this.#replyTo.addressFor(ch) };
    const headers = properties.headers;
    const cc = headerRoutes(headers, 'CC');
    const bcc = headerRoutes(headers, 'BCC');
    const keys = cc.length === 0 && bcc.length === 0 ? [routingKey] : [routingKey, ...cc, ...bcc];
    const seq = ch.confirm ? ++ch.publishSeq : 0;
    // Five fields: a million queued messages cost 72 bytes each here (the bench's memory row).
    let message: Message = {
      id: this.#nextMessageId++,
      exchange: exchangeName,
      routingKey,
      content,
      properties: bcc.length > 0 || (headers && 'BCC' in headers) ? { ...properties, headers: withoutBcc(headers!) } : properties,
    };
    if (bcc.length > 0) message = { ...message, bcc };
    if (!this.observed) {
      const replies = x.isDefault ? this.#deliverReplies(keys, message) : 0;
      const queues = route(vhost, x, keys, headers);
      let refused = 0;
      for (let i = 0; i < queues.length; i++) if (queues[i]!.offer(message) === 'rejected') refused++;
      this.#afterPublish(ch, message, queues.length + replies, refused, mandatory, seq);
      return;
    }
    const trace: RouteTrace = { exchange: exchangeName, routingKey, cc: [...cc], bcc: [...bcc], mandatory, visits: [], queues: [], outcome: 'routed' };
    let refused = 0;
    let replies = 0;
    this.#withEventsAfter(
      () => {
        replies = x.isDefault ? this.#deliverReplies(keys, message) : 0;
        const queues = routeTraced(vhost, x, keys, headers, trace);
        for (const q of queues) {
          const result = q.offer(message);
          if (result === 'rejected') {
            refused++;
            this.#emit(q.vhost, { type: 'refused', messageId: message.id, queue: q.name, overflow: q.overflow as 'reject-publish' | 'reject-publish-dlx' });
          }
          trace.queues.push(arrivalOf(q, result));
        }
        trace.outcome = outcomeOf(queues.length + replies, refused, mandatory);
        if (replies > 0) trace.directReplies = replies;
      },
      () => ({ type: 'publish', messageId: message.id, connection: ch.connection.id, channel: ch.id, trace, properties: message.properties, bodySize: content.length }),
      vhost.name,
    );
    this.#afterPublish(ch, message, trace.queues.length + replies, refused, mandatory, seq);
  }

  // ---- dry runs: answers that change nothing and report nothing ---------------------------

  /**
   * Routes a message exactly as basic.publish would (the same walk, CC/BCC keys, alternate
   * exchanges, the default exchange, direct reply-to addresses) and says what each queue would
   * do with it, changing nothing: no message id, no enqueue, no timer, no event, no confirm.
   * Errors are the publish's: 404 for a missing exchange, 403 for an internal one, 406 for a
   * CC/BCC header that is not an array.
   *
   * Each queue answers for itself from its current state (Queue.previewOffer): 'delivered' when a
   * consumer would take it at once, 'refused' when full with reject-publish(-dlx), 'dropped'
   * when drop-head would drop it itself, else 'enqueued' (with a reason when it pushes others out
   * of the head). What one queue's overflow would dead-letter into another is not followed. An
   * x-local-random exchange shows its first bound queue: the broker's seeded generator is left
   * alone, so a real publish may pick another.
   */
  whatIf(vhostName: string, exchangeName: string, routingKey: string, options: WhatIfOptions = {}): RouteTrace {
    const vhost = this.vhost(vhostName);
    const x = vhost.requireExchange(exchangeName);
    if (x.internal) throw accessRefused(`cannot publish to internal exchange '${exchangeName}' in vhost '${vhost.name}'`);
    const headers = whatIfHeaders(options);
    const cc = headerRoutes(headers, 'CC');
    const bcc = headerRoutes(headers, 'BCC');
    const keys = [routingKey, ...cc, ...bcc];
    const mandatory = options.mandatory ?? false;
    const message: Message = {
      id: 0,
      exchange: exchangeName,
      routingKey,
      content: new Uint8Array(options.bodySize ?? 0),
      properties: whatIfProperties(headers, options.priority),
    };
    const trace: RouteTrace = { exchange: exchangeName, routingKey, cc: [...cc], bcc: [...bcc], mandatory, visits: [], queues: [], outcome: 'routed' };
    let queues: Queue[];
    this.#dryRun = true;
    try {
      queues = routeTraced(vhost, x, keys, headers, trace);
    } finally {
      this.#dryRun = false;
    }
    const replies = x.isDefault ? keys.filter((key) => isReplyToAddress(key) && this.#replyTo.resolve(key) !== undefined).length : 0;
    let refused = 0;
    for (const q of queues) {
      const preview = q.previewOffer(message);
      if (preview.result === 'refused') refused++;
      trace.queues.push({ queue: q.name, ...preview });
    }
    trace.outcome = outcomeOf(queues.length + replies, refused, mandatory);
    if (replies > 0) trace.directReplies = replies;
    return trace;
  }

  /**
   * Why the message a trace describes did not reach `queue` (or how it did), read from the
   * trace's verdicts against the vhost's current topology (see why-not.ts).
   */
  whyNot(vhostName: string, trace: RouteTrace, queue: string): WhyNot {
    return explainWhyNot(trace, queue, this.vhost(vhostName));
  }

  /**
   * The messages a queue holds, without touching them: ready ones in delivery order, then the
   * unacknowledged ones in queue order, at most `limit`. 404 when the queue does not exist.
   */
  peekQueue(vhostName: string, queue: string, limit = 100): QueuedMessageInfo[] {
    return peekQueueMessages(this, this.vhost(vhostName), queue, limit);
  }

  /** Replies to direct reply-to addresses go straight to the consuming channel. */
  #deliverReplies(keys: readonly string[], message: Message): number {
    let delivered = 0;
    for (const key of keys) {
      if (!isReplyToAddress(key)) continue;
      const target = this.#replyTo.resolve(key);
      if (!target) continue;
      delivered++;
      if (target === 'stale') continue;
      const deliveryTag = target.deliverReply(message);
      if (this.observed) {
        this.#emit(target.connection.vhost, { type: 'delivered', messageId: message.id, queue: REPLY_TO, channel: target.id, consumerTag: target.replyTo!.consumerTag, deliveryTag, redelivered: false, noAck: true });
      }
    }
    return delivered;
  }

  /** basic.return when no queue was reached; the confirm (nack if a queue refused it). */
  #afterPublish(ch: ServerChannel, message: Message, reached: number, refused: number, mandatory: boolean, seq: number): void {
    const vhost = ch.connection.vhost;
    if (reached === 0 && mandatory) {
      if (this.observed) this.#emit(vhost, { type: 'returned', messageId: message.id, channel: ch.id, replyCode: 312, replyText: 'NO_ROUTE' });
      ch.sink.returned({ replyCode: 312, replyText: 'NO_ROUTE', message });
    }
    if (ch.confirm) {
      const ack = refused === 0;
      if (this.observed) this.#emit(vhost, { type: 'confirm', messageId: message.id, channel: ch.id, ack });
      ch.sink.confirmed(seq, ack);
    }
  }

  /** basic.get: the head message, or null when the queue is empty. */
  get(ch: ServerChannel, queueName: string, noAck: boolean): Delivery | null {
    const vhost = this.#vhostOf(ch);
    const q = vhost.requireQueue(this.#queueName(ch, queueName), { connectionId: ch.connection.id });
    refuseStreamReads(q, vhost.name);
    if (q.type === 'quorum' && q.singleActiveConsumer) {
      throw resourceLocked(
        `cannot obtain access to locked queue '${q.name}' in vhost '${vhost.name}'. basic.get operations are not supported by <<"quorum">> queues with single active consumer`,
      );
    }
    const qm = q.take();
    return qm ? ch.deliverGet(q, qm, noAck) : null;
  }

  /**
   * basic.consume. Returns the tag and `start`, which the client calls once it has seen
   * consume-ok, so no delivery can overtake the reply (as on the wire).
   */
  consume(
    ch: ServerChannel,
    queueName: string,
    options: { consumerTag: string; noAck: boolean; exclusive: boolean; arguments: FieldTable },
  ): { consumerTag: string; start: () => void } {
    const vhost = this.#vhostOf(ch);
    const tag = options.consumerTag || this.#names.consumerTag();
    if (ch.consumers.has(tag) || ch.replyTo?.consumerTag === tag) throw new AmqpError('NOT_ALLOWED', `attempt to reuse consumer tag '${tag}'`);
    if (queueName === REPLY_TO) {
      this.#replyTo.consume(ch, tag, options.noAck, this.#names.replyToken());
      if (this.observed) this.#emit(vhost.name, { type: 'consumer.added', queue: REPLY_TO, channel: ch.id, consumerTag: tag });
      return { consumerTag: tag, start: () => {} };
    }
    const q = vhost.requireQueue(this.#queueName(ch, queueName), { connectionId: ch.connection.id });
    refuseStreamReads(q, vhost.name);
    if (q.hasExclusiveConsumer() || (options.exclusive && q.consumers.length > 0)) {
      throw accessRefused(`queue '${q.name}' in vhost '${vhost.name}' in exclusive use`);
    }
    const consumer = new Consumer({
      tag,
      queue: q,
      channel: ch,
      noAck: options.noAck,
      exclusive: options.exclusive,
      priority: consumerPriority(options.arguments),
      prefetch: ch.consumerPrefetch,
    });
    ch.addConsumer(consumer);
    if (this.observed) this.#emit(vhost.name, { type: 'consumer.added', queue: q.name, channel: ch.id, consumerTag: tag });
    return { consumerTag: tag, start: () => q.dispatch() };
  }

  cancel(ch: ServerChannel, consumerTag: string): void {
    if (ch.replyTo?.consumerTag === consumerTag) {
      this.#replyTo.release(ch);
      if (this.observed) this.#emit(ch.connection.vhost, { type: 'consumer.cancelled', queue: REPLY_TO, channel: ch.id, consumerTag, reason: 'cancelled by the client' });
      return;
    }
    ch.removeConsumer(consumerTag, 'cancelled by the client');
  }

  ack(ch: ServerChannel, deliveryTag: number, multiple: boolean): void {
    ch.ack(deliveryTag, multiple);
  }

  nack(ch: ServerChannel, deliveryTag: number, multiple: boolean, requeue: boolean, method: 'nack' | 'reject'): void {
    ch.nack(deliveryTag, multiple, requeue, method);
  }

  recover(ch: ServerChannel): void {
    ch.recover();
  }

  qos(ch: ServerChannel, prefetchCount: number, global: boolean): void {
    if (!Number.isInteger(prefetchCount) || prefetchCount < 0 || prefetchCount > 65535) {
      throw new AmqpError('SYNTAX_ERROR', `prefetch_count must be an integer between 0 and 65535`);
    }
    if (global) ch.channelPrefetch = prefetchCount;
    else ch.consumerPrefetch = prefetchCount;
    if (global) for (const c of ch.consumers.values()) c.queue.dispatch();
  }

  confirmSelect(ch: ServerChannel): void {
    ch.confirm = true;
  }

  #vhostOf(ch: ServerChannel): Vhost {
    // Connections keep their vhost object: publish looks it up on every message.
    return (ch.connection.vhostRef ??= this.vhost(ch.connection.vhost));
  }

  // ---- SessionHost: what channels report back ---------------------------------------------

  delivered(ch: ServerChannel, queue: Queue, qm: QueuedMessage, consumerTag: string | null, deliveryTag: number, noAck: boolean): void {
    if (this.observed) {
      this.#emit(queue.vhost, { type: 'delivered', messageId: qm.message.id, queue: queue.name, channel: ch.id, consumerTag, deliveryTag, redelivered: qm.redelivered, noAck });
    }
  }

  settled(ch: ServerChannel, queue: Queue, qm: QueuedMessage, deliveryTag: number, outcome: Outcome, method: SettleMethod): void {
    this.#reportSettled(ch, queue, qm, deliveryTag, outcome, method);
    if (outcome === 'discard' && !queue.deleted) this.#discard(queue, qm, 'rejected', method === 'reject');
  }

  #reportSettled(ch: ServerChannel, queue: Queue, qm: QueuedMessage, deliveryTag: number, outcome: Outcome, method: SettleMethod): void {
    if (!this.observed) return;
    const id = qm.message.id;
    if (outcome === 'ack') {
      this.#emit(queue.vhost, { type: 'acked', messageId: id, queue: queue.name, channel: ch.id, deliveryTag });
    } else if (method === 'nack' || method === 'reject') {
      this.#emit(queue.vhost, { type: 'rejected', messageId: id, queue: queue.name, channel: ch.id, deliveryTag, requeue: outcome === 'requeue', method });
    }
    if (outcome === 'requeue' && !queue.deleted) {
      const reason = method === 'close' ? 'its channel closed before it was acknowledged' : method === 'recover' ? 'basic.recover' : `${method} with requeue`;
      this.#emit(queue.vhost, { type: 'requeued', messageId: id, queue: queue.name, reason });
    }
  }

  consumerRemoved(ch: ServerChannel, queue: Queue, consumerTag: string, reason: string): void {
    if (this.observed) this.#emit(queue.vhost, { type: 'consumer.cancelled', queue: queue.name, channel: ch.id, consumerTag, reason });
    if (queue.autoDelete && queue.hadConsumer && queue.consumers.length === 0 && !queue.deleted) {
      this.vhosts.get(queue.vhost)?.removeQueue(queue, 'auto-deleted: its last consumer went');
    } else if (!queue.deleted) {
      queue.dispatch(); // a single active consumer's successor may take over
    }
  }

  channelClosed(ch: ServerChannel, reason?: string): void {
    this.#replyTo.release(ch);
    if (this.observed) this.#emit(ch.connection.vhost, { type: 'channel.closed', connection: ch.connection.id, channel: ch.id, reason });
  }

  connectionClosed(conn: ServerConnection, reason?: string): void {
    if (this.observed) this.#emit(conn.vhost, { type: 'connection.closed', connection: conn.id, reason });
  }

  #vhostHooks(vhost: string) {
    return {
      exchangeDeclared: (x: Exchange) => {
        if (this.observed) this.#emit(vhost, { type: 'exchange.declared', exchange: x.name, exchangeType: x.type });
      },
      exchangeDeleted: (x: Exchange, reason: string) => {
        if (this.observed) this.#emit(vhost, { type: 'exchange.deleted', exchange: x.name, reason });
      },
      queueDeclared: (q: Queue) => {
        if (this.observed) this.#emit(vhost, { type: 'queue.declared', queue: q.name });
      },
      queueDeleted: (q: Queue, reason: string) => this.#queueDeleted(q, reason),
      bindingCreated: (b: Binding) => {
        if (this.observed) this.#emit(vhost, { type: 'binding.created', source: b.source, destination: b.destination, destinationKind: b.destinationKind, routingKey: b.routingKey });
      },
      bindingDeleted: (b: Binding) => {
        if (this.observed) this.#emit(vhost, { type: 'binding.deleted', source: b.source, destination: b.destination, destinationKind: b.destinationKind, routingKey: b.routingKey });
      },
      serverName: () => this.#names.queueName(),
      random: () => (this.#dryRun ? 0 : this.#names.next()),
      queueHost: this.#queueHost,
    };
  }

  readonly #queueHost: QueueHost = {
    now: () => this.clock.now(),
    at: (time, run) => this.clock.at(time, run),
    cancel: (task) => this.clock.cancel(task),
    arrived: (queue, message) => {
      if (this.observed) this.#emit(queue.vhost, { type: 'enqueued', messageId: message.id, queue: queue.name, depth: queue.messageCount });
    },
    discard: (queue, qm, reason) => this.#discard(queue, qm, reason, false),
    expire: (queue) => this.vhosts.get(queue.vhost)?.removeQueue(queue, 'expired: unused for its x-expires period'),
  };

  /**
   * A message leaves `queue` for good: to the queue's dead-letter exchange (rabbit_dead_letter)
   * or, with none (or a missing one), dropped. Every step is reported.
   */
  #discard(queue: Queue, qm: QueuedMessage, reason: DeathReason, byBasicReject: boolean): void {
    const dlxName = queue.deadLetterExchange;
    // The common case (expiry or overflow into nowhere) does nothing at all unless observed.
    if (dlxName === undefined && !this.observed) return;
    const message = qm.message;
    if (reason === 'expired' && this.observed) {
      const perMessage = messageTtl(message);
      const byMessage = perMessage !== undefined && (queue.messageTtl === undefined || perMessage <= queue.messageTtl);
      this.#emit(queue.vhost, { type: 'expired', messageId: message.id, queue: queue.name, ttl: byMessage ? 'message' : 'queue', ms: (byMessage ? perMessage : queue.messageTtl) ?? 0 });
    }
    if (dlxName === undefined) return this.#dropped(queue, message, 'no-dead-letter-exchange', `${DEATH_TEXT[reason]}, and the queue has no dead-letter exchange`);
    const vhost = this.vhosts.get(queue.vhost)!;
    const dlx = vhost.exchange(dlxName);
    if (!dlx) return this.#dropped(queue, message, 'dead-letter-exchange-missing', `${DEATH_TEXT[reason]}; its dead-letter exchange '${dlxName}' does not exist`);
    // A message whose delivery failed (basic.reject, or a quorum queue's counted failures)
    // arrives redelivered at the dead-letter queues.
    const failed = byBasicReject || qm.failures > 0;
    const dead = deadLetter(message, queue.name, reason, { exchange: dlxName, routingKey: queue.deadLetterRoutingKey, now: this.now(), deliveryFailed: failed });
    const trace: RouteTrace | undefined = this.observed
      ? { exchange: dlxName, routingKey: dead.message.routingKey, cc: dead.routingKeys.slice(1), bcc: [], mandatory: false, visits: [], queues: [], outcome: 'routed' }
      : undefined;
    this.#withEventsAfter(
      () => {
        const targets = trace ? routeTraced(vhost, dlx, dead.routingKeys, dead.message.properties.headers, trace) : route(vhost, dlx, dead.routingKeys, dead.message.properties.headers);
        for (const target of targets) {
          if (isDeadLetterCycle(dead.message, target.name, reason)) {
            trace?.queues.push({ queue: target.name, result: 'dropped', reason: `a dead-letter cycle back to '${target.name}' with no rejection in it` });
            this.#dropped(queue, message, 'dead-letter-cycle', `dead-lettering it to '${target.name}' would be a cycle with no rejection in it`);
            continue;
          }
          const result = target.offer(dead.message);
          trace?.queues.push(arrivalOf(target, result));
        }
        if (trace) trace.outcome = targets.length === 0 ? 'unroutable' : 'routed';
      },
      () =>
        trace
          ? { type: 'dead-lettered', messageId: message.id, queue: queue.name, reason, exchange: dlxName, routingKeys: dead.routingKeys, trace, headers: dead.message.properties.headers!, properties: dead.message.properties }
          : undefined,
      queue.vhost,
    );
  }

  #dropped(queue: Queue, message: Message, cause: DropCause, reason: string): void {
    if (this.observed) this.#emit(queue.vhost, { type: 'dropped', messageId: message.id, queue: queue.name, reason, cause });
  }

  /** Consumers of a deleted queue get basic.cancel from the server. */
  #queueDeleted(q: Queue, reason: string): void {
    for (const consumer of [...q.consumers]) {
      const c = consumer as Consumer;
      c.channel.removeConsumer(c.tag, `queue deleted (${reason})`);
      c.channel.sink.cancelledByServer(c.tag);
    }
    if (this.observed) this.#emit(q.vhost, { type: 'queue.deleted', queue: q.name, reason });
  }
}

function vhostOfUrl(url: string | Record<string, unknown> | undefined): string {
  if (url && typeof url === 'object') return typeof url.vhost === 'string' ? url.vhost : '/';
  const match = /^amqps?:\/\/[^/]*\/(.*)$/.exec(url ?? '');
  if (!match || match[1] === '') return '/';
  return decodeURIComponent(match[1]!.split('?')[0]!);
}

/** A queue's answer to an offer as a trace records it: refusals and drops with their reason. */
function arrivalOf(q: Queue, result: OfferResult): QueueArrival {
  if (result === 'rejected') return { queue: q.name, result: 'refused', reason: q.refusalReason() };
  if (result === 'dropped') return { queue: q.name, result: 'dropped', reason: q.dropReason() };
  return { queue: q.name, result };
}

/** A publish's outcome from how many destinations it reached and how many refused it. */
function outcomeOf(reached: number, refused: number, mandatory: boolean): RouteOutcome {
  if (reached === 0) return mandatory ? 'returned' : 'unroutable';
  return refused === reached ? 'refused' : 'routed';
}

const FIELD_TYPES: ReadonlySet<string> = new Set<FieldType>([
  'longstr', 'bytes', 'bool', 'byte', 'unsignedbyte', 'short', 'unsignedshort', 'int', 'unsignedint', 'long', 'unsignedlong',
  'float', 'double', 'decimal', 'timestamp', 'void', 'array', 'table',
]);

/** Is every value tagged `{type, value}`? Then it is a FieldTable, not amqplib-style headers. */
function isFieldTable(value: unknown): value is FieldTable {
  if (value === null || typeof value !== 'object') return false;
  const values = Object.values(value);
  return values.length > 0 && values.every((v) => v !== null && typeof v === 'object' && FIELD_TYPES.has((v as { type?: unknown }).type as string) && 'value' in v);
}

/**
 * A what-if's headers as a publish through amqplib carries them: always a table (amqplib sends
 * an empty one), the CC and BCC options put in it as arrays of strings.
 */
function whatIfHeaders(options: WhatIfOptions): FieldTable {
  const given = options.headers;
  const headers: FieldTable = isFieldTable(given) ? Object.assign(Object.create(null) as FieldTable, given) : toFieldTable(given);
  for (const key of ['CC', 'BCC'] as const) {
    const routes = options[key];
    if (routes !== undefined) headers[key] = toFieldValue(Array.isArray(routes) ? routes.map(String) : [String(routes)]);
  }
  return headers;
}

/** The properties a what-if message is stored with: BCC stripped, as publish stores them. */
function whatIfProperties(headers: FieldTable, priority: number | undefined): MessageProperties {
  const properties: MessageProperties = { headers: 'BCC' in headers ? withoutBcc(headers) : headers };
  if (priority !== undefined) {
    if (!Number.isInteger(priority) || priority < 0 || priority > 255) throw new RangeError(`priority must be an integer from 0 to 255, got ${priority}`);
    properties.priority = priority;
  }
  return properties;
}

/** CC/BCC header routes (rabbit_basic:header_routes): an array's longstr items; other types 406. */
const NO_ROUTES: readonly string[] = Object.freeze([]);

const DEATH_TEXT: Record<DeathReason, string> = {
  rejected: 'rejected without requeue',
  expired: 'expired',
  maxlen: 'dropped for the queue\'s length limit',
  delivery_limit: 'returned more often than its delivery limit',
};

function headerRoutes(headers: FieldTable | undefined, key: 'CC' | 'BCC'): readonly string[] {
  const value = headers?.[key];
  if (!value) return NO_ROUTES;
  if (value.type !== 'array') {
    throw preconditionFailed(`invalid message: {unacceptable_type_in_header,"${key}",${erlangTypeName(value.type)}}`);
  }
  const routes: string[] = [];
  for (const item of value.value) if (item.type === 'longstr') routes.push(item.value);
  return routes;
}

/**
 * Streams can be declared, bound and published to here, but their readers (offsets, filters)
 * are not simulated: reading one is refused plainly rather than behaving like a queue.
 */
function refuseStreamReads(q: Queue, vhost: string): void {
  if (q.type !== 'stream') return;
  throw new AmqpError('NOT_IMPLEMENTED', `Routing Playground does not simulate reading streams: queue '${q.name}' in vhost '${vhost}' is a stream`);
}

/** RabbitMQ's largest per-message TTL (rabbit_misc:check_expiry), 2^32 - 1 ms. */
const MAX_EXPIRY = 4_294_967_295;

/**
 * A per-message `expiration` must read as an integer of milliseconds, as Erlang's
 * string:to_integer reads it (a leading sign is fine, trailing text is not).
 */
function checkExpiration(expiration: string): void {
  const match = /^[+-]?\d+/.exec(expiration);
  const reason = (text: string) => preconditionFailed(`invalid expiration '${expiration}': ${text}`);
  if (!match) throw reason('no_integer');
  const rest = expiration.slice(match[0].length);
  if (rest !== '') throw reason(`{leftover_string,${JSON.stringify(rest)}}`);
  const n = BigInt(match[0]);
  const tuple = (tag: string): ErlangTerm => ({ kind: 'tuple', value: [{ kind: 'atom', value: tag }, { kind: 'integer', value: n }] });
  const column = `invalid expiration '${expiration}': `.length + 1;
  if (n < 0n) throw reason(formatErlangTerm(tuple('value_negative'), column));
  if (n > BigInt(MAX_EXPIRY)) throw reason(formatErlangTerm(tuple('value_too_large'), column));
}

function withoutBcc(headers: FieldTable): FieldTable {
  const copy: FieldTable = Object.create(null);
  for (const key of Object.keys(headers)) if (key !== 'BCC') copy[key] = headers[key]!;
  return copy;
}

function consumerPriority(args: FieldTable): number {
  const p = args['x-priority'];
  return p && typeof p.value === 'number' ? p.value : 0;
}

export type { BrokerSnapshot, QueuedMessageInfo };
