/**
 * amqplib's promise-API Channel over the core. Each call runs on the server immediately (so
 * operations take effect in call order even when nobody awaits them) and its answer arrives
 * through the connection's Wire. A server error closes the channel as RabbitMQ does: the call
 * that caused it rejects with amqplib's `Operation failed: …` error, the channel emits `error`
 * and `close`, and calls made before the client heard of the close are answered
 * `Channel ended, no reply will be forthcoming`.
 */

import type { Broker } from '../broker';
import { toBytes } from '../content';
import { Emitter } from '../emitter';
import { AmqpError, type AmqpMethod } from '../errors';
import { contentFrames, type ChannelSink, type Delivery, type ReturnedMessage, type ServerChannel, type ServerConnection } from '../session';
import { channelClosedByServer, IllegalOperationError, noReplyForthcoming, operationFailed } from './client-errors';
import { METHODS } from './methods';
import {
  bindingArguments,
  checkShortString,
  consumeFields,
  deliveryMessage,
  exchangeDeclareFields,
  getMessage,
  publishFields,
  queueDeclareFields,
  returnedMessage,
  type AmqplibMessage,
} from './options';
import type { Wire } from './wire';

type Options = Record<string, unknown>;
export type ConsumeCallback = (msg: AmqplibMessage | null) => void;
type ConfirmCallback = ((err: Error | null, ok?: unknown) => void) | undefined;

export class Channel extends Emitter {
  readonly #broker: Broker;
  readonly #wire: Wire;
  #server!: ServerChannel;
  /** The server closed it; the client has not heard yet. */
  #closedOnServer = false;
  /** The client knows it is closed. */
  #closed = false;
  /**
   * Calls waiting to hear how the server closed the channel. As in amqplib, the call in flight
   * when the close frame arrives gets it (the failing call, or the first RPC made after a
   * failing publish/ack); the rest get "no reply will be forthcoming".
   */
  #awaitingClose: { method: AmqpMethod; reject: (e: Error) => void; getsFrame: boolean }[] = [];
  #frameClaimed = false;
  #pendingRejects = new Set<(e: Error) => void>();
  readonly #consumers = new Map<string, ConsumeCallback>();
  protected unconfirmed: ConfirmCallback[] = [];
  #confirmedUpTo = 0;
  protected closedWithUnconfirmed = false;

  constructor(broker: Broker, wire: Wire, connection: ServerConnection) {
    super();
    this.#broker = broker;
    this.#wire = wire;
    const sink: ChannelSink = {
      deliver: (d) => {
        connection.sendCount += 1 + contentFrames(d.message.content.length);
        this.#wire.post(() => this.#onDelivery(d));
      },
      cancelledByServer: (tag) => {
        connection.sendCount++;
        this.#wire.post(() => this.#onServerCancel(tag));
      },
      returned: (r) => {
        connection.sendCount += 1 + contentFrames(r.message.content.length);
        this.#wire.post(() => this.#onReturn(r));
      },
      confirmed: (seq, ack) => {
        connection.sendCount++;
        this.#wire.post(() => this.#onConfirm(seq, ack));
      },
      closedByServer: (error) => {
        connection.sendCount++;
        this.#closedOnServer = true;
        this.#wire.post(() => this.#onServerClose(error));
      },
    };
    this.#server = broker.openChannel(connection, sink);
    // channel.open and its open-ok.
    connection.recvCount++;
    connection.sendCount++;
  }

  /** The server-side channel number (1, 2, …), as amqplib's `ch.ch`. */
  get ch(): number {
    return this.#server.number;
  }

  // ---- plumbing ------------------------------------------------------------------------

  /**
   * An RPC: run now on the server, answer through the wire. `names` are its short-string
   * fields, which amqplib checks before sending anything.
   */
  #rpc<T>(method: AmqpMethod, operation: (server: ServerChannel) => T, afterReply?: (result: T) => void, names: Record<string, unknown> = {}): Promise<T> {
    if (this.#closed) return Promise.reject(new IllegalOperationError('Channel closed'));
    try {
      for (const [field, value] of Object.entries(names)) checkShortString(field, value);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      if (this.#closedOnServer) {
        this.#awaitingClose.push({ method, reject, getsFrame: !this.#frameClaimed });
        this.#frameClaimed = true;
        return;
      }
      let result: T;
      const connection = this.#server.connection;
      connection.recvCount++;
      connection.sendCount++;
      try {
        result = this.#broker.run(this.#server, method, () => operation(this.#server));
      } catch (error) {
        if (error instanceof AmqpError) {
          this.#awaitingClose.push({ method, reject, getsFrame: !this.#frameClaimed });
          this.#frameClaimed = true;
        } else reject(error);
        return;
      }
      this.#pendingRejects.add(reject);
      this.#wire.post(() => {
        this.#pendingRejects.delete(reject);
        resolve(result);
      });
      afterReply?.(result);
    });
  }

  /** A method with no reply (publish, ack, …): errors arrive as a channel close. */
  #send(method: AmqpMethod, operation: (server: ServerChannel) => void): void {
    if (this.#closed) throw new IllegalOperationError('Channel closed');
    if (this.#closedOnServer) return;
    this.#server.connection.recvCount++;
    try {
      this.#broker.run(this.#server, method, () => operation(this.#server));
    } catch (error) {
      if (!(error instanceof AmqpError)) throw error;
    }
  }

  #onServerClose(error: AmqpError): void {
    for (const call of this.#awaitingClose) {
      if (!call.getsFrame) continue;
      const sameMethod = call.method.classId === error.classId && call.method.methodId === error.methodId;
      call.reject(sameMethod ? operationFailed(call.method.name, error) : channelClosedByServer(error));
    }
    this.#awaitingClose = this.#awaitingClose.filter((call) => !call.getsFrame);
    this.emit('error', channelClosedByServer(error));
    this.#toClosed();
  }

  /** The connection went: close without an error of the channel's own. */
  connectionClosed(): void {
    if (this.#closed) return;
    this.#toClosed();
  }

  #toClosed(): void {
    this.#closed = true;
    for (const call of this.#awaitingClose) call.reject(noReplyForthcoming());
    this.#awaitingClose = [];
    for (const reject of this.#pendingRejects) reject(noReplyForthcoming());
    this.#pendingRejects.clear();
    const err = new Error('channel closed');
    for (const cb of this.unconfirmed) cb?.(err);
    this.closedWithUnconfirmed = this.unconfirmed.some((cb) => cb !== undefined);
    this.unconfirmed = [];
    this.emit('close');
  }

  #onDelivery(d: Delivery): void {
    const callback = d.consumerTag === null ? undefined : this.#consumers.get(d.consumerTag);
    if (callback) callback(deliveryMessage(d));
  }

  #onServerCancel(tag: string): void {
    this.emit('cancel', { consumerTag: tag });
    const callback = this.#consumers.get(tag);
    this.#consumers.delete(tag);
    callback?.(null);
  }

  #onReturn(r: ReturnedMessage): void {
    this.emit('return', returnedMessage(r));
  }

  #onConfirm(seq: number, ack: boolean): void {
    // Confirms arrive in order; each settles the callbacks up to its sequence number.
    while (this.#confirmedUpTo < seq && this.unconfirmed.length > 0) {
      this.#confirmedUpTo++;
      const cb = this.unconfirmed.shift();
      cb?.(ack ? null : new Error('message nacked'));
    }
    this.emit(ack ? 'ack' : 'nack', { deliveryTag: seq, multiple: false });
  }

  // ---- lifecycle -----------------------------------------------------------------------

  /** confirm.select (used by createConfirmChannel). */
  async confirmSelect(): Promise<void> {
    await this.#rpc(METHODS.ConfirmSelect, (s) => this.#broker.confirmSelect(s));
  }

  close(): Promise<void> {
    if (this.#closed || this.#closedOnServer) return Promise.reject(new IllegalOperationError('Channel closed'));
    this.#broker.closeChannel(this.#server);
    this.#closedOnServer = true;
    return new Promise((resolve) => {
      this.#wire.post(() => {
        this.#toClosed();
        resolve();
      });
    });
  }

  // ---- exchanges and queues ------------------------------------------------------------

  assertExchange(exchange: string, type: string, options?: Options): Promise<{ exchange: string }> {
    const decl = exchangeDeclareFields(type, options);
    return this.#rpc(METHODS.ExchangeDeclare, (s) => {
      this.#broker.declareExchange(s, exchange, decl);
      return { exchange };
    }, undefined, { exchange });
  }

  checkExchange(exchange: string): Promise<Record<string, never>> {
    return this.#rpc(METHODS.ExchangeDeclare, (s) => {
      this.#broker.checkExchange(s, exchange);
      return {};
    }, undefined, { exchange });
  }

  deleteExchange(exchange: string, options?: Options): Promise<Record<string, never>> {
    return this.#rpc(METHODS.ExchangeDelete, (s) => {
      this.#broker.deleteExchange(s, exchange, !!options?.ifUnused);
      return {};
    }, undefined, { exchange });
  }

  bindExchange(destination: string, source: string, pattern: string, argt?: Options): Promise<Record<string, never>> {
    const args = bindingArguments(argt);
    return this.#rpc(METHODS.ExchangeBind, (s) => {
      this.#broker.bindExchange(s, destination, source, pattern ?? '', args);
      return {};
    }, undefined, { destination, source, routingKey: pattern });
  }

  unbindExchange(destination: string, source: string, pattern: string, argt?: Options): Promise<Record<string, never>> {
    const args = bindingArguments(argt);
    return this.#rpc(METHODS.ExchangeUnbind, (s) => {
      this.#broker.unbindExchange(s, destination, source, pattern ?? '', args);
      return {};
    }, undefined, { destination, source, routingKey: pattern });
  }

  assertQueue(queue?: string, options?: Options): Promise<{ queue: string; messageCount: number; consumerCount: number }> {
    const decl = queueDeclareFields(options);
    return this.#rpc(METHODS.QueueDeclare, (s) => this.#broker.declareQueue(s, queue || '', decl), undefined, { queue });
  }

  checkQueue(queue: string): Promise<{ queue: string; messageCount: number; consumerCount: number }> {
    return this.#rpc(METHODS.QueueDeclare, (s) => this.#broker.checkQueue(s, queue), undefined, { queue });
  }

  deleteQueue(queue: string, options?: Options): Promise<{ messageCount: number }> {
    const o = { ifUnused: !!options?.ifUnused, ifEmpty: !!options?.ifEmpty };
    return this.#rpc(METHODS.QueueDelete, (s) => this.#broker.deleteQueue(s, queue, o), undefined, { queue });
  }

  purgeQueue(queue: string): Promise<{ messageCount: number }> {
    return this.#rpc(METHODS.QueuePurge, (s) => this.#broker.purgeQueue(s, queue), undefined, { queue });
  }

  bindQueue(queue: string, source: string, pattern: string, argt?: Options): Promise<Record<string, never>> {
    const args = bindingArguments(argt);
    return this.#rpc(METHODS.QueueBind, (s) => {
      this.#broker.bindQueue(s, queue, source, pattern ?? '', args);
      return {};
    }, undefined, { queue, exchange: source, routingKey: pattern });
  }

  unbindQueue(queue: string, source: string, pattern: string, argt?: Options): Promise<Record<string, never>> {
    const args = bindingArguments(argt);
    return this.#rpc(METHODS.QueueUnbind, (s) => {
      this.#broker.unbindQueue(s, queue, source, pattern ?? '', args);
      return {};
    }, undefined, { queue, exchange: source, routingKey: pattern });
  }

  // ---- messages ------------------------------------------------------------------------

  publish(exchange: string, routingKey: string, content: unknown, options?: Options): boolean {
    if (this.#closed) throw new IllegalOperationError('Channel closed');
    checkShortString('exchange', exchange);
    checkShortString('routingKey', routingKey);
    const bytes = toBytes(content);
    const { properties, mandatory } = publishFields(options);
    if (this.#closedOnServer) return true;
    this.#server.connection.recvCount += 1 + contentFrames(bytes.length);
    // The hot path: no closures, unlike #send.
    try {
      this.#broker.publish(this.#server, exchange, routingKey, bytes, properties, mandatory);
    } catch (error) {
      if (!(error instanceof AmqpError)) throw error;
      this.#broker.failed(this.#server, error, METHODS.BasicPublish);
    }
    return true;
  }

  sendToQueue(queue: string, content: unknown, options?: Options): boolean {
    return this.publish('', queue, content, options);
  }

  consume(queue: string, callback: ConsumeCallback, options?: Options): Promise<{ consumerTag: string }> {
    const fields = consumeFields(options);
    return this.#rpc(
      METHODS.BasicConsume,
      (s) => this.#broker.consume(s, queue, fields),
      (result) => {
        // Register before any delivery can arrive: the registration is posted ahead of them.
        this.#wire.post(() => this.#consumers.set(result.consumerTag, callback));
        result.start();
      },
      { queue, consumerTag: fields.consumerTag },
    ).then(({ consumerTag }) => ({ consumerTag }));
  }

  async cancel(consumerTag: string): Promise<{ consumerTag: string }> {
    await this.#rpc(METHODS.BasicCancel, (s) => this.#broker.cancel(s, consumerTag));
    this.#consumers.delete(consumerTag);
    return { consumerTag };
  }

  get(queue: string, options?: Options): Promise<AmqplibMessage | false> {
    const noAck = !!options?.noAck;
    return this.#rpc(METHODS.BasicGet, (s) => this.#broker.get(s, queue, noAck), undefined, { queue }).then((d) => (d ? getMessage(d) : false));
  }

  ack(message: AmqplibMessage, allUpTo?: boolean): void {
    if (this.#closed) throw new IllegalOperationError('Channel closed');
    if (this.#closedOnServer) return;
    this.#server.connection.recvCount++;
    // A hot path for consumers: no closures, as in publish.
    try {
      this.#broker.ack(this.#server, Number(message.fields.deliveryTag), !!allUpTo);
    } catch (error) {
      if (!(error instanceof AmqpError)) throw error;
      this.#broker.failed(this.#server, error, METHODS.BasicAck);
    }
  }

  ackAll(): void {
    this.#send(METHODS.BasicAck, (s) => this.#broker.ack(s, 0, true));
  }

  nack(message: AmqplibMessage, allUpTo?: boolean, requeue?: boolean): void {
    const tag = Number(message.fields.deliveryTag);
    this.#send(METHODS.BasicNack, (s) => this.#broker.nack(s, tag, !!allUpTo, requeue === undefined ? true : requeue, 'nack'));
  }

  nackAll(requeue?: boolean): void {
    this.#send(METHODS.BasicNack, (s) => this.#broker.nack(s, 0, true, requeue === undefined ? true : requeue, 'nack'));
  }

  reject(message: AmqplibMessage, requeue?: boolean): void {
    const tag = Number(message.fields.deliveryTag);
    this.#send(METHODS.BasicReject, (s) => this.#broker.nack(s, tag, false, requeue === undefined ? true : requeue, 'reject'));
  }

  prefetch(count: number, global?: boolean): Promise<Record<string, never>> {
    return this.qos(count, global);
  }

  qos(count: number, global?: boolean): Promise<Record<string, never>> {
    return this.#rpc(METHODS.BasicQos, (s) => {
      this.#broker.qos(s, count || 0, !!global);
      return {};
    });
  }

  recover(): Promise<Record<string, never>> {
    return this.#rpc(METHODS.BasicRecover, (s) => {
      this.#broker.recover(s);
      return {};
    });
  }
}

/** A channel in confirm mode: `publish(…, cb)` calls back on the broker's ack or nack. */
export class ConfirmChannel extends Channel {
  override publish(exchange: string, routingKey: string, content: unknown, options?: Options, cb?: ConfirmCallback): boolean {
    this.unconfirmed.push(cb ?? (() => {}));
    try {
      return super.publish(exchange, routingKey, content, options);
    } catch (error) {
      this.unconfirmed.pop();
      throw error;
    }
  }

  override sendToQueue(queue: string, content: unknown, options?: Options, cb?: ConfirmCallback): boolean {
    return this.publish('', queue, content, options, cb);
  }

  /** Resolves once every outstanding publish is confirmed; rejects on a nack or a close. */
  waitForConfirms(): Promise<void> {
    if (this.closedWithUnconfirmed) return Promise.reject(new Error('channel closed'));
    const awaiting = this.unconfirmed.map((cb, index) => {
      return new Promise<void>((resolve, reject) => {
        this.unconfirmed[index] = (err) => {
          cb?.(err);
          if (err === null) resolve();
          else reject(err);
        };
      });
    });
    return Promise.all(awaiting).then(() => undefined);
  }
}
