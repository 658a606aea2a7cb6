/**
 * A queue: ready messages in order, the consumers that take them, and the count of messages
 * delivered but not yet acknowledged (the unacked records themselves live on the channels, as
 * in RabbitMQ, keyed by delivery tag).
 *
 * Dispatch walks consumers by priority, round-robin within the highest priority that has
 * capacity (prefetch), so one slow consumer never starves the others. Cost per delivered
 * message: O(consumers) in the worst case, O(1) with one consumer.
 */

import type { FieldTable } from './field-table';
import type { Message, QueuedMessage } from './message';
import { ReadyList } from './ready-list';
import type { Binding } from './binding';

import type { QueueType } from './queue-args';

export type { QueueType };

/** What a queue needs from a consumer: capacity and a way to hand a message over. */
export interface QueueConsumer {
  readonly tag: string;
  readonly priority: number;
  readonly exclusive: boolean;
  readonly channelId: number;
  /** Can it take one more message now (prefetch of the consumer and of its channel)? */
  hasCapacity(): boolean;
  deliver(queue: Queue, qm: QueuedMessage): void;
}

export interface QueueOptions {
  name: string;
  vhost: string;
  durable: boolean;
  exclusiveOwner: number | null;
  autoDelete: boolean;
  arguments: FieldTable;
  type: QueueType;
}

export class Queue {
  readonly name: string;
  readonly vhost: string;
  readonly durable: boolean;
  /** The connection that owns an exclusive queue, or null. */
  readonly exclusiveOwner: number | null;
  readonly autoDelete: boolean;
  readonly arguments: FieldTable;
  readonly type: QueueType;
  /** Bindings that lead here (for deletion and inspection). */
  readonly bindingsIn = new Set<Binding>();

  readonly ready = new ReadyList();
  unackedCount = 0;
  consumers: QueueConsumer[] = [];
  /** Ever had a consumer: an auto-delete queue is deleted only after its last one goes. */
  hadConsumer = false;
  deleted = false;
  /** Routing's mark for "already reached by this publish" (see routing.ts), cheaper than a Set. */
  routeStamp = 0;

  #seq = 0;
  #roundRobin = 0;

  constructor(options: QueueOptions) {
    this.name = options.name;
    this.vhost = options.vhost;
    this.durable = options.durable;
    this.exclusiveOwner = options.exclusiveOwner;
    this.autoDelete = options.autoDelete;
    this.arguments = options.arguments;
    this.type = options.type;
  }

  get exclusive(): boolean {
    return this.exclusiveOwner !== null;
  }

  get messageCount(): number {
    return this.ready.length;
  }

  /** Appends a message at the tail. */
  enqueue(message: Message): void {
    this.ready.push(message, this.#seq++);
  }

  /** Takes the head for basic.get; the caller records it as unacked unless no-ack. */
  take(): QueuedMessage | undefined {
    return this.ready.shift();
  }

  /** A delivered message goes back to its place, marked redelivered. */
  requeue(qm: QueuedMessage): void {
    qm.redelivered = true;
    this.ready.insertInOrder(qm);
  }

  addConsumer(consumer: QueueConsumer): void {
    this.consumers.push(consumer);
    this.hadConsumer = true;
  }

  removeConsumer(tag: string, channelId: number): QueueConsumer | undefined {
    const at = this.consumers.findIndex((c) => c.tag === tag && c.channelId === channelId);
    if (at < 0) return undefined;
    const [removed] = this.consumers.splice(at, 1);
    if (this.#roundRobin > at) this.#roundRobin--;
    return removed;
  }

  hasExclusiveConsumer(): boolean {
    return this.consumers.some((c) => c.exclusive);
  }

  /** Hands ready messages to consumers with capacity until either runs out. */
  dispatch(): void {
    while (this.ready.length > 0) {
      const consumer = this.#nextConsumer();
      if (!consumer) return;
      const qm = this.ready.shift()!;
      consumer.deliver(this, qm);
    }
  }

  /** Highest priority first; round-robin among equals that have capacity. */
  #nextConsumer(): QueueConsumer | undefined {
    const consumers = this.consumers;
    const n = consumers.length;
    if (n === 0) return undefined;
    let best: QueueConsumer | undefined;
    let bestIndex = -1;
    for (let step = 0; step < n; step++) {
      const i = (this.#roundRobin + step) % n;
      const c = consumers[i]!;
      if ((!best || c.priority > best.priority) && c.hasCapacity()) {
        best = c;
        bestIndex = i;
      }
    }
    if (best) this.#roundRobin = (bestIndex + 1) % n;
    return best;
  }
}
