/**
 * amqplib's callback API (`amqplib/callback_api`) over the same channels, so older tutorial
 * code (`amqp.connect(url, function (err, conn) { … })`) runs unchanged. Each method takes an
 * optional Node-style callback as its last argument; without one, errors surface as the
 * channel's `error` event, as in amqplib.
 */

import type { Broker } from '../broker';
import { Emitter } from '../emitter';
import type { Channel, ConfirmChannel } from './channel';
import { Connection } from './connection';

type Callback<T = unknown> = (err: Error | null, result?: T) => void;

function settle<T>(promise: Promise<T>, cb: unknown): void {
  if (typeof cb === 'function') promise.then((v) => (cb as Callback<T>)(null, v), (e) => (cb as Callback<T>)(e));
  else promise.catch(() => {}); // reported through the channel's 'error' event
}

/** Wraps a promise channel: same events, callbacks instead of promises. */
export class CallbackChannel extends Emitter {
  readonly #ch: Channel;

  constructor(ch: Channel) {
    super();
    this.#ch = ch;
    for (const event of ['error', 'close', 'return', 'drain', 'cancel', 'ack', 'nack']) {
      ch.on(event, (...args: never[]) => this.emit(event, ...args));
    }
  }

  protected get promiseChannel(): Channel {
    return this.#ch;
  }

  close(cb?: Callback): void {
    settle(this.#ch.close(), cb);
  }
  assertExchange(exchange: string, type: string, options?: Record<string, unknown>, cb?: Callback): void {
    settle(this.#ch.assertExchange(exchange, type, options), cb);
  }
  checkExchange(exchange: string, cb?: Callback): void {
    settle(this.#ch.checkExchange(exchange), cb);
  }
  deleteExchange(exchange: string, options?: Record<string, unknown>, cb?: Callback): void {
    settle(this.#ch.deleteExchange(exchange, options), cb);
  }
  bindExchange(dest: string, source: string, pattern: string, argt?: Record<string, unknown>, cb?: Callback): void {
    settle(this.#ch.bindExchange(dest, source, pattern, argt), cb);
  }
  unbindExchange(dest: string, source: string, pattern: string, argt?: Record<string, unknown>, cb?: Callback): void {
    settle(this.#ch.unbindExchange(dest, source, pattern, argt), cb);
  }
  assertQueue(queue?: string, options?: Record<string, unknown>, cb?: Callback): void {
    settle(this.#ch.assertQueue(queue, options), cb);
  }
  checkQueue(queue: string, cb?: Callback): void {
    settle(this.#ch.checkQueue(queue), cb);
  }
  deleteQueue(queue: string, options?: Record<string, unknown>, cb?: Callback): void {
    settle(this.#ch.deleteQueue(queue, options), cb);
  }
  purgeQueue(queue: string, cb?: Callback): void {
    settle(this.#ch.purgeQueue(queue), cb);
  }
  bindQueue(queue: string, source: string, pattern: string, argt?: Record<string, unknown>, cb?: Callback): void {
    settle(this.#ch.bindQueue(queue, source, pattern, argt), cb);
  }
  unbindQueue(queue: string, source: string, pattern: string, argt?: Record<string, unknown>, cb?: Callback): void {
    settle(this.#ch.unbindQueue(queue, source, pattern, argt), cb);
  }
  publish(exchange: string, routingKey: string, content: unknown, options?: Record<string, unknown>): boolean {
    return this.#ch.publish(exchange, routingKey, content, options);
  }
  sendToQueue(queue: string, content: unknown, options?: Record<string, unknown>): boolean {
    return this.#ch.sendToQueue(queue, content, options);
  }
  consume(queue: string, onMessage: Parameters<Channel['consume']>[1], options?: Record<string, unknown>, cb?: Callback): void {
    settle(this.#ch.consume(queue, onMessage, options), cb);
  }
  cancel(consumerTag: string, cb?: Callback): void {
    settle(this.#ch.cancel(consumerTag), cb);
  }
  get(queue: string, options?: Record<string, unknown>, cb?: Callback): void {
    settle(this.#ch.get(queue, options), cb);
  }
  ack(...args: Parameters<Channel['ack']>): void {
    this.#ch.ack(...args);
  }
  ackAll(): void {
    this.#ch.ackAll();
  }
  nack(...args: Parameters<Channel['nack']>): void {
    this.#ch.nack(...args);
  }
  nackAll(requeue?: boolean): void {
    this.#ch.nackAll(requeue);
  }
  reject(...args: Parameters<Channel['reject']>): void {
    this.#ch.reject(...args);
  }
  prefetch(count: number, global?: boolean, cb?: Callback): void {
    settle(this.#ch.prefetch(count, global), cb);
  }
  qos(count: number, global?: boolean, cb?: Callback): void {
    settle(this.#ch.qos(count, global), cb);
  }
  recover(cb?: Callback): void {
    settle(this.#ch.recover(), cb);
  }
}

export class CallbackConfirmChannel extends CallbackChannel {
  override publish(exchange: string, routingKey: string, content: unknown, options?: Record<string, unknown>, cb?: Callback): boolean {
    return (this.promiseChannel as ConfirmChannel).publish(exchange, routingKey, content, options, cb);
  }
  override sendToQueue(queue: string, content: unknown, options?: Record<string, unknown>, cb?: Callback): boolean {
    return this.publish('', queue, content, options, cb);
  }
  waitForConfirms(cb?: Callback): void {
    settle((this.promiseChannel as ConfirmChannel).waitForConfirms(), cb);
  }
}

export class CallbackConnection extends Emitter {
  readonly #conn: Connection;

  constructor(conn: Connection) {
    super();
    this.#conn = conn;
    for (const event of ['error', 'close', 'blocked', 'unblocked']) conn.on(event, (...args: never[]) => this.emit(event, ...args));
  }

  createChannel(cb?: Callback<CallbackChannel>): CallbackChannel | undefined {
    this.#conn.createChannel().then(
      (ch) => cb?.(null, new CallbackChannel(ch)),
      (e) => cb?.(e),
    );
    return undefined;
  }

  createConfirmChannel(cb?: Callback<CallbackConfirmChannel>): void {
    this.#conn.createConfirmChannel().then(
      (ch) => cb?.(null, new CallbackConfirmChannel(ch)),
      (e) => cb?.(e),
    );
  }

  close(cb?: Callback): void {
    settle(this.#conn.close(), cb);
  }
}

/** `amqp.connect(url, [socketOptions], callback)` of the callback API. */
export function connectWithCallback(broker: Broker, callback: Callback<CallbackConnection>, options: { vhost?: string } = {}): void {
  let conn: Connection;
  try {
    conn = new Connection(broker, options);
  } catch (error) {
    queueMicrotask(() => callback(error as Error));
    return;
  }
  queueMicrotask(() => callback(null, new CallbackConnection(conn)));
}
