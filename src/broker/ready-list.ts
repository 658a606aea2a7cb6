/**
 * A queue's ready messages in order, for one priority level.
 *
 * Layout: parallel arrays used as a deque (a head index instead of shifting, compacted when more
 * than half is consumed): the shared Message objects, `seq * 2 + redelivered`, and, only once
 * some message needs them, the expiry time (-1 for none) and the return count. A waiting message
 * thus costs two to four array slots (small integers, no allocation) and no object of its own;
 * the QueuedMessage record is made only when it leaves. Publishing appends (O(1)); taking the head is O(1); a requeued message goes back to
 * its original place by its sequence number (binary search + splice), as RabbitMQ's classic
 * queues keep requeued messages in order.
 */

import type { Message, QueuedMessage } from './message';

export class ReadyList {
  /** What a message counts toward x-max-length-bytes (its body unless told otherwise). */
  readonly #sizeOf: ((message: Message) => number) | undefined;
  #messages: (Message | undefined)[] = [];
  #meta: number[] = [];
  /** Made when the first message with an expiry arrives (until then every one is -1). */
  #expires: number[] | null = null;
  /** Made when the first returned message comes back (until then every count is 0). */
  #returns: number[] | null = null;
  #failures: number[] | null = null;
  #head = 0;
  /** Bytes of the ready messages as x-max-length-bytes counts them. */
  bytes = 0;

  constructor(sizeOf?: (message: Message) => number) {
    this.#sizeOf = sizeOf;
  }

  #size(message: Message): number {
    return this.#sizeOf ? this.#sizeOf(message) : message.content.length;
  }

  get length(): number {
    return this.#messages.length - this.#head;
  }

  /** Appends a message that has not been delivered from this queue before. */
  push(message: Message, seq: number, expiresAt: number): void {
    if (expiresAt >= 0 && !this.#expires) this.#expires = new Array<number>(this.#messages.length).fill(-1);
    this.#messages.push(message);
    this.#meta.push(seq * 2 + (message.redelivered ? 1 : 0));
    this.#expires?.push(expiresAt);
    this.#returns?.push(0);
    this.#failures?.push(0);
    this.bytes += this.#size(message);
  }

  /** The head message's expiry time (-1: never), or undefined when empty. */
  headExpiry(): number | undefined {
    if (this.#head >= this.#messages.length) return undefined;
    return this.#expires ? this.#expires[this.#head] : -1;
  }

  /** Has any message here ever had a deadline (until cleared)? */
  get mayExpire(): boolean {
    return this.#expires !== null;
  }

  /** The head's sequence number, or undefined when empty. */
  headSeq(): number | undefined {
    return this.#head < this.#messages.length ? Math.floor(this.#meta[this.#head]! / 2) : undefined;
  }

  shift(): QueuedMessage | undefined {
    const at = this.#head;
    if (at >= this.#messages.length) return undefined;
    const qm = this.#record(at);
    this.#messages[at] = undefined;
    this.#head = at + 1;
    this.bytes -= this.#size(qm.message);
    if (this.#head > 1024 && this.#head * 2 > this.#messages.length) this.#compact();
    return qm;
  }

  #record(at: number): QueuedMessage {
    const meta = this.#meta[at]!;
    return {
      message: this.#messages[at]!,
      seq: Math.floor(meta / 2),
      redelivered: meta % 2 === 1,
      expiresAt: this.#expires ? this.#expires[at]! : -1,
      returns: this.#returns ? this.#returns[at]! : 0,
      failures: this.#failures ? this.#failures[at]! : 0,
    };
  }

  #compact(): void {
    const from = this.#head;
    this.#messages = this.#messages.slice(from);
    this.#meta = this.#meta.slice(from);
    this.#expires = this.#expires && this.#expires.slice(from);
    this.#returns = this.#returns && this.#returns.slice(from);
    this.#failures = this.#failures && this.#failures.slice(from);
    this.#head = 0;
  }

  /** Puts a delivered message back where its sequence number says it belongs. */
  insertInOrder(qm: QueuedMessage): void {
    const meta = qm.seq * 2 + (qm.redelivered ? 1 : 0);
    this.bytes += this.#size(qm.message);
    const length = this.#messages.length;
    if (qm.expiresAt >= 0 && !this.#expires) this.#expires = new Array<number>(length).fill(-1);
    if (qm.returns > 0 && !this.#returns) this.#returns = new Array<number>(length).fill(0);
    if (qm.failures > 0 && !this.#failures) this.#failures = new Array<number>(length).fill(0);
    const at = this.#placeFor(qm.seq);
    if (at === length) {
      this.#messages.push(qm.message);
      this.#meta.push(meta);
      this.#expires?.push(qm.expiresAt);
      this.#returns?.push(qm.returns);
      this.#failures?.push(qm.failures);
    } else if (at === this.#head && this.#head > 0) {
      const slot = --this.#head;
      this.#messages[slot] = qm.message;
      this.#meta[slot] = meta;
      if (this.#expires) this.#expires[slot] = qm.expiresAt;
      if (this.#returns) this.#returns[slot] = qm.returns;
      if (this.#failures) this.#failures[slot] = qm.failures;
    } else {
      this.#messages.splice(at, 0, qm.message);
      this.#meta.splice(at, 0, meta);
      this.#expires?.splice(at, 0, qm.expiresAt);
      this.#returns?.splice(at, 0, qm.returns);
      this.#failures?.splice(at, 0, qm.failures);
    }
  }

  /** The index a message with `seq` belongs at (binary search over the live part). */
  #placeFor(seq: number): number {
    const seqs = this.#meta;
    let lo = this.#head;
    let hi = seqs.length;
    if (hi === lo || Math.floor(seqs[hi - 1]! / 2) < seq) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Math.floor(seqs[mid]! / 2) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Removes everything; returns how many messages there were. */
  clear(): number {
    const count = this.length;
    this.#messages = [];
    this.#meta = [];
    this.#expires = null;
    this.#returns = null;
    this.#failures = null;
    this.#head = 0;
    this.bytes = 0;
    return count;
  }

  /** The ready messages in order (for inspection and restart; allocates a record per message). */
  *[Symbol.iterator](): IterableIterator<QueuedMessage> {
    for (let i = this.#head; i < this.#messages.length; i++) yield this.#record(i);
  }
}

/**
 * Ready messages across priority levels: one ReadyList per level, the highest non-empty level
 * first, FIFO within a level. A queue without priorities has a single level. A quorum queue also
 * keeps returned messages apart and serves them first, in the order they came back (RabbitMQ 4.3's
 * returns queue). Expiry is checked at the head of each level. Cost: O(levels) to find the head
 * (one for plain queues, at most 256).
 */
export class PrioritizedReady {
  readonly #levels: ReadyList[];
  readonly #levelOf: (message: Message) => number;
  /** Quorum queues: returned messages, served before everything else. */
  readonly #returned: QueuedMessage[] | null;
  #returnedBytes = 0;

  /** `levelOf` maps a message to its level, 0 (lowest) to `levels - 1`. */
  readonly #sizeOf: (message: Message) => number;

  constructor(levels: number, levelOf: (message: Message) => number, options: { returnsFirst?: boolean; sizeOf?: (message: Message) => number } = {}) {
    this.#levels = Array.from({ length: levels }, () => new ReadyList(options.sizeOf));
    this.#levelOf = levels === 1 ? () => 0 : levelOf;
    this.#returned = options.returnsFirst ? [] : null;
    this.#sizeOf = options.sizeOf ?? ((m) => m.content.length);
  }

  get length(): number {
    let n = this.#returned?.length ?? 0;
    for (const level of this.#levels) n += level.length;
    return n;
  }

  get bytes(): number {
    let n = this.#returnedBytes;
    for (const level of this.#levels) n += level.bytes;
    return n;
  }

  /** The level the next message comes from, or undefined when none has any. */
  #headLevel(): ReadyList | undefined {
    for (let i = this.#levels.length - 1; i >= 0; i--) if (this.#levels[i]!.length > 0) return this.#levels[i];
    return undefined;
  }

  push(message: Message, seq: number, expiresAt: number): void {
    this.#levels[this.#levelOf(message)]!.push(message, seq, expiresAt);
  }

  /** Where `message` would stand in delivery order if pushed now (0: the head). O(levels). */
  positionFor(message: Message): number {
    const level = this.#levelOf(message);
    let ahead = this.#returned?.length ?? 0;
    for (let i = this.#levels.length - 1; i >= level; i--) ahead += this.#levels[i]!.length;
    return ahead;
  }

  /** The earliest deadline among the heads (-1: none expires), or undefined when empty. */
  headExpiry(): number | undefined {
    let earliest: number | undefined;
    if (this.#returned && this.#returned.length > 0) earliest = this.#returned[0]!.expiresAt;
    for (const level of this.#levels) {
      const expiry = level.headExpiry();
      if (expiry === undefined) continue;
      if (earliest === undefined || earliest < 0 || (expiry >= 0 && expiry < earliest)) earliest = expiry;
    }
    return earliest;
  }

  /** Could any ready message expire? (false until one with a deadline arrives: a fast path) */
  get mayExpire(): boolean {
    if (this.#returned && this.#returned.some((qm) => qm.expiresAt >= 0)) return true;
    for (const level of this.#levels) if (level.mayExpire) return true;
    return false;
  }

  /** Takes every head that expired by `now` (each level's head, as RabbitMQ checks them). */
  takeExpired(now: number, take: (qm: QueuedMessage) => void): void {
    const returned = this.#returned;
    while (returned && returned.length > 0 && isDue(returned[0]!.expiresAt, now)) take(this.#shiftReturned());
    for (const level of this.#levels) {
      while (isDue(level.headExpiry(), now)) take(level.shift()!);
    }
  }

  #shiftReturned(): QueuedMessage {
    const qm = this.#returned!.shift()!;
    this.#returnedBytes -= this.#sizeOf(qm.message);
    return qm;
  }

  shift(): QueuedMessage | undefined {
    if (this.#returned && this.#returned.length > 0) return this.#shiftReturned();
    return this.#headLevel()?.shift();
  }

  /** A message comes back: to a quorum queue's returns, else to its place in its level. */
  requeue(qm: QueuedMessage): void {
    if (this.#returned) {
      this.#returned.push(qm);
      this.#returnedBytes += this.#sizeOf(qm.message);
      return;
    }
    this.#levels[this.#levelOf(qm.message)]!.insertInOrder(qm);
  }

  clear(): number {
    let n = this.#returned?.length ?? 0;
    if (this.#returned) this.#returned.length = 0;
    this.#returnedBytes = 0;
    for (const level of this.#levels) n += level.clear();
    return n;
  }

  /** In delivery order: returned messages, then the highest level first. */
  *[Symbol.iterator](): IterableIterator<QueuedMessage> {
    if (this.#returned) yield* this.#returned;
    for (let i = this.#levels.length - 1; i >= 0; i--) yield* this.#levels[i]!;
  }
}

function isDue(expiry: number | undefined, now: number): boolean {
  return expiry !== undefined && expiry >= 0 && expiry <= now;
}
