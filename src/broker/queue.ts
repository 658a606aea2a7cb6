/**
 * A queue: ready messages in priority and arrival order, the consumers that take them, and the
 * rules that make messages leave without a consumer (TTL, length limits, delivery limits) and the
 * queue itself go (x-expires). Unacked records live on the channels, as in RabbitMQ, keyed by
 * delivery tag; the queue only counts them.
 *
 * The order of steps follows rabbit_amqqueue_process: an arriving message goes straight to a
 * consumer when nothing waits before it; otherwise it is appended, the head is dropped while the
 * queue is over its length limits (drop-head), and expired messages are dropped from the head.
 * Expiry is checked only at the head, with one clock task for the head's deadline.
 *
 * Dispatch walks consumers by priority, round-robin within the highest priority that has
 * capacity (prefetch), so one slow consumer never starves the others; with single-active-consumer
 * only the active one receives. Cost per delivered message: O(consumers) at worst, O(1) with one.
 */

import type { ClockTask } from './clock';
import type { FieldTable, FieldValue } from './field-table';
import type { Message, QueuedMessage } from './message';
import { PrioritizedReady } from './ready-list';
import { propertiesSize } from './wire-size';
import type { Binding } from './binding';
import type { QueueType } from './queue-args';
import type { QueueArrival } from './trace';

export type { QueueType };

/** Why a message left a queue without being acknowledged (x-death reasons). */
export type DeathReason = 'rejected' | 'expired' | 'maxlen' | 'delivery_limit';

/** What a queue needs from a consumer: capacity and a way to hand a message over. */
export interface QueueConsumer {
  readonly tag: string;
  readonly priority: number;
  readonly exclusive: boolean;
  readonly channelId: number;
  /** Deliveries it holds unacknowledged. */
  readonly unacked: number;
  /** Its channel and connection are still open. */
  readonly live: boolean;
  /** Can it take one more message now (prefetch of the consumer and of its channel)? */
  hasCapacity(): boolean;
  deliver(queue: Queue, qm: QueuedMessage): void;
}

/** What a queue needs from the broker: time, and somewhere to send what leaves. */
export interface QueueHost {
  now(): number;
  at(time: number, run: () => void): ClockTask;
  cancel(task: ClockTask | undefined): void;
  /** A message reached the queue (before it is delivered or stored). */
  arrived(queue: Queue, message: Message): void;
  /** A message leaves for good without an ack: dead-letter it or drop it, and report it. */
  discard(queue: Queue, qm: QueuedMessage, reason: DeathReason): void;
  /** The queue went unused for its x-expires period. */
  expire(queue: Queue): void;
}

export interface QueueOptions {
  name: string;
  vhost: string;
  durable: boolean;
  exclusiveOwner: number | null;
  autoDelete: boolean;
  arguments: FieldTable;
  type: QueueType;
  host: QueueHost;
}

/** What became of a message offered to a queue. */
export type OfferResult = 'delivered' | 'enqueued' | 'rejected' | 'dropped';

/** What an offer would do, as a trace records it (see Queue.previewOffer). */
export type OfferPreview = Omit<QueueArrival, 'queue'>;

export type Overflow = 'drop-head' | 'reject-publish' | 'reject-publish-dlx';

/** A quorum queue's default delivery limit in RabbitMQ 4.x. */
export const QUORUM_DEFAULT_DELIVERY_LIMIT = 20;

/** A quorum queue checks x-expires on a tick of this many ms (RabbitMQ 4.3). */
const QUORUM_TICK = 5000;

function intArg(args: FieldTable, key: string): number | undefined {
  const v: FieldValue | undefined = args[key];
  if (!v || typeof v.value !== 'number' && typeof v.value !== 'bigint') return undefined;
  return Number(v.value);
}

function stringArg(args: FieldTable, key: string): string | undefined {
  const v = args[key];
  return v?.type === 'longstr' ? v.value : undefined;
}

/** Per-message TTL from the `expiration` property (validated at publish), in ms. */
export function messageTtl(message: Message): number | undefined {
  const e = message.properties.expiration;
  return e === undefined ? undefined : Number(e);
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

  readonly messageTtl: number | undefined;
  readonly maxLength: number | undefined;
  readonly maxLengthBytes: number | undefined;
  readonly overflow: Overflow;
  readonly deadLetterExchange: string | undefined;
  readonly deadLetterRoutingKey: string | undefined;
  readonly singleActiveConsumer: boolean;
  readonly expires: number | undefined;
  /** Quorum queues only: returns after which a message is dead-lettered (undefined: no limit). */
  readonly deliveryLimit: number | undefined;

  readonly ready: PrioritizedReady;
  unackedCount = 0;
  /** Unacked basic.get deliveries: a quorum queue counts each as a consumer (4.3). */
  unackedGets = 0;
  consumers: QueueConsumer[] = [];
  /** With single-active-consumer: the one consumer that receives. */
  activeConsumer: QueueConsumer | undefined;
  /** Quorum SAC: a higher-priority consumer waiting for the active one to settle its messages. */
  #successor: QueueConsumer | undefined;
  /** Quorum SAC: cancelled consumers still holding unacked messages (counted as consumers). */
  #lingering: QueueConsumer[] = [];
  /** Ever had a consumer: an auto-delete queue is deleted only after its last one goes. */
  hadConsumer = false;
  deleted = false;
  /** Routing's mark for "already reached by this publish" (see routing.ts), cheaper than a Set. */
  routeStamp = 0;

  readonly #host: QueueHost;
  #seq = 0;
  #roundRobin = 0;
  #expiryTask: ClockTask | undefined;
  /** Quorum reject-publish: refusing until back under 80% of the limit. */
  #blocked = false;
  #unusedTask: ClockTask | undefined;
  readonly #declaredAt: number;

  constructor(options: QueueOptions) {
    this.name = options.name;
    this.vhost = options.vhost;
    this.durable = options.durable;
    this.exclusiveOwner = options.exclusiveOwner;
    this.autoDelete = options.autoDelete;
    this.arguments = options.arguments;
    this.type = options.type;
    this.#host = options.host;
    this.#declaredAt = options.host.now();
    const args = options.arguments;
    this.messageTtl = intArg(args, 'x-message-ttl');
    this.maxLength = intArg(args, 'x-max-length');
    this.maxLengthBytes = intArg(args, 'x-max-length-bytes');
    this.overflow = (stringArg(args, 'x-overflow') as Overflow | undefined) ?? 'drop-head';
    this.deadLetterExchange = stringArg(args, 'x-dead-letter-exchange');
    this.deadLetterRoutingKey = stringArg(args, 'x-dead-letter-routing-key');
    this.singleActiveConsumer = args['x-single-active-consumer']?.value === true;
    this.expires = intArg(args, 'x-expires');
    this.deliveryLimit = this.type === 'quorum' ? quorumDeliveryLimit(args) : undefined;
    this.ready = this.#readyFor(args);
    this.#touch();
  }

  /**
   * Classic: x-max-priority + 1 levels (x-max-priority 0 still puts any priority ahead of none);
   * quorum (4.3): 32 strict levels, no priority counting as 4, returns served first, and
   * x-max-length-bytes counting the encoded properties too.
   */
  #readyFor(args: FieldTable): PrioritizedReady {
    if (this.type === 'quorum') {
      return new PrioritizedReady(32, (m) => Math.min(m.properties.priority ?? 4, 31), {
        returnsFirst: true,
        sizeOf: (m) => m.content.length + propertiesSize(m.properties),
      });
    }
    const max = intArg(args, 'x-max-priority');
    if (max === undefined) return new PrioritizedReady(1, () => 0);
    const top = Math.max(max, 1);
    return new PrioritizedReady(top + 1, (m) => Math.min(m.properties.priority ?? 0, top));
  }

  /** What one message counts toward x-max-length-bytes here. */
  #sizeOf(message: Message): number {
    return this.type === 'quorum' ? message.content.length + propertiesSize(message.properties) : message.content.length;
  }

  get exclusive(): boolean {
    return this.exclusiveOwner !== null;
  }

  get messageCount(): number {
    return this.ready.length;
  }

  /**
   * What queue.declare-ok reports as consumer-count. A quorum queue (4.3) counts each unacked
   * basic.get; with single-active-consumer it counts the active consumer and cancelled ones
   * still holding messages, not the waiting ones.
   */
  get consumerCount(): number {
    if (this.type !== 'quorum') return this.consumers.length;
    if (!this.singleActiveConsumer) return this.consumers.length + this.unackedGets;
    this.#lingering = this.#lingering.filter((c) => c.unacked > 0 && c.live);
    return (this.activeConsumer ? 1 : 0) + this.#lingering.length;
  }

  // ---- arrival ----------------------------------------------------------------------------

  /** Would one more message of `bytes` go over a limit? (rabbit_amqqueue_process:will_overflow) */
  #wouldOverflow(bytes: number): boolean {
    if (this.maxLength !== undefined && this.ready.length + 1 > this.maxLength) return true;
    return this.maxLengthBytes !== undefined && this.ready.bytes + bytes > this.maxLengthBytes;
  }

  /** Does the queue refuse `message` now? Reopens a blocked quorum queue that drained enough. */
  #refuses(message: Message): boolean {
    if (this.overflow === 'drop-head') return false;
    if (this.#blocked && this.#belowReopenMark()) this.#blocked = false;
    return this.#wouldRefuse(message);
  }

  /**
   * reject-publish: a classic queue refuses what would take it over a limit. A quorum queue
   * accepts while not blocked (so it overshoots by one), then refuses until it is back at 80% of
   * its limits; its reject-publish-dlx acts as drop-head (RabbitMQ 4.3). Changes nothing.
   */
  #wouldRefuse(message: Message): boolean {
    if (this.overflow === 'drop-head') return false;
    if (this.type !== 'quorum') return this.#wouldOverflow(this.#sizeOf(message));
    if (this.overflow === 'reject-publish-dlx') return false;
    return this.#blocked && !this.#belowReopenMark();
  }

  #belowReopenMark(): boolean {
    const lengthOk = this.maxLength === undefined || this.ready.length <= this.maxLength * 0.8;
    const bytesOk = this.maxLengthBytes === undefined || this.ready.bytes <= this.maxLengthBytes * 0.8;
    return lengthOk && bytesOk;
  }

  /** drop-head for classic queues; for quorum ones also reject-publish-dlx. */
  get #dropsHead(): boolean {
    return this.overflow === 'drop-head' || (this.type === 'quorum' && this.overflow === 'reject-publish-dlx');
  }

  #overLimit(): boolean {
    if (this.maxLength !== undefined && this.ready.length > this.maxLength) return true;
    return this.maxLengthBytes !== undefined && this.ready.bytes > this.maxLengthBytes;
  }

  /** A routed message arrives. */
  offer(message: Message): OfferResult {
    if (this.#refuses(message)) {
      if (this.overflow === 'reject-publish-dlx') this.#host.discard(this, this.#record(message), 'maxlen');
      return 'rejected';
    }
    this.#host.arrived(this, message);
    const now = this.#host.now();
    const ttl = this.#ttlOf(message);
    const seq = this.#seq++;
    // Straight to a consumer when nothing waits before it.
    if (this.ready.length === 0) {
      const consumer = this.#nextConsumer();
      if (consumer) {
        consumer.deliver(this, { message, seq, redelivered: message.redelivered ?? false, expiresAt: ttl === undefined ? -1 : now + ttl, returns: 0, failures: 0 });
        return 'delivered';
      }
    }
    this.ready.push(message, seq, ttl === undefined ? -1 : now + ttl);
    if (this.type === 'quorum' && this.overflow === 'reject-publish' && this.#overLimit()) this.#blocked = true;
    const dropped = this.#dropHeadWhileOverLimit(seq);
    this.#dropExpired();
    return dropped ? 'dropped' : 'enqueued';
  }

  /**
   * What `offer(message)` would do now, changing nothing (no timers, no round-robin turn, no
   * head dropped): a dry run's answer, with the reason when it is refused or dropped, or when
   * taking it pushes others out of the head. Cost: O(1), plus O(dropped) when over a limit.
   */
  previewOffer(message: Message): OfferPreview {
    if (this.#wouldRefuse(message)) return { result: 'refused', reason: this.refusalReason() };
    if (this.ready.length === 0 && this.#consumerWouldTake()) return { result: 'delivered' };
    const drops = this.#headDropsWith(message);
    if (drops.itself) return { result: 'dropped', reason: this.dropReason() };
    if (drops.others === 0) return { result: 'enqueued' };
    const what = drops.others === 1 ? '1 message' : `${drops.others} messages`;
    const where = this.deadLetterExchange === undefined ? '' : ` to its dead-letter exchange ${JSON.stringify(this.deadLetterExchange)}`;
    return { result: 'enqueued', reason: `the queue is full (${this.#limitsText()}): taking it drops ${what} from the head${where} (x-overflow ${this.overflow})` };
  }

  /** Why the queue refused a message (x-overflow reject-publish or reject-publish-dlx). */
  refusalReason(): string {
    const then = this.overflow === 'reject-publish-dlx' && this.deadLetterExchange !== undefined ? ', and dead-letters it' : '';
    return `the queue is full (x-overflow ${this.overflow})${then}`;
  }

  /** Why a message that just arrived was dropped at once: it was at the head when over a limit. */
  dropReason(): string {
    return `the queue was over its limit (${this.#limitsText()}) with it, and x-overflow ${this.overflow} dropped it from the head`;
  }

  #limitsText(): string {
    const limits: string[] = [];
    if (this.maxLength !== undefined) limits.push(`x-max-length ${this.maxLength}`);
    if (this.maxLengthBytes !== undefined) limits.push(`x-max-length-bytes ${this.maxLengthBytes}`);
    return limits.join(', ');
  }

  /** Would a consumer take a message straight away? (#nextConsumer without its side effects) */
  #consumerWouldTake(): boolean {
    if (this.singleActiveConsumer) {
      const active = this.activeConsumer;
      // A waiting successor takes over once the active consumer has nothing unacked.
      if (this.#successor) return active !== undefined && active.unacked === 0 && this.#successor.hasCapacity();
      return active !== undefined && active.hasCapacity();
    }
    return this.consumers.some((c) => c.hasCapacity());
  }

  /**
   * How many messages drop-head would take from the head if `message` arrived now, and whether
   * it would be one of them: the head leaves in delivery order, `message` standing where its
   * priority puts it.
   */
  #headDropsWith(message: Message): { others: number; itself: boolean } {
    const none = { others: 0, itself: false };
    if (!this.#dropsHead || (this.maxLength === undefined && this.maxLengthBytes === undefined)) return none;
    const size = this.#sizeOf(message);
    let length = this.ready.length + 1;
    let bytes = this.ready.bytes + size;
    const over = () => (this.maxLength !== undefined && length > this.maxLength) || (this.maxLengthBytes !== undefined && bytes > this.maxLengthBytes);
    if (!over()) return none;
    const at = this.ready.positionFor(message);
    const ahead = this.ready[Symbol.iterator]();
    let others = 0;
    let itself = false;
    for (let i = 0; over() && length > 0; i++) {
      if (i === at) {
        itself = true;
        bytes -= size;
      } else {
        bytes -= this.#sizeOf(ahead.next().value!.message);
        others++;
      }
      length--;
    }
    return { others, itself };
  }

  #ttlOf(message: Message): number | undefined {
    const perMessage = messageTtl(message);
    if (perMessage === undefined) return this.messageTtl;
    return this.messageTtl === undefined ? perMessage : Math.min(perMessage, this.messageTtl);
  }

  #record(message: Message): QueuedMessage {
    return { message, seq: -1, redelivered: message.redelivered ?? false, expiresAt: -1, returns: 0, failures: 0 };
  }

  /** drop-head: drop (and dead-letter) from the head while over a limit; was `seq` dropped? */
  #dropHeadWhileOverLimit(seq = -1): boolean {
    if (!this.#dropsHead || (this.maxLength === undefined && this.maxLengthBytes === undefined)) return false;
    let droppedSeq = false;
    while (this.#overLimit()) {
      const qm = this.ready.shift()!;
      if (qm.seq === seq) droppedSeq = true;
      this.#host.discard(this, qm, 'maxlen');
    }
    return droppedSeq;
  }

  // ---- expiry -----------------------------------------------------------------------------

  /** Drops expired messages from the heads, then sets a timer for the next head's deadline. */
  #dropExpired(): void {
    // Most queues never see a deadline: nothing to do, nothing allocated.
    if (!this.#expiryTask && !this.ready.mayExpire) return;
    this.ready.takeExpired(this.#host.now(), this.#expire);
    this.#scheduleExpiry();
  }

  readonly #expire = (qm: QueuedMessage): void => this.#host.discard(this, qm, 'expired');

  #scheduleExpiry(): void {
    const expiry = this.ready.headExpiry();
    if (this.#expiryTask && !this.#expiryTask.cancelled && this.#expiryTask.due === expiry) return;
    this.#host.cancel(this.#expiryTask);
    this.#expiryTask = undefined;
    if (expiry === undefined || expiry < 0 || this.deleted) return;
    this.#expiryTask = this.#host.at(expiry, () => {
      this.#expiryTask = undefined;
      this.#dropExpired();
      this.dispatch();
    });
  }

  // ---- leaving ----------------------------------------------------------------------------

  /** basic.get: the head (after dropping what expired); the caller records it as unacked. */
  take(): QueuedMessage | undefined {
    this.#touch();
    this.#dropExpired();
    return this.#takeHead();
  }

  /**
   * The head leaves. A classic queue then drops what expired behind it
   * (rabbit_amqqueue_process:fetch), so get-ok's message-count leaves them out; a quorum queue
   * finds them only at the next checkout.
   */
  #takeHead(): QueuedMessage | undefined {
    const qm = this.ready.shift();
    if (qm && this.type !== 'quorum') this.#dropExpired();
    return qm;
  }

  /**
   * A delivered message goes back, marked redelivered: to its place (classic) or to the returns
   * served first (quorum). Every return is counted and, apart, failed deliveries (basic.reject, a
   * closed channel; RabbitMQ 4.3 does not count basic.nack or recover). A quorum queue
   * dead-letters a message whose failures pass its delivery limit.
   */
  requeue(qm: QueuedMessage, failed: boolean): void {
    qm.redelivered = true;
    qm.returns++;
    if (failed) qm.failures++;
    if (this.deliveryLimit !== undefined && qm.failures > this.deliveryLimit) {
      this.#host.discard(this, qm, 'delivery_limit');
      return;
    }
    this.ready.requeue(qm);
    this.#dropHeadWhileOverLimit();
    this.#dropExpired();
  }

  /** Removes every ready message; returns how many. */
  purge(): number {
    const n = this.ready.clear();
    this.#scheduleExpiry();
    return n;
  }

  /**
   * The message as it is handed out: a quorum queue adds `x-delivery-count` (its returns so far)
   * to a message it delivers again.
   */
  outgoing(qm: QueuedMessage): Message {
    if (this.type !== 'quorum' || qm.returns === 0) return qm.message;
    const headers: FieldTable = Object.create(null);
    Object.assign(headers, qm.message.properties.headers);
    headers['x-acquired-count'] = { type: 'long', value: qm.returns };
    if (qm.failures > 0) headers['x-delivery-count'] = { type: 'long', value: qm.failures };
    return { ...qm.message, properties: { ...qm.message.properties, headers } };
  }

  // ---- consumers --------------------------------------------------------------------------

  addConsumer(consumer: QueueConsumer): void {
    this.consumers.push(consumer);
    this.hadConsumer = true;
    if (this.singleActiveConsumer) {
      if (!this.activeConsumer) this.activeConsumer = consumer;
      // Quorum queues hand over to a higher-priority consumer; classic ones keep the first.
      else if (this.type === 'quorum' && consumer.priority > (this.#successor ?? this.activeConsumer).priority) this.#successor = consumer;
    }
    this.#touch();
  }

  removeConsumer(tag: string, channelId: number): QueueConsumer | undefined {
    const at = this.consumers.findIndex((c) => c.tag === tag && c.channelId === channelId);
    if (at < 0) return undefined;
    const [removed] = this.consumers.splice(at, 1);
    if (this.#roundRobin > at) this.#roundRobin--;
    if (removed === this.#successor) this.#successor = undefined;
    if (removed === this.activeConsumer) {
      if (this.type === 'quorum' && removed!.unacked > 0) this.#lingering.push(removed!);
      this.activeConsumer = this.#successor ?? this.#firstByPriority();
      this.#successor = undefined;
    }
    this.#touch();
    return removed;
  }

  /** The next active consumer: the highest priority (quorum), else the first registered. */
  #firstByPriority(): QueueConsumer | undefined {
    if (this.type !== 'quorum') return this.consumers[0];
    let best: QueueConsumer | undefined;
    for (const c of this.consumers) if (!best || c.priority > best.priority) best = c;
    return best;
  }

  hasExclusiveConsumer(): boolean {
    return this.consumers.some((c) => c.exclusive);
  }

  /** Hands ready messages to consumers with capacity until either runs out. */
  dispatch(): void {
    if (this.ready.length === 0 || this.consumers.length === 0) return;
    this.#dropExpired();
    while (this.ready.length > 0) {
      const consumer = this.#nextConsumer();
      if (!consumer) break;
      consumer.deliver(this, this.#takeHead()!);
    }
  }

  /** Highest priority first; round-robin among equals that have capacity. */
  #nextConsumer(): QueueConsumer | undefined {
    if (this.singleActiveConsumer) {
      if (this.#successor && this.activeConsumer && this.activeConsumer.unacked === 0) {
        this.activeConsumer = this.#successor;
        this.#successor = undefined;
      }
      const active = this.activeConsumer;
      // While a successor waits, the active consumer gets nothing new.
      return active && !this.#successor && active.hasCapacity() ? active : undefined;
    }
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

  // ---- x-expires --------------------------------------------------------------------------

  /**
   * A (re)declare or passive declare: marks a classic queue used for x-expires. A quorum queue
   * (4.3) renews its lease only with basic.get and consumers.
   */
  touch(): void {
    if (this.type !== 'quorum') this.#touch();
  }

  /**
   * Marks the queue used: with x-expires it is deleted after that long with no consumers, no
   * use and no basic.get. A quorum queue checks on its tick, every 5 s from its declaration.
   */
  #touch(): void {
    if (this.expires === undefined || this.deleted) return;
    this.#host.cancel(this.#unusedTask);
    this.#unusedTask = undefined;
    if (this.consumers.length > 0) return;
    let due = this.#host.now() + this.expires;
    if (this.type === 'quorum') due = this.#declaredAt + Math.ceil((due - this.#declaredAt) / QUORUM_TICK) * QUORUM_TICK;
    this.#unusedTask = this.#host.at(due, () => {
      this.#unusedTask = undefined;
      if (!this.deleted && this.consumers.length === 0) this.#host.expire(this);
    });
  }

  /**
   * A broker restart, as RabbitMQ 4.3 recovers a durable queue: a classic queue keeps only
   * persistent messages, in order, and the ones that were ready come back not redelivered; a
   * quorum queue keeps everything. Called before the connections close (`phase` 'before'), and
   * after, when the unacked ones are back (a classic queue drops the transient among them).
   */
  restart(phase: 'before' | 'after'): void {
    if (this.type === 'classic') {
      const kept = [...this.ready].filter((qm) => qm.message.properties.deliveryMode === 2);
      this.ready.clear();
      for (const qm of kept) {
        if (phase === 'before') qm.redelivered = false;
        this.ready.requeue(qm);
      }
    }
    if (phase === 'after') {
      this.#touch();
      this.#dropExpired();
    }
  }

  /** Stops the queue's timers (it was deleted). */
  stop(): void {
    this.#host.cancel(this.#expiryTask);
    this.#host.cancel(this.#unusedTask);
    this.#expiryTask = undefined;
    this.#unusedTask = undefined;
  }
}

/** x-delivery-limit, or 4.x's default of 20; a negative limit means none. */
function quorumDeliveryLimit(args: FieldTable): number | undefined {
  const v = args['x-delivery-limit'];
  if (!v) return QUORUM_DEFAULT_DELIVERY_LIMIT;
  if (typeof v.value !== 'number' && typeof v.value !== 'bigint') return QUORUM_DEFAULT_DELIVERY_LIMIT;
  const n = Number(v.value);
  return n < 0 ? undefined : n;
}
