/**
 * A virtual host: its exchanges, queues and bindings, and the rules RabbitMQ applies when they
 * are declared, bound and deleted. Every refusal is an AmqpError with RabbitMQ's code and text.
 *
 * Layout: exchanges and queues in Maps by name; each binding is stored once, on its source
 * exchange (indexed by its router), and referenced from its destination for deletion.
 */

import { bindingId, type Binding } from './binding';
import { accessRefused, AmqpError, notFound, preconditionFailed, resourceLocked } from './errors';
import { Exchange } from './exchange';
import { EXCHANGE_TYPES, type ExchangeType } from './exchanges/router';
import { erlangTypeName, formatFieldValue, type FieldTable, type FieldValue } from './field-table';
import { validateHeadersBinding } from './headers';
import { Queue, type QueueHost } from './queue';
import { EQUIVALENCE_ORDER, normalizeQueueArguments, validateNewQueue } from './queue-args';
import { validateTopicBindingKey } from './topic';
import type { DestinationKind } from './trace';

export interface ExchangeDeclaration {
  type: string;
  durable: boolean;
  autoDelete: boolean;
  internal: boolean;
  arguments: FieldTable;
}

export interface QueueDeclaration {
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
  arguments: FieldTable;
}

/** Who is asking: exclusive queues belong to a connection. */
export interface Requester {
  connectionId: number;
}

/** Hooks the broker gives a vhost, so entity changes reach observers and channels. */
export interface VhostHooks {
  exchangeDeclared(x: Exchange): void;
  exchangeDeleted(x: Exchange, reason: string): void;
  queueDeclared(q: Queue): void;
  /** Called after the queue left the tables: cancel its consumers, tell observers. */
  queueDeleted(q: Queue, reason: string): void;
  bindingCreated(b: Binding): void;
  bindingDeleted(b: Binding): void;
  serverName(): string;
  random(): number;
  /** Time and dead-lettering for the queues this vhost creates. */
  queueHost: QueueHost;
}

const EXCHANGE_EQUIVALENCE_ARGS = ['alternate-exchange'];

export class Vhost {
  readonly name: string;
  readonly exchanges = new Map<string, Exchange>();
  readonly queues = new Map<string, Queue>();
  readonly #hooks: VhostHooks;

  constructor(name: string, hooks: VhostHooks, options: { withLogExchange: boolean }) {
    this.name = name;
    this.#hooks = hooks;
    this.#addBuiltInExchanges(options.withLogExchange);
  }

  #addBuiltInExchanges(withLogExchange: boolean): void {
    const builtIns: [string, ExchangeType, boolean][] = [
      ['', 'direct', false],
      ['amq.direct', 'direct', false],
      ['amq.fanout', 'fanout', false],
      ['amq.headers', 'headers', false],
      ['amq.match', 'headers', false],
      ['amq.rabbitmq.trace', 'topic', true],
      ['amq.topic', 'topic', false],
    ];
    if (withLogExchange) builtIns.splice(5, 0, ['amq.rabbitmq.log', 'topic', true]);
    for (const [name, type, internal] of builtIns) {
      this.exchanges.set(name, new Exchange({ name, type, durable: true, autoDelete: false, internal, arguments: {}, random: this.#hooks.random }));
    }
  }

  // ---- lookups --------------------------------------------------------------------------

  exchange(name: string): Exchange | undefined {
    return this.exchanges.get(name);
  }

  queue(name: string): Queue | undefined {
    return this.queues.get(name);
  }

  requireExchange(name: string): Exchange {
    const x = this.exchanges.get(name);
    if (!x) throw notFound('exchange', name, this.name);
    return x;
  }

  /** A queue the requester may use: 404 when missing, 405 when another connection owns it. */
  requireQueue(name: string, who: Requester): Queue {
    const q = this.queues.get(name);
    if (!q) throw notFound('queue', name, this.name);
    this.#checkExclusiveAccess(q, who);
    return q;
  }

  #checkExclusiveAccess(q: Queue, who: Requester): void {
    if (q.exclusiveOwner !== null && q.exclusiveOwner !== who.connectionId) throw this.#locked(q);
  }

  #locked(q: Queue): AmqpError {
    return resourceLocked(
      `cannot obtain exclusive access to locked queue '${q.name}' in vhost '${this.name}'. It could be originally declared on another connection or the exclusive property value does not match that of the original declaration.`,
    );
  }

  // ---- exchanges ------------------------------------------------------------------------

  declareExchange(name: string, decl: ExchangeDeclaration): Exchange {
    // The order of RabbitMQ's checks decides which error wins (rabbit_channel exchange.declare).
    if (decl.type === '') throw preconditionFailed(`invalid exchange type ''`);
    if (!isExchangeType(decl.type)) throw preconditionFailed(`unknown exchange type '${decl.type}'`);
    if (name === '') throw accessRefused(`operation not permitted on the default exchange`);
    const existing = this.exchanges.get(name);
    if (existing) {
      this.#assertExchangeEquivalent(existing, decl);
      return existing;
    }
    if (name.startsWith('amq.')) throw accessRefused(`exchange name '${name}' contains reserved prefix 'amq.*'`);
    const ae = decl.arguments['alternate-exchange'];
    if (ae && ae.type !== 'longstr') {
      throw preconditionFailed(`invalid type '${erlangTypeName(ae.type)}' for arg 'alternate-exchange' in exchange '${name}' in vhost '${this.name}'`);
    }
    const x = new Exchange({ ...decl, name, type: decl.type, random: this.#hooks.random });
    this.exchanges.set(name, x);
    this.#hooks.exchangeDeclared(x);
    return x;
  }

  /** Passive declare: the exchange must exist. */
  checkExchange(name: string): Exchange {
    return this.requireExchange(name);
  }

  #assertExchangeEquivalent(x: Exchange, decl: ExchangeDeclaration): void {
    const where = `for exchange '${x.name}' in vhost '${this.name}'`;
    const differ = (arg: string, received: string, current: string) =>
      preconditionFailed(`inequivalent arg '${arg}' ${where}: received '${received}' but current is '${current}'`);
    if (decl.type !== x.type) throw differ('type', decl.type, x.type);
    if (decl.durable !== x.durable) throw differ('durable', String(decl.durable), String(x.durable));
    if (decl.autoDelete !== x.autoDelete) throw differ('auto_delete', String(decl.autoDelete), String(x.autoDelete));
    if (decl.internal !== x.internal) throw differ('internal', String(decl.internal), String(x.internal));
    assertArgsEquivalent(EXCHANGE_EQUIVALENCE_ARGS, decl.arguments, x.arguments, where);
  }

  deleteExchange(name: string, ifUnused: boolean): void {
    if (name === '') throw accessRefused(`operation not permitted on the default exchange`);
    if (name.startsWith('amq.')) throw accessRefused(`deletion of system exchange '${name}' in vhost '${this.name}' not allowed`);
    const x = this.exchanges.get(name);
    if (!x) return; // deleting a missing exchange succeeds, as in RabbitMQ 4.x
    if (ifUnused && x.bindings.size > 0) throw preconditionFailed(`exchange '${name}' in vhost '${this.name}' in use`);
    this.#removeExchange(x, 'deleted');
  }

  #removeExchange(x: Exchange, reason: string): void {
    this.exchanges.delete(x.name);
    for (const b of [...x.bindings.values()]) this.#removeBinding(b, { cascade: false });
    for (const b of [...x.bindingsIn]) this.#removeBinding(b, { cascade: true });
    this.#hooks.exchangeDeleted(x, reason);
  }

  // ---- queues ---------------------------------------------------------------------------

  declareQueue(requestedName: string, decl: QueueDeclaration, who: Requester): { queue: Queue; created: boolean } {
    if (requestedName.startsWith('amq.')) throw accessRefused(`queue name '${requestedName}' contains reserved prefix 'amq.*'`);
    const existing = requestedName === '' ? undefined : this.queues.get(requestedName);
    if (existing) {
      // Redeclaring checks exclusivity strictly: the owner must match exactly (rabbit_amqqueue).
      const owner = decl.exclusive ? who.connectionId : null;
      if (existing.exclusiveOwner !== owner) throw this.#locked(existing);
      this.#assertQueueEquivalent(existing, decl);
      existing.touch();
      return { queue: existing, created: false };
    }
    const name = requestedName === '' ? this.#hooks.serverName() : requestedName;
    decl = { ...decl, arguments: normalizeQueueArguments(decl.arguments) };
    const type = validateNewQueue({
      where: `queue '${name}' in vhost '${this.name}'`,
      serverNamed: requestedName === '',
      durable: decl.durable,
      exclusive: decl.exclusive,
      autoDelete: decl.autoDelete,
      arguments: decl.arguments,
    });
    const queue = new Queue({
      name,
      vhost: this.name,
      // 4.x keeps exclusive queues transient whatever the client asked.
      durable: decl.durable && !decl.exclusive,
      exclusiveOwner: decl.exclusive ? who.connectionId : null,
      autoDelete: decl.autoDelete,
      arguments: decl.arguments,
      type,
      host: this.#hooks.queueHost,
    });
    this.queues.set(name, queue);
    this.#hooks.queueDeclared(queue);
    return { queue, created: true };
  }

  #assertQueueEquivalent(q: Queue, decl: QueueDeclaration): void {
    const where = `for queue '${q.name}' in vhost '${this.name}'`;
    const differ = (arg: string, received: boolean, current: boolean) =>
      preconditionFailed(`inequivalent arg '${arg}' ${where}: received '${received}' but current is '${current}'`);
    // Exclusive queues are stored transient, so their durable flag is not compared.
    if (!q.exclusive && decl.durable !== q.durable) throw differ('durable', decl.durable, q.durable);
    if (decl.autoDelete !== q.autoDelete) throw differ('auto_delete', decl.autoDelete, q.autoDelete);
    const received = withDefaultQueueType(normalizeQueueArguments(decl.arguments));
    const current = withDefaultQueueType(q.arguments);
    assertArgsEquivalent(EQUIVALENCE_ORDER[q.type], received, current, where);
  }

  /** Passive declare: the queue must exist and be usable by the requester. */
  checkQueue(name: string, who: Requester): Queue {
    const q = this.requireQueue(name, who);
    q.touch();
    return q;
  }

  /** Deletes a queue; returns how many ready messages it had. Missing queues delete fine. */
  deleteQueue(name: string, options: { ifUnused: boolean; ifEmpty: boolean }, who: Requester): number {
    const q = this.queues.get(name);
    if (!q) return 0;
    this.#checkExclusiveAccess(q, who);
    if (q.type !== 'classic' && (options.ifUnused || options.ifEmpty)) {
      const flag = options.ifUnused ? 'if-unused' : 'if-empty';
      throw new AmqpError(
        'NOT_IMPLEMENTED',
        `cannot delete queue '${name}' in vhost '${this.name}'. queue.delete operations with ${flag} flag set are not supported by quorum queues`,
      );
    }
    if (options.ifEmpty && q.messageCount > 0) throw preconditionFailed(`queue '${name}' in vhost '${this.name}' not empty`);
    if (options.ifUnused && q.consumers.length > 0) throw preconditionFailed(`queue '${name}' in vhost '${this.name}' in use`);
    const count = q.messageCount;
    this.removeQueue(q, 'deleted');
    return count;
  }

  /** Takes a queue out of the tables with its bindings (deletion, exclusivity, auto-delete). */
  removeQueue(q: Queue, reason: string): void {
    if (q.deleted) return;
    q.deleted = true;
    q.stop();
    this.queues.delete(q.name);
    for (const b of [...q.bindingsIn]) this.#removeBinding(b, { cascade: true });
    this.#hooks.queueDeleted(q, reason);
  }

  /** Before a restart's connections close: durable queues keep what survives. */
  beforeRestart(): void {
    for (const q of this.queues.values()) if (q.durable) q.restart('before');
  }

  /**
   * What a restart leaves (RabbitMQ 4.3, whose metadata store keeps every exchange): exchanges
   * and durable queues with the bindings between them, and each durable queue's surviving
   * messages.
   */
  afterRestart(): void {
    for (const q of [...this.queues.values()]) if (!q.durable) this.removeQueue(q, 'transient: gone with the restart');
    for (const q of this.queues.values()) q.restart('after');
  }

  // ---- bindings -------------------------------------------------------------------------

  bind(source: string, kind: DestinationKind, destination: string, routingKey: string, args: FieldTable, who: Requester): void {
    const { x, dest } = this.#bindingEnds(source, kind, destination, who);
    if (x.type === 'topic') {
      const problem = validateTopicBindingKey(routingKey);
      if (problem) throw preconditionFailed(problem);
    }
    if (x.type === 'headers') {
      const problem = validateHeadersBinding(args);
      if (problem) throw preconditionFailed(problem);
    }
    const id = bindingId(source, kind, destination, routingKey, args);
    if (x.bindings.has(id)) return;
    const b: Binding = { id, source, destinationKind: kind, destination, routingKey, arguments: args, target: dest };
    x.addBinding(b);
    dest.bindingsIn.add(b);
    this.#hooks.bindingCreated(b);
  }

  /** Unbinding what does not exist (binding, source or destination) succeeds, as in 4.x. */
  unbind(source: string, kind: DestinationKind, destination: string, routingKey: string, args: FieldTable): void {
    if (source === '' || (kind === 'exchange' && destination === '')) {
      throw accessRefused(`operation not permitted on the default exchange`);
    }
    const x = this.exchanges.get(source);
    const dest = kind === 'queue' ? this.queues.get(destination) : this.exchanges.get(destination);
    if (!x || !dest) return;
    const b = x.bindings.get(bindingId(source, kind, destination, routingKey, args));
    if (b) this.#removeBinding(b, { cascade: true });
  }

  #bindingEnds(source: string, kind: DestinationKind, destination: string, who: Requester): { x: Exchange; dest: Exchange | Queue } {
    if (source === '' || (kind === 'exchange' && destination === '')) {
      throw accessRefused(`operation not permitted on the default exchange`);
    }
    const x = this.exchanges.get(source);
    const dest = kind === 'queue' ? this.queues.get(destination) : this.exchanges.get(destination);
    if (!x) throw notFound('exchange', source, this.name);
    if (!dest) throw notFound(kind, destination, this.name);
    if (dest instanceof Queue) this.#checkExclusiveAccess(dest, who);
    return { x, dest };
  }

  #removeBinding(b: Binding, options: { cascade: boolean }): void {
    const x = this.exchanges.get(b.source);
    if (x) x.removeBinding(b);
    const dest = b.destinationKind === 'queue' ? this.queues.get(b.destination) : this.exchanges.get(b.destination);
    dest?.bindingsIn.delete(b);
    this.#hooks.bindingDeleted(b);
    // An auto-delete exchange goes when its last outgoing binding does.
    if (options.cascade && x && x.autoDelete && x.bindings.size === 0 && this.exchanges.get(x.name) === x) {
      this.#removeExchange(x, 'auto-deleted: its last binding was removed');
    }
  }
}

function isExchangeType(type: string): type is ExchangeType {
  return (EXCHANGE_TYPES as readonly string[]).includes(type);
}

/**
 * rabbit_misc:assert_args_equivalence: values of the same type class (integers of any width are
 * one class) compare by value; the text shows plain values, or `the value 'v' of type 't'` when
 * one side is missing.
 */
function assertArgsEquivalent(keys: readonly string[], received: FieldTable, current: FieldTable, where: string): void {
  for (const key of keys) {
    const r = received[key];
    const c = current[key];
    if (sameArg(r, c)) continue;
    const text = r && c ? `received '${plainValue(r)}' but current is '${plainValue(c)}'` : `received ${describeArg(r)} but current is ${describeArg(c)}`;
    throw preconditionFailed(`inequivalent arg '${key}' ${where}: ${text}`);
  }
}

const INTEGER_TYPES = new Set(['byte', 'unsignedbyte', 'short', 'unsignedshort', 'int', 'unsignedint', 'long', 'unsignedlong']);

function typeClass(v: FieldValue): string {
  return INTEGER_TYPES.has(v.type) ? 'integer' : v.type;
}

function sameArg(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (!a || !b) return a === b;
  if (typeClass(a) !== typeClass(b)) return false;
  if (typeClass(a) === 'integer') return BigInt(a.value as number | bigint) === BigInt(b.value as number | bigint);
  return JSON.stringify(a.value, replacer) === JSON.stringify(b.value, replacer);
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? Array.from(value) : value;
}

/** A value as Erlang's ~tp prints a binary or number inside RabbitMQ's quotes. */
function plainValue(v: FieldValue): string {
  switch (v.type) {
    case 'longstr':
      return v.value;
    case 'bytes':
      return new TextDecoder().decode(v.value);
    case 'bool':
      return String(v.value);
    default:
      return INTEGER_TYPES.has(v.type) ? String(v.value) : formatFieldValue(v);
  }
}

function describeArg(v: FieldValue | undefined): string {
  if (!v) return 'none';
  return `the value '${plainValue(v)}' of type '${amqpTypeName(v)}'`;
}

/** RabbitMQ's names for field types in texts (rabbit_binary_parser). */
function amqpTypeName(v: FieldValue): string {
  const names: Record<string, string> = { int: 'signedint', unsignedint: 'unsignedint', bool: 'bool', table: 'table', array: 'array', void: 'void' };
  return names[v.type] ?? v.type;
}

function withDefaultQueueType(args: FieldTable): FieldTable {
  if (args['x-queue-type']) return args;
  return { ...args, 'x-queue-type': { type: 'longstr', value: 'classic' } };
}

export { AmqpError };
