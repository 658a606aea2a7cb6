/**
 * amqplib's promise-API connection (what `amqp.connect()` resolves to) over the core.
 * `close()` closes every channel (unacked messages go back to their queues, exclusive queues
 * go); a hard server error emits `error` then `close`, as amqplib does.
 */

import type { Broker } from '../broker';
import { Emitter } from '../emitter';
import type { AmqpError } from '../errors';
import type { ServerConnection } from '../session';
import { Channel, ConfirmChannel } from './channel';
import { connectionClosedByServer, IllegalOperationError } from './client-errors';
import { Wire } from './wire';

export class Connection extends Emitter {
  readonly #broker: Broker;
  readonly #wire = new Wire();
  readonly #server: ServerConnection;
  readonly #channels = new Set<Channel>();
  #closed = false;
  readonly #detachWire: () => void;

  constructor(broker: Broker, options: { vhost?: string; user?: string; internal?: boolean } = {}) {
    super();
    this.#broker = broker;
    this.#server = broker.openConnection({
      ...options,
      sink: { closedByServer: (error) => this.#wire.post(() => this.#onServerClose(error)) },
    });
    this.#detachWire = broker.attachWire(this.#wire);
  }

  /** The connection's name as `rabbitmqctl list_connections` shows it. */
  get name(): string {
    return this.#server.name;
  }

  async createChannel(): Promise<Channel> {
    return this.#open(new Channel(this.#broker, this.#wire, this.#checkOpen()));
  }

  async createConfirmChannel(): Promise<ConfirmChannel> {
    const ch = await this.#open(new ConfirmChannel(this.#broker, this.#wire, this.#checkOpen()));
    await ch.confirmSelect();
    return ch;
  }

  #checkOpen(): ServerConnection {
    if (this.#closed || !this.#server.open) throw new IllegalOperationError('Connection closed');
    return this.#server;
  }

  async #open<C extends Channel>(ch: C): Promise<C> {
    this.#channels.add(ch);
    ch.once('close', () => this.#channels.delete(ch));
    // channel.open-ok arrives like any reply.
    await new Promise<void>((resolve) => this.#wire.post(resolve));
    return ch;
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.reject(new IllegalOperationError('Connection closed'));
    this.#closed = true;
    this.#broker.closeConnection(this.#server, 'closed by the client');
    return new Promise((resolve) => {
      this.#wire.post(() => {
        this.#closeChannels();
        this.#detachWire();
        this.emit('close');
        resolve();
      });
    });
  }

  #onServerClose(error: AmqpError): void {
    this.#closed = true;
    const err = connectionClosedByServer(error);
    this.emit('error', err);
    this.#closeChannels();
    this.#detachWire();
    this.emit('close', err);
  }

  #closeChannels(): void {
    for (const ch of [...this.#channels]) ch.connectionClosed();
    this.#channels.clear();
  }
}
