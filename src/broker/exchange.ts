/**
 * An exchange: its declaration, its outgoing bindings (by identity) and the router its type
 * uses. Bindings into it (from exchange-to-exchange bindings) are tracked for deletion.
 */

import type { Binding } from './binding';
import type { FieldTable } from './field-table';
import { createRouter, type ExchangeType, type Router } from './exchanges/router';

export interface ExchangeOptions {
  name: string;
  type: ExchangeType;
  durable: boolean;
  autoDelete: boolean;
  internal: boolean;
  arguments: FieldTable;
  /** The broker's seeded generator, for types that pick at random. */
  random: () => number;
}

export class Exchange {
  readonly name: string;
  readonly type: ExchangeType;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly internal: boolean;
  readonly arguments: FieldTable;
  readonly router: Router;
  /** Outgoing bindings by identity. */
  readonly bindings = new Map<string, Binding>();
  /** Exchange-to-exchange bindings that lead here. */
  readonly bindingsIn = new Set<Binding>();

  constructor(options: ExchangeOptions) {
    this.name = options.name;
    this.type = options.type;
    this.durable = options.durable;
    this.autoDelete = options.autoDelete;
    this.internal = options.internal;
    this.arguments = options.arguments;
    this.router = createRouter(options.type, options.random);
  }

  /** The `alternate-exchange` argument, when it is a string as RabbitMQ requires. */
  get alternate(): string | undefined {
    const ae = this.arguments['alternate-exchange'];
    return ae?.type === 'longstr' ? ae.value : undefined;
  }

  /** The nameless default exchange routes by queue name, with no stored bindings. */
  get isDefault(): boolean {
    return this.name === '';
  }

  addBinding(b: Binding): void {
    this.bindings.set(b.id, b);
    this.router.add(b);
  }

  removeBinding(b: Binding): void {
    this.bindings.delete(b.id);
    this.router.remove(b);
  }
}
