/**
 * A small model of what RabbitMQ 4.x does with declarations, deletions and bindings (the rules
 * of src/broker/vhost.ts): tolerant deletes and unbinds, refused inequivalent redeclares,
 * cascading removal of bindings, and auto-delete exchanges that go with their last binding.
 * Stricter than RabbitMQ on equivalence (any difference is refused), so a diff that leans on
 * a lenient redeclare fails here.
 */

import { isBuiltInExchange } from '../../../src/document/builtins';
import {
  bindingSpecKey,
  sameExchange,
  sameQueue,
  type BindingSpec,
  type ExchangeSpec,
  type QueueSpec,
  type Topology,
  type TopologyOp,
} from '../../../src/document/topology';

export class SimBroker {
  readonly exchanges = new Map<string, ExchangeSpec>();
  readonly queues = new Map<string, QueueSpec>();
  readonly bindings = new Map<string, BindingSpec>();

  static holding(t: Topology): SimBroker {
    const sim = new SimBroker();
    for (const x of t.exchanges) sim.exchanges.set(x.name, x);
    for (const q of t.queues) sim.queues.set(q.name, q);
    for (const b of t.bindings) sim.bindings.set(bindingSpecKey(b), b);
    return sim;
  }

  applyAll(ops: readonly TopologyOp[]): this {
    for (const op of ops) this.apply(op);
    return this;
  }

  apply(op: TopologyOp): void {
    switch (op.op) {
      case 'declareExchange': {
        const { op: _op, ...spec } = op;
        if (isBuiltInExchange(spec.name)) throw new Error(`403: declaring built-in exchange '${spec.name}'`);
        const existing = this.exchanges.get(spec.name);
        if (existing && !sameExchange(existing, spec)) throw new Error(`406: inequivalent exchange '${spec.name}'`);
        this.exchanges.set(spec.name, spec);
        return;
      }
      case 'deleteExchange':
        if (isBuiltInExchange(op.name)) throw new Error(`403: deleting built-in exchange '${op.name}'`);
        if (this.exchanges.has(op.name)) this.#removeExchange(op.name);
        return;
      case 'declareQueue': {
        const { op: _op, ...spec } = op;
        const existing = this.queues.get(spec.name);
        if (existing && !sameQueue(existing, spec)) throw new Error(`406: inequivalent queue '${spec.name}'`);
        this.queues.set(spec.name, spec);
        return;
      }
      case 'deleteQueue':
        if (!this.queues.delete(op.name)) return;
        for (const [key, b] of [...this.bindings]) if (b.destinationKind === 'queue' && b.destination === op.name) this.#removeBinding(key, true);
        return;
      case 'bind': {
        const { op: _op, ...spec } = op;
        if (spec.source === '' || (spec.destinationKind === 'exchange' && spec.destination === '')) throw new Error('403: default exchange');
        if (!this.#exchangeExists(spec.source)) throw new Error(`404: no exchange '${spec.source}'`);
        const destinationExists = spec.destinationKind === 'queue' ? this.queues.has(spec.destination) : this.#exchangeExists(spec.destination);
        if (!destinationExists) throw new Error(`404: no ${spec.destinationKind} '${spec.destination}'`);
        this.bindings.set(bindingSpecKey(spec), spec);
        return;
      }
      case 'unbind': {
        if (op.source === '') throw new Error('403: default exchange');
        const key = bindingSpecKey(op);
        if (this.bindings.has(key)) this.#removeBinding(key, true);
        return;
      }
    }
  }

  #exchangeExists(name: string): boolean {
    return isBuiltInExchange(name) || this.exchanges.has(name);
  }

  #removeExchange(name: string): void {
    this.exchanges.delete(name);
    for (const [key, b] of [...this.bindings]) if (b.source === name) this.#removeBinding(key, false);
    for (const [key, b] of [...this.bindings]) if (b.destinationKind === 'exchange' && b.destination === name) this.#removeBinding(key, true);
  }

  #removeBinding(key: string, cascade: boolean): void {
    const b = this.bindings.get(key);
    if (!b) return;
    this.bindings.delete(key);
    const source = this.exchanges.get(b.source);
    if (cascade && source?.autoDelete && ![...this.bindings.values()].some((other) => other.source === b.source)) this.#removeExchange(b.source);
  }

  /** What it holds, in topologyOf's order. */
  topology(): Topology {
    const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return {
      exchanges: [...this.exchanges.values()].sort((a, b) => byText(a.name, b.name)),
      queues: [...this.queues.values()].sort((a, b) => byText(a.name, b.name)),
      bindings: [...this.bindings.entries()].sort(([a], [b]) => byText(a, b)).map(([, b]) => b),
    };
  }
}
